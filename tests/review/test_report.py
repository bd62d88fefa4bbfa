"""The admin report "Reviews due" on the demo site: what it lists, in which order, exported."""

import csv
import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from blog import review
from blog.models import ArticlePage
from blog.models.review import CLINICIANS_GROUP

URL = reverse("reviews_due")

RESILIENCE = "How Psychotherapy Builds Emotional Resilience"
STRESS = "Psychotherapy for Chronic Stress: When Pressure Stops Letting Up"
GROWTH = "The Role of Psychotherapy in Long-Term Healing and Growth"
FIRST_SESSION = "What to Expect in Your First Therapy Session"
NUMBNESS = "Psychotherapy for Emotional Numbness and Disconnection"
# The demo's articles and the days since their review (blog/demo/content.py).
DEMO_REVIEWS = {
    RESILIENCE: 41,
    STRESS: 30,
    GROWTH: 20,
    FIRST_SESSION: 19,
    NUMBNESS: 8,
}


class TestReviewsDueReport(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo_content", stdout=io.StringIO())
        cls.editor = cls.make_user("editor", "Moderators")
        cls.clinician = cls.make_user("clinician", CLINICIANS_GROUP)
        cls.outsider = cls.make_user("outsider", None)

    @classmethod
    def make_user(cls, name, group):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user(username=name, password="pw-for-tests")
        if group:
            user.groups.add(Group.objects.get(name=group))
        else:
            from django.contrib.auth.models import Permission

            user.user_permissions.add(Permission.objects.get(codename="access_admin"))
        return user

    def rows(self, query="", user=None):
        self.client.force_login(user or self.editor)
        response = self.client.get(URL + query)
        assert response.status_code == 200
        return [
            (a.title, a.last_reviewed, a.next_review_due, a.review_status)
            for a in response.context["object_list"]
        ]

    def demo_titles(self):
        return {a.title: a for a in ArticlePage.objects.live()}

    def test_the_demo_reviews_are_all_current_so_none_is_listed_by_default(self):
        assert self.rows() == []
        self.client.force_login(self.editor)
        assert "There are no" in self.client.get(URL).content.decode()

    def test_reviews_falling_due_within_a_year_list_every_demo_article_oldest_review_first(self):
        today = timezone.localdate()
        expected = []
        for title, days in DEMO_REVIEWS.items():
            reviewed = today - timedelta(days=days)
            expected.append((title, reviewed, review.add_months(reviewed, 12), "Current"))
        assert self.rows("?due_within=365") == expected
        # 30 days ahead, none is due yet (the oldest review is 41 days old).
        assert self.rows("?due_within=30") == []

    def test_overdue_and_never_reviewed_articles_are_listed_never_first(self):
        today = timezone.localdate()
        overdue = review.add_months(today, -13)
        ArticlePage.objects.filter(slug="emotional-resilience").update(last_reviewed=overdue)
        ArticlePage.objects.filter(slug="long-term-healing-and-growth").update(
            reviewer=None, last_reviewed=None
        )
        assert self.rows() == [
            (GROWTH, None, None, "Never reviewed"),
            (
                RESILIENCE,
                overdue,
                review.add_months(overdue, 12),
                "Overdue",
            ),
        ]
        # Sortable by title, and by review date the other way round.
        assert [r[0] for r in self.rows("?ordering=title")] == [RESILIENCE, GROWTH]
        assert [r[0] for r in self.rows("?ordering=-title")] == [GROWTH, RESILIENCE]
        assert [r[3] for r in self.rows("?ordering=-last_reviewed")] == ["Overdue", "Never reviewed"]
        # A clinician sees the same report.
        assert len(self.rows(user=self.clinician)) == 2

    def test_the_report_exports_csv_and_xlsx(self):
        today = timezone.localdate()
        overdue = review.add_months(today, -13)
        ArticlePage.objects.filter(slug="emotional-resilience").update(last_reviewed=overdue)
        self.client.force_login(self.editor)
        response = self.client.get(URL + "?export=csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert rows == [
            [
                "Article",
                "Author",
                "Last clinical reviewer",
                "Last reviewed",
                "Review due",
                "Status",
                "Public URL",
            ],
            [
                RESILIENCE,
                "Maya Chen, LMFT",
                "Daniel Ortiz, PsyD",
                overdue.isoformat(),
                review.add_months(overdue, 12).isoformat(),
                "Overdue",
                "https://www.example-practice.test/blog/emotional-resilience/",
            ],
        ]
        xlsx = self.client.get(URL + "?export=xlsx")
        assert xlsx.status_code == 200
        assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def test_only_clinicians_and_page_editors_see_the_report(self):
        self.client.force_login(self.outsider)
        response = self.client.get(URL)
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
        menu = self.client.get(reverse("wagtailadmin_home")).content.decode()
        assert URL not in menu
        self.client.force_login(self.clinician)
        assert URL in self.client.get(reverse("wagtailadmin_home")).content.decode()
