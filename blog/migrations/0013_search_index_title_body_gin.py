"""A GIN index on the expression PostgreSQL's search backend filters by.

Wagtail's PostgreSQL search backend matches ``(title || body) @@ query`` on its index table,
which has GIN indexes on ``title`` and ``body`` separately but none on their concatenation, so
every search scanned the whole table (time growing with the number of articles). An index on
exactly that expression lets PostgreSQL find the matching rows from the index. It changes no
data and no behaviour; SQLite's backend has its own full-text table and needs nothing.

Its statistics keep up to 100,000 words (10 x the target) instead of 1,000, so the planner
knows a rare word is rare: with the default, a word in 5 of 10,000 articles was estimated at
50 matches, and the planner walked every article in date order looking for 20 of them.
See docs/decisions/0002-search-index-expression.md.
"""

from django.db import migrations

INDEX = "blog_search_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )
        schema_editor.execute(f"ALTER INDEX {INDEX} ALTER COLUMN 1 SET STATISTICS 10000")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0012_merge_social_images"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
