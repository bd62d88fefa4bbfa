"""``manage.py refresh_topic_counts``: recount live articles, in all and for every topic, and
mark which articles are public (``PublicArticle``, which the search index follows).

Publishing, unpublishing, moves, deletions, restrictions and re-tagging keep the counts right
through signals, and every ``migrate`` recounts; run this after writes that bypass model saves
(``QuerySet.update()``, raw SQL, a restored database).
"""

from django.core.management.base import BaseCommand

from blog import topic_counts
from blog.models import TopicCount


class Command(BaseCommand):
    help = "Recount live articles, in all and per topic, and mark the public ones (what the API reads)."

    def handle(self, *args, **options):
        topic_counts.refresh_all()
        self.stdout.write(f"Recounted {TopicCount.objects.count()} topics.")
