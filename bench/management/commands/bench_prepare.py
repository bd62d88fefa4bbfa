"""``manage.py bench_prepare`` (bench settings): pick the measured article, write the ceiling.

Prints the targets' parameters as JSON for ``bench.run``. The ceiling is a static JSON file
with the article detail's own bytes (our API's detail when it answers, else API v2's), so
WhiteNoise serves exactly as many bytes, compressing them as well as the detail compresses.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from blog.models import ArticlePage, Topic

SEARCH_TERM = "anxiety"


class Command(BaseCommand):
    help = "Choose the benchmark's sample article and write the static ceiling file."

    def handle(self, *args, **options):
        count = ArticlePage.objects.count()
        if not count:
            raise CommandError("No articles: run bench_seed first.")
        # The middle article: as many newer as older ones, bodies of the usual mix.
        article = ArticlePage.objects.order_by("pk")[count // 2]
        topic = Topic.objects.filter(tagged_articles__content_object=article).order_by("name").first()
        client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
        source = f"/api/v1/articles/{article.slug}/"
        response = client.get(source)
        if response.status_code != 200:
            source = f"/bench-v2/pages/{article.pk}/"
            response = client.get(source)
        if response.status_code != 200:
            raise CommandError(f"Neither detail endpoint answered 200 (last: {response.status_code}).")
        folder = settings.BENCH_DIR / "ceiling" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ceiling.json").write_bytes(response.content)
        self.stdout.write(
            json.dumps(
                {
                    "articles": count,
                    "id": article.pk,
                    "slug": article.slug,
                    "path": article.url,
                    "topic": topic.slug if topic else None,
                    "search": SEARCH_TERM,
                    "ceiling_source": source,
                    "ceiling_bytes": len(response.content),
                }
            )
        )
