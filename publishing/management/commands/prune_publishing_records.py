"""Delete publishing records past their use: preview snapshots whose token has expired
(``PREVIEW_TOKEN_MAX_AGE_SECONDS``; a new preview also removes them, but a site nobody previews
on kept the last drafts forever) and finished webhook deliveries older than
``WEBHOOK_DELIVERY_RETENTION_DAYS`` (their payloads name pages, their log names receivers).
Pending deliveries are never pruned. Idempotent; run daily (``SCHEDULED_COMMANDS``).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from publishing.models import PagePreview, WebhookDelivery
from publishing.preview import max_age


class Command(BaseCommand):
    help = "Delete expired preview snapshots and old finished webhook deliveries."

    def handle(self, *args, **options):
        days = settings.WEBHOOK_DELIVERY_RETENTION_DAYS
        if days < 1:
            raise CommandError(f"WEBHOOK_DELIVERY_RETENTION_DAYS must be at least 1 day, got {days}.")
        now = timezone.now()
        previews, _ = PagePreview.objects.filter(created_at__lt=now - timedelta(seconds=max_age())).delete()
        deliveries, _ = (
            WebhookDelivery.objects.exclude(status=WebhookDelivery.Status.PENDING)
            .filter(created_at__lt=now - timedelta(days=days))
            .delete()
        )
        self.stdout.write(
            f"Removed: {previews} expired preview snapshot(s), {deliveries} webhook delivery(ies) "
            f"finished more than {days} days ago."
        )
