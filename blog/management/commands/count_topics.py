"""Store again every topic count that is not current (``blog.topic_counts``): the scheduler's
``count_topics`` entry in ``SCHEDULED_COMMANDS``, or cron. A count stops being current on its
own after ``topic_counts.LONGEST``; until it is stored again readers count it live."""

from django.core.management.base import BaseCommand

from blog import topic_counts


class Command(BaseCommand):
    help = "Store the article count of every topic whose stored count is not current."

    def handle(self, *args, **options):
        stored = topic_counts.refresh()
        self.stdout.write(
            f"Stored the counts of {stored} topic(s)." if stored else "Every topic count is current."
        )
