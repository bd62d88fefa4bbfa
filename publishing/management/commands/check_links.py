"""Check the links of every live, public page for the "Broken links" report.

Run by the scheduler (``SCHEDULED_COMMANDS``, daily): it queues the check for the task worker,
so the scheduler is never held up by slow websites. ``--now`` checks here and prints a summary
(for cron without a worker, or by hand).
"""

from django.core.management.base import BaseCommand

from publishing import links
from publishing.tasks import check_all_links


class Command(BaseCommand):
    help = "Queue (or with --now, run) a check of every link on the live site."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="Check here instead of queueing the check.")

    def handle(self, *args, now: bool, **options):
        if not now:
            check_all_links.enqueue()
            self.stdout.write("Queued a check of every link on the live site.")
            return
        counts = links.check_pages(None)
        self.stdout.write(
            f"Checked {sum(counts.values())} links: {counts['ok']} working, {counts['broken']} broken, "
            f"{counts['unreachable']} unreachable, {counts['unchecked']} not checked."
        )
