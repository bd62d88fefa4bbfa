"""The demo content command builds the whole site once and is safe to run again.

One TestCase: the demo is built once for the class (``setUpTestData``) and every test runs in
its own transaction on top of it, so tests that change things do not affect the others.
"""

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site, WorkflowPage

from blog.blocks import ArticleStreamBlock
from blog.demo.builder import demo_clinician_password
from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    ArticleTopic,
    Author,
    BlogIndexPage,
    HomePage,
    Location,
    PracticeSettings,
    StandardPage,
    TherapeuticApproach,
    Topic,
)
from blog.representations import page_path

SEED_SLUG = "emotional-numbness"
POINTED_TO = ["psychotherapy-for-chronic-stress", "long-term-healing-and-growth", "emotional-resilience"]


def load_demo():
    out = io.StringIO()
    call_command("load_demo_content", stdout=out)
    return out.getvalue()


def snapshot():
    """Everything the command writes, counted, plus the newest revision's id."""
    models = [
        Page,
        Revision,
        ArticlePage,
        ArticleRelatedPick,
        ArticleTopic,
        Author,
        Location,
        TherapeuticApproach,
        Topic,
        Site,
        PracticeSettings,
        get_image_model(),
        get_user_model(),
        WorkflowPage,
    ]
    counts = {model.__name__: model.objects.count() for model in models}
    counts["latest_revision"] = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
    return counts


def article(slug):
    return ArticlePage.objects.get(slug=slug)


def blocks_of(page, block_type):
    return [child.value for child in page.body if child.block_type == block_type]


