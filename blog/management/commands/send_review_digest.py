"""Email the clinicians the clinical reviews due (weekly: the scheduler's ``review_digest``
entry in ``SCHEDULED_COMMANDS``, or cron)."""

from django.core.management.base import BaseCommand

from blog.review_digest import send_review_digest, send_review_digest_task


class Command(BaseCommand):
    help = "Email every clinician the articles whose clinical review is due or falls due soon."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the sending to the task worker instead."
        )

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            result = send_review_digest_task.enqueue()
            self.stdout.write(f"Review digest queued (task {result.id}).")
            return
        sent = send_review_digest()
        self.stdout.write(
            f"Review digest sent to {sent} clinician(s)." if sent else "No review due: nothing sent."
        )
