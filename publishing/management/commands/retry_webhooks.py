"""Queue again every pending webhook delivery whose next attempt is due.

Deliveries are queued when they are created and after each failed attempt, so this is only
needed when the task queue itself was unavailable (the row stayed pending with nothing
queued). Safe to run at any time: a delivery that is no longer pending is skipped by the task.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from publishing.models import WebhookDelivery
from publishing.tasks import enqueue_delivery


class Command(BaseCommand):
    help = "Queue pending webhook deliveries whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=300,
            help="Only deliveries created at least this many seconds ago (default 300), so "
            "deliveries the worker is about to send are left alone.",
        )

    def handle(self, *args, older_than: int, **options):
        now = timezone.now()
        due = WebhookDelivery.objects.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
            status=WebhookDelivery.Status.PENDING,
            created_at__lte=now - timedelta(seconds=older_than),
        ).values_list("pk", flat=True)
        count = 0
        for pk in due:
            enqueue_delivery(pk)
            count += 1
        self.stdout.write(f"Queued {count} pending deliveries.")
