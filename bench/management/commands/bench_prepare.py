"""``manage.py bench_prepare`` (bench settings): pick the measured article, write the ceiling.

Prints the targets' parameters as JSON for ``bench.run``. The ceiling is a static JSON file
with the article detail's own bytes (our API's detail when it answers, else API v2's), so
WhiteNoise serves exactly as many bytes, compressing them as well as the detail compresses.
"""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from bench.seed import sample_article_info
from blog.models import ArticlePage


class Command(BaseCommand):
    help = "Choose the benchmark's sample article and write the static ceiling file."

    def handle(self, *args, **options):
        if not ArticlePage.objects.exists():
            raise CommandError("No articles: run bench_seed first.")
        info = sample_article_info()
        client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
        source = f"/api/v1/articles/{info['slug']}/"
        response = client.get(source)
        if response.status_code != 200:
            source = f"/bench-v2/pages/{info['id']}/"
            response = client.get(source)
        if response.status_code != 200:
            raise CommandError(f"Neither detail endpoint answered 200 (last: {response.status_code}).")
        folder = settings.BENCH_DIR / "ceiling" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "ceiling.json").write_bytes(response.content)
        info.update(ceiling_source=source, ceiling_bytes=len(response.content))
        self.stdout.write(json.dumps(info))
