"""``manage.py bench_seed --articles N`` (bench settings): build the benchmark's content."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench import seed
from blog import topic_counts
from blog.models import ArticlePage


class Command(BaseCommand):
    help = "Replace the site with N generated articles for the benchmark (reused if already built)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=1000, help="How many articles (default 1000).")
        parser.add_argument(
            "--force", action="store_true", help="Rebuild even if this N is already in the database."
        )
        parser.add_argument(
            "--replace-foreign",
            action="store_true",
            help="Allow emptying a database holding pages the benchmark did not create.",
        )

    def handle(self, *args, articles, force, replace_foreign, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if (
            not force
            and seed.seeded_count() == articles
            and ArticlePage.objects.count() == articles
            and seed.media_present()
        ):
            self.stdout.write(f"Bench content with {articles} articles already built; reusing it.")
            analyze()
            count_topics()
            return
        if seed.has_foreign_content() and not replace_foreign:
            raise CommandError(
                "This database holds pages the benchmark did not create. Point DATABASE_URL at a "
                "database kept for the benchmark, or pass --replace-foreign to delete them."
            )
        self.stdout.write(f"Emptying the database and building {articles} articles…")
        timings = seed.build(articles, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Built {articles} articles in {timings['total']} s."))
        analyze()
        count_topics()


def analyze() -> None:
    """Bring PostgreSQL to the state autovacuum keeps a production database in, as after a
    restore or any bulk import: planner statistics (without them the planner guesses one row
    for every filtered page scan and picks nested loops that cost 40x more), and GIN indexes
    with their pending lists merged (a freshly loaded search index otherwise keeps every new
    entry in a list each search reads through, and the planner prices the index out).
    SQLite needs nothing (its planner uses the indexes without statistics)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def count_topics() -> None:
    """The seed writes rows in bulk, without the signals whose commit stores topic counts;
    store them as the first publish after an import would (a site's steady state)."""
    topic_counts.forget()
    topic_counts.refresh()
