"""Delete or anonymise readers' personal data past its retention period. Run it daily (cron,
a scheduled task or the platform's scheduler); it is idempotent.

- Comments older than ``COMMENT_EMAIL_RETENTION_DAYS``: email and website cleared (the name
  and text stay published as the commenter chose).
- Rejected and spam comments older than ``COMMENT_REJECTED_RETENTION_DAYS``: deleted.
- Comments still pending moderation after ``COMMENT_PENDING_RETENTION_DAYS``: deleted.
- Consultation requests older than ``CONSULTATION_RETENTION_DAYS``: deleted. By then they
  have been answered; anyone who became a client has a record in the clinical system.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from readers.retention import purge_personal_data


class Command(BaseCommand):
    help = "Delete or anonymise comments' and consultation requests' personal data past retention."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be removed; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        days = {
            "COMMENT_EMAIL_RETENTION_DAYS": settings.COMMENT_EMAIL_RETENTION_DAYS,
            "COMMENT_REJECTED_RETENTION_DAYS": settings.COMMENT_REJECTED_RETENTION_DAYS,
            "COMMENT_PENDING_RETENTION_DAYS": settings.COMMENT_PENDING_RETENTION_DAYS,
            "CONSULTATION_RETENTION_DAYS": settings.CONSULTATION_RETENTION_DAYS,
        }
        for name, value in days.items():
            if value < 1:
                raise CommandError(f"{name} must be at least 1 day, got {value}.")
        now = timezone.now()
        with transaction.atomic():
            counts = purge_personal_data(
                comment_email_before=now - timedelta(days=settings.COMMENT_EMAIL_RETENTION_DAYS),
                rejected_comment_before=now - timedelta(days=settings.COMMENT_REJECTED_RETENTION_DAYS),
                consultation_before=now - timedelta(days=settings.CONSULTATION_RETENTION_DAYS),
                pending_comment_before=now - timedelta(days=settings.COMMENT_PENDING_RETENTION_DAYS),
                dry_run=dry_run,
            )
        prefix = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{prefix}: {counts.comment_emails_cleared} comment email(s)/website(s) cleared "
            f"(older than {settings.COMMENT_EMAIL_RETENTION_DAYS} days), "
            f"{counts.rejected_comments_deleted} rejected/spam comment(s) deleted "
            f"(older than {settings.COMMENT_REJECTED_RETENTION_DAYS} days), "
            f"{counts.pending_comments_deleted} unmoderated comment(s) deleted "
            f"(older than {settings.COMMENT_PENDING_RETENTION_DAYS} days), "
            f"{counts.consultation_requests_deleted} consultation request(s) deleted "
            f"(older than {settings.CONSULTATION_RETENTION_DAYS} days)."
        )
