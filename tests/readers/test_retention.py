"""``manage.py purge_personal_data``: removes exactly what is past its time."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone
from wagtail.models import ModelLogEntry

from readers.models import Comment, ConsultationRequest

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def aged(make_comment, practice):
    """Comments and requests on both sides of each retention limit (90, 30 and 180 days)."""
    now = timezone.now()
    c = {
        "old_approved": make_comment("Old", created_at=now - 91 * DAY, website="https://old.example"),
        "recent_approved": make_comment("Recent", created_at=now - 89 * DAY, email="recent@example.org"),
        "old_pending": make_comment("Old pending", status="pending", created_at=now - 95 * DAY),
        "stale_pending": make_comment("Never moderated", status="pending", created_at=now - 121 * DAY),
        "old_spam": make_comment("Spam", status="spam", created_at=now - 31 * DAY),
        "recent_rejected": make_comment("Rejected", status="rejected", created_at=now - 29 * DAY),
        "staff_reply": make_comment("Reply", email="", name="Practice", created_at=now - 200 * DAY),
    }
    r = {
        "old": ConsultationRequest.objects.create(
            name="Old", email="old@example.org", consent=True, created_at=now - 181 * DAY
        ),
        "recent": ConsultationRequest.objects.create(
            name="Recent", email="new@example.org", consent=True, created_at=now - 179 * DAY
        ),
    }
    return c, r


def run(*args):
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@override_settings(
    COMMENT_EMAIL_RETENTION_DAYS=90,
    COMMENT_REJECTED_RETENTION_DAYS=30,
    CONSULTATION_RETENTION_DAYS=180,
    COMMENT_PENDING_RETENTION_DAYS=120,
)
def test_the_command_removes_exactly_what_is_past_its_time(aged):
    comments, requests = aged

    output = run()

    assert output.strip() == (
        "Removed: 2 comment email(s)/website(s) cleared (older than 90 days), "
        "1 rejected/spam comment(s) deleted (older than 30 days), "
        "1 unmoderated comment(s) deleted (older than 120 days), "
        "1 consultation request(s) deleted (older than 180 days)."
    )
    remaining = {c.pk: c for c in Comment.objects.all()}
    assert comments["old_spam"].pk not in remaining
    assert comments["stale_pending"].pk not in remaining
    old = remaining[comments["old_approved"].pk]
    assert (old.email, old.website, old.name, old.body, old.status) == ("", "", "Alex", "Old", "approved")
    assert old.personal_data_removed_at is not None
    assert remaining[comments["old_pending"].pk].email == ""
    assert remaining[comments["recent_approved"].pk].email == "recent@example.org"
    assert remaining[comments["recent_rejected"].pk].email == "alex.reader@example.org"
    assert remaining[comments["staff_reply"].pk].personal_data_removed_at is None  # nothing to remove
    assert list(ConsultationRequest.objects.values_list("pk", flat=True)) == [requests["recent"].pk]
    audit = set(ModelLogEntry.objects.values_list("action", "content_type__model", "object_id"))
    assert audit == {
        ("wagtail.delete", "comment", str(comments["old_spam"].pk)),
        ("wagtail.delete", "comment", str(comments["stale_pending"].pk)),
        ("readers.personal_data_removed", "comment", str(comments["old_approved"].pk)),
        ("readers.personal_data_removed", "comment", str(comments["old_pending"].pk)),
        ("wagtail.delete", "consultationrequest", str(requests["old"].pk)),
    }


@override_settings(
    COMMENT_EMAIL_RETENTION_DAYS=90,
    COMMENT_REJECTED_RETENTION_DAYS=30,
    CONSULTATION_RETENTION_DAYS=180,
    COMMENT_PENDING_RETENTION_DAYS=120,
)
def test_a_dry_run_counts_the_same_and_changes_nothing(aged):
    before = (
        sorted(Comment.objects.values_list("pk", "email", "website")),
        ConsultationRequest.objects.count(),
    )

    output = run("--dry-run")

    assert output.startswith("Would remove: 2 comment email(s)/website(s) cleared")
    assert "1 rejected/spam comment(s) deleted" in output
    assert "1 unmoderated comment(s) deleted" in output
    assert "1 consultation request(s) deleted" in output
    after = (
        sorted(Comment.objects.values_list("pk", "email", "website")),
        ConsultationRequest.objects.count(),
    )
    assert before == after


def test_running_it_twice_removes_nothing_more(aged):
    run()
    assert run().startswith("Removed: 0 comment email(s)/website(s) cleared")


@override_settings(COMMENT_REJECTED_RETENTION_DAYS=30)
def test_an_old_rejected_comment_with_replies_is_anonymised_not_deleted(make_comment):
    now = timezone.now()
    parent = make_comment("Rejected later", status="rejected", created_at=now - 120 * DAY)
    reply = make_comment("A reply", parent=parent, created_at=now - 10 * DAY, email="replier@example.org")

    run()

    parent.refresh_from_db()
    reply.refresh_from_db()
    assert parent.email == ""
    assert reply.email == "replier@example.org"


@override_settings(CONSULTATION_RETENTION_DAYS=0)
def test_a_retention_below_one_day_is_refused(db):
    with pytest.raises(CommandError, match="CONSULTATION_RETENTION_DAYS must be at least 1 day"):
        run()


def test_the_scheduler_runs_the_retention_purge_daily():
    from django.conf import settings
    from django.core.management import get_commands

    entries = [e for e in settings.SCHEDULED_COMMANDS if e["command"] == "purge_personal_data"]
    assert entries == [
        {"name": "purge_personal_data", "command": "purge_personal_data", "every_seconds": 86400}
    ]
    assert get_commands()["purge_personal_data"] == "readers"
