"""The weekly digest of clinical reviews: who gets it, what it says, when it stays silent."""

import io
import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from blog import review
from blog.models.review import CLINICIANS_GROUP
from blog.review_digest import send_review_digest

ADMIN = "https://cms.example-practice.test/admin"


@pytest.fixture
def recipients(workflow, clinician, author_clinician, editor, django_user_model):
    """Two clinicians who get it, and three people who do not: an editor, a clinician without
    an address and a clinician whose account is switched off."""
    group = Group.objects.get(name=CLINICIANS_GROUP)
    no_email = django_user_model.objects.create_user(username="noemail", email="")
    gone = django_user_model.objects.create_user(
        username="gone", email="gone@example-practice.test", is_active=False
    )
    group.user_set.add(no_email, gone)
    return [clinician.email, author_clinician.email]


def run_command(*args) -> str:
    out = io.StringIO()
    call_command("send_review_digest", *args, stdout=out)
    return out.getvalue()


def test_nothing_due_sends_nothing(recipients, make_article, reviewer, practice):
    make_article("Fresh", reviewer=reviewer, last_reviewed=timezone.localdate() - timedelta(days=10))
    assert run_command() == "No review due: nothing sent.\n"
    assert mail.outbox == []


def test_each_clinician_gets_the_digest_of_due_and_soon_due_reviews(
    recipients, make_article, reviewer, practice, caplog
):
    today = timezone.localdate()
    overdue_on = review.add_months(today, -13)
    soon_on = review.add_months(today, -12) + timedelta(days=10)
    overdue = make_article("Overdue", reviewer=reviewer, last_reviewed=overdue_on)
    never = make_article("Never reviewed")
    soon = make_article("Soon", reviewer=reviewer, last_reviewed=soon_on)
    make_article("Fresh", reviewer=reviewer, last_reviewed=today - timedelta(days=10))
    make_article("Draft", reviewer=reviewer, last_reviewed=overdue_on, live=False)

    with caplog.at_level(logging.INFO, logger="blog.review_digest"):
        assert run_command() == "Review digest sent to 2 clinician(s).\n"

    assert sorted(m.to[0] for m in mail.outbox) == sorted(recipients)
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Clinical reviews due this week"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL

    def day(d):
        return f"{d:%B} {d.day}, {d.year}"

    assert message.body == (
        "Clinical reviews to do (2 due, 1 soon). Articles are reviewed again every 12 months; "
        "open an article, make any changes, then submit it to the clinical review.\n\n"
        "Overdue or never reviewed (still published):\n"
        f"- Never reviewed: never reviewed\n  {ADMIN}/pages/{never.pk}/edit/\n"
        f"- Overdue: overdue since {day(review.add_months(overdue_on, 12))} "
        f"(last reviewed {day(overdue_on)})\n"
        f"  {ADMIN}/pages/{overdue.pk}/edit/\n\n"
        "Falling due in the next 30 days:\n"
        f"- Soon: due {day(review.add_months(soon_on, 12))}\n  {ADMIN}/pages/{soon.pk}/edit/\n\n"
        f"The full list: {ADMIN}/reports/reviews-due/\n"
    )
    # The log says how many, never to whom.
    assert [r.getMessage() for r in caplog.records] == ["Review digest sent to 2 clinician(s)."]


def test_the_digest_runs_on_the_task_worker(recipients, make_article, practice):
    make_article("Never reviewed")
    output = run_command("--enqueue")
    assert output.startswith("Review digest queued (task ")
    # Tests run tasks inline (the immediate backend): it has been sent.
    assert len(mail.outbox) == 2
    assert send_review_digest() == 2


def test_the_scheduler_runs_it_weekly():
    [entry] = [e for e in settings.SCHEDULED_COMMANDS if e["name"] == "review_digest"]
    assert entry == {"name": "review_digest", "command": "send_review_digest", "every_seconds": 604800}