class TestDemoContent(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.demo_output = load_demo()

    # --------------------------------------------------------------------------- idempotence

    def test_the_first_run_reports_what_it_created(self):
        demo = self.demo_output
        assert demo.startswith("Demo content ready in ")
        assert "5 live articles" in demo
        assert (
            "Created now: 5 approaches, 5 articles, 3 authors, 3 clinician accounts, 11 images, "
            "3 locations, 5 pages" in demo
        )
        assert "Demo article: https://www.example-practice.test/blog/emotional-numbness/\n" in demo
        assert demo.rstrip().endswith(
            f"Clinicians (approve articles in the clinical review): daniel-ortiz, maya-chen, priya-raman  "
            f"password: {demo_clinician_password()}"
        )

    def test_running_it_again_changes_nothing_and_duplicates_nothing(self):
        before = snapshot()
        output = load_demo()
        assert snapshot() == before
        assert "Nothing new: everything was already there." in output
        assert before["ArticlePage"] == 5
        assert before["Author"] == 3

    def test_the_clinical_review_is_installed_with_the_demo_clinicians_in_the_clinicians_group(self):
        blog = BlogIndexPage.objects.get()
        assert WorkflowPage.objects.get(page=blog).workflow.name == "Clinical review"
        assert article(SEED_SLUG).get_workflow().name == "Clinical review"
        clinicians = {
            a.slug: (a.user.username, a.user.is_active, list(a.user.groups.values_list("name", flat=True)))
            for a in Author.objects.select_related("user")
        }
        assert clinicians == {
            "daniel-ortiz": ("daniel-ortiz", True, ["Clinicians"]),
            "maya-chen": ("maya-chen", True, ["Clinicians"]),
            "priya-raman": ("priya-raman", True, ["Clinicians"]),
        }
        assert Author.objects.get(slug="daniel-ortiz").user.check_password(demo_clinician_password())
        # The demo's articles stay live with the review they were written with; none has an
        # approval through the workflow yet, so their next publish goes through it.
        for a in ArticlePage.objects.live():
            assert a.reviewer is not None and not a.review_covers_body(), a.slug

    def test_edits_made_in_the_admin_survive_a_rerun(self):
        numbness = article(SEED_SLUG)
        numbness.title = "Edited by marketing"
        numbness.save_revision().publish()
        practice = PracticeSettings.load()
        practice.phone = "(949) 555-0100"
        practice.save()
        load_demo()
        assert article(SEED_SLUG).title == "Edited by marketing"
        assert PracticeSettings.load().phone == "(949) 555-0100"

    def test_a_deleted_article_is_recreated_without_touching_the_others(self):
        article("emotional-resilience").delete()
        others = {a.slug: a.latest_revision_id for a in ArticlePage.objects.all()}
        output = load_demo()
        assert "Created now: 1 articles." in output
        assert {
            a.slug: a.latest_revision_id for a in ArticlePage.objects.exclude(slug="emotional-resilience")
        } == others
        recreated = article("emotional-resilience")
        assert recreated.live
        assert [p.article.slug for p in recreated.related_picks.all()] == [
            "psychotherapy-for-chronic-stress",
            "long-term-healing-and-growth",
        ]

    # --------------------------------------------------------------------------- the tree

    def test_the_home_page_replaces_wagtails_welcome_page_at_the_site_root(self):
        root = Page.get_first_root_node()
        assert [p.specific_class for p in root.get_children()] == [HomePage]
        site = Site.objects.get(is_default_site=True)
        assert site.root_page.specific_class is HomePage
        assert (site.hostname, site.port) == ("www.example-practice.test", 443)
        assert Site.objects.count() == 1

    def test_the_tree_has_a_blog_about_services_and_consultation_page(self):
        paths = {
            page_path(p): (type(p.specific).__name__, p.title) for p in Page.objects.filter(depth__gte=2)
        }
        assert paths["/"] == ("HomePage", "Heal & Thrive Psychotherapy")
        assert paths["/blog/"] == ("BlogIndexPage", "Blog")
        assert paths["/about/"] == ("StandardPage", "About us")
        assert paths["/services/"] == ("StandardPage", "Services")
        assert paths["/consultation/"][1] == "Book a free consultation"
        assert all(p.live for p in Page.objects.filter(depth__gte=2))
        assert BlogIndexPage.objects.count() == 1

    def test_the_site_is_served_for_local_host_names(self):
        for host in ("127.0.0.1", "localhost"):
            response = self.client.get("/blog/emotional-numbness/", headers={"host": host})
            assert response.status_code == 200
            html = response.content.decode()
            assert "Psychotherapy for Emotional Numbness and Disconnection</h1>" in html
            assert "A wall between you and your own feelings" in html

    # --------------------------------------------------------------------------- articles

    def test_five_articles_are_live_with_author_reviewer_and_review_date(self):
        articles = ArticlePage.objects.live().order_by("-first_published_at")
        assert articles.count() == 5
        for a in articles:
            assert a.author is not None and a.reviewer is not None and a.author != a.reviewer, a.slug
            assert a.last_reviewed is not None and a.last_reviewed <= timezone.localdate(), a.slug
            assert a.hero_image is not None and a.hero_image.description, a.slug
            assert 2 <= a.topics.count() <= 5, a.slug
            assert a.reading_time_minutes >= 1
        assert {a.reviewer.credentials for a in articles} <= {"LMFT", "PsyD", "LCSW"}

    def test_publication_dates_are_spread_over_recent_months_newest_first(self):
        articles = list(ArticlePage.objects.live().order_by("-first_published_at"))
        dates = [a.first_published_at for a in articles]
        assert articles[0].slug == SEED_SLUG
        assert len(set(dates)) == 5
        assert dates[0] < timezone.now()
        assert dates[0] - dates[-1] > timedelta(days=60)
        assert timezone.now() - dates[-1] < timedelta(days=180)
        for a in articles:
            assert a.last_published_at >= a.first_published_at

    def test_every_article_block_type_is_used_somewhere(self):
        used = {child.block_type for a in ArticlePage.objects.all() for child in a.body}
        assert used == set(ArticleStreamBlock().child_blocks)

    def test_every_body_passes_the_editors_validation(self):
        for page in [*ArticlePage.objects.all(), *StandardPage.objects.all(), *HomePage.objects.all()]:
            page.body.stream_block.clean(page.body)

    def test_the_seed_structured_article_has_every_part_of_the_original(self):
        page = article(SEED_SLUG)
        types = [child.block_type for child in page.body]
        assert set(types) == set(ArticleStreamBlock().child_blocks)

        levels = {h["level"] for h in blocks_of(page, "heading")}
        assert levels == {"2", "3"}
        toc = page.table_of_contents
        assert [t["id"] for t in toc if t["level"] == 2][:3] == [
            "what-it-feels-like",
            "causes",
            "how-therapy-helps",
        ]

        lists = blocks_of(page, "symptom_list")
        assert [(s["style"], len(s["items"])) for s in lists] == [("bullets", 6), ("checklist", 8)]

        approaches = [b["approach"].abbreviation for b in blocks_of(page, "approach_summary")]
        assert approaches == ["CBT", "ACT", "EMDR", "TF-CBT", "SE"]

        ctas = blocks_of(page, "call_to_action")
        assert [page_path(c["page"]) for c in ctas] == ["/consultation/"]

        pointed = [b["article"].slug for b in blocks_of(page, "related_article")]
        assert pointed == POINTED_TO
        assert [p.article.slug for p in page.related_picks.all()] == POINTED_TO

        [image] = blocks_of(page, "image")
        assert image["alt_text"] and image["caption"]
        [faq] = blocks_of(page, "faq")
        assert len(faq["items"]) == 4
        assert blocks_of(page, "quote")[0]["attribution"] == "Maya Chen, LMFT"
        assert {t.slug for t in page.topics.all()} == {
            "emotional-numbness",
            "trauma",
            "depression",
            "stress-and-burnout",
        }

    def test_articles_are_cross_linked_by_blocks_picks_and_shared_topics(self):
        live = set(ArticlePage.objects.live().values_list("slug", flat=True))
        for a in ArticlePage.objects.all():
            for value in blocks_of(a, "related_article"):
                assert value["article"].slug in live and value["article"].pk != a.pk
            picks = [p.article.slug for p in a.related_picks.all()]
            assert picks and len(picks) <= 4 and a.slug not in picks
            topics = {t.pk for t in a.topics.all()}
            assert ArticleTopic.objects.filter(tag_id__in=topics).exclude(content_object=a).exists(), a.slug
        for slug in POINTED_TO:
            back_links = [b["article"].slug for b in blocks_of(article(slug), "related_article")]
            assert back_links, slug

    def test_paragraph_links_to_other_articles_are_page_links(self):
        html = "".join(str(p.source) for p in blocks_of(article(SEED_SLUG), "paragraph"))
        first_session = article("what-to-expect-first-therapy-session")
        assert f'<a linktype="page" id="{first_session.pk}">your first therapy session</a>' in html

    def test_a_call_to_action_with_an_external_url_is_included(self):
        urls = [
            c["url"] for a in ArticlePage.objects.all() for c in blocks_of(a, "call_to_action") if c["url"]
        ]
        assert urls == ["https://988lifeline.org/"]

    # --------------------------------------------------------------------------- library and settings

    def test_three_clinicians_with_credentials_bios_and_generated_photos(self):
        authors = {a.slug: a for a in Author.objects.all()}
        assert {slug: a.credentials for slug, a in authors.items()} == {
            "maya-chen": "LMFT",
            "daniel-ortiz": "PsyD",
            "priya-raman": "LCSW",
        }
        for a in authors.values():
            assert a.role and a.bio and a.license_number
            assert (a.photo.width, a.photo.height) == (800, 800)
            assert a.photo.description

    def test_hero_images_are_generated_wide_with_alt_text(self):
        for a in ArticlePage.objects.all():
            assert (a.hero_image.width, a.hero_image.height) == (1600, 900)
            assert a.hero_image.file.name.endswith(".jpg")
            assert a.hero_image.has_focal_point()

    def test_approaches_and_topics_come_with_their_texts(self):
        approaches = {a.abbreviation: a for a in TherapeuticApproach.objects.all()}
        assert set(approaches) == {"CBT", "ACT", "EMDR", "TF-CBT", "SE"}
        assert all(a.summary.startswith("<p>") for a in approaches.values())
        assert approaches["CBT"].link_page.slug == "services"
        assert approaches["EMDR"].link_url.startswith("https://")
        assert Topic.objects.count() == 7
        assert all(t.description for t in Topic.objects.all())

    def test_every_public_path_of_the_demo_is_shared_with_a_picture(self):
        practice = PracticeSettings.load()
        assert practice.default_social_image.title == "Heal & Thrive sharing card"
        assert practice.default_social_image_alt.startswith("Soft blue, cream and sage shapes")
        paths = self.client.get("/api/v1/paths/", {"page_size": 100}).json()["results"]
        assert {p["type"] for p in paths} == {"home", "article_index", "article", "page", "topic", "author"}
        for entry in paths:
            seo = self.client.get("/api/v1/resolve/", {"path": entry["path"]}).json()["data"]["seo"]
            assert seo["image"]["url"].startswith("https://cms.example-practice.test/media/images/"), entry
            assert seo["twitter"]["twitter:card"] == "summary_large_image", entry
        blog = self.client.get("/api/v1/resolve/", {"path": "/blog/"}).json()["data"]["seo"]["image"]
        assert blog["alt"] == practice.default_social_image_alt
        assert (blog["width"], blog["height"]) == (1200, 628)

    def test_a_cleared_default_sharing_picture_stays_cleared(self):
        practice = PracticeSettings.load()
        practice.default_social_image = None
        practice.save()
        load_demo()
        assert PracticeSettings.load().default_social_image is None

    def test_practice_settings_locations_and_navigation(self):
        practice = PracticeSettings.load()
        assert practice.practice_name == "Heal & Thrive Psychotherapy"
        assert practice.city == "Los Angeles" and practice.phone and practice.email
        assert "988" in practice.crisis_notice and practice.crisis_phone == "988"
        assert [page_path(link.value["page"]) for link in practice.navigation] == [
            "/blog/",
            "/services/",
            "/about/",
            "/consultation/",
        ]
        assert page_path(practice.cta_page) == "/consultation/"
        assert practice.cta_button_label == "Book a free consultation"
        assert [link.value["network"] for link in practice.social_links] == [
            "instagram",
            "psychology_today",
            "linkedin",
        ]
        assert list(Location.objects.values_list("slug", "kind")) == [
            ("los-angeles", "in_person"),
            ("orange-county", "in_person"),
            ("california", "telehealth"),
        ]
