"""`manage.py prune_publishing_records`: expired previews and old finished deliveries go."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from publishing.models import PagePreview, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_expired_previews_and_old_finished_deliveries_are_deleted(home, settings):
    settings.PREVIEW_TOKEN_MAX_AGE_SECONDS = 600
    settings.WEBHOOK_DELIVERY_RETENTION_DAYS = 30
    now = timezone.now()
    fresh = PagePreview.objects.create(page=home, content_type="blog.homepage", content={}, created_at=now)
    PagePreview.objects.create(
        page=home, content_type="blog.homepage", content={}, created_at=now - timedelta(seconds=601)
    )
    endpoint = WebhookEndpoint.objects.create(
        name="F", url="https://example.org/h", events=["page.published"]
    )

    def delivery(status, days):
        return WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_id="5d0f6c1e-0000-4000-8000-000000000001",
            event="page.published",
            payload={},
            status=status,
            created_at=now - timedelta(days=days),
        )

    kept = [delivery("succeeded", 29), delivery("failed", 29), delivery("pending", 90)]
    delivery("succeeded", 31)
    delivery("failed", 45)
    out = StringIO()

    call_command("prune_publishing_records", stdout=out)

    assert out.getvalue().strip() == (
        "Removed: 1 expired preview snapshot(s), 2 webhook delivery(ies) finished more than 30 days ago."
    )
    assert list(PagePreview.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert sorted(WebhookDelivery.objects.values_list("pk", flat=True)) == sorted(d.pk for d in kept)


def test_the_scheduler_prunes_daily():
    assert {
        "name": "prune_publishing_records",
        "command": "prune_publishing_records",
        "every_seconds": 86400,
    } in settings.SCHEDULED_COMMANDS
