"""An index on the article's key written as Wagtail's search index writes it (text).

Wagtail's PostgreSQL search backend finds an article's index entry through a generic
relation: ``indexentry.object_id = CAST(blog_articlepage.page_ptr_id AS varchar(50))``. With
an index on only the integer key, PostgreSQL joins the few entries a rare word matches to
the articles by reading every article row (a sequential scan, growing with the articles); an
index on exactly that expression lets it look each match up. The backend's query is its
own, so the index matches it rather than the other way round. SQLite's backend joins
through its own full-text table and needs nothing.

``ANALYZE`` gives the planner the expression's statistics at once; without them it keeps
the sequential scan until autovacuum next analyzes the table.
See docs/decisions/0009-search-pages-before-totals.md.
"""

from django.db import migrations

INDEX = "blog_article_key_as_object_id"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON blog_articlepage ((page_ptr_id::varchar(50)))"
        )
        schema_editor.execute("ANALYZE blog_articlepage")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("blog", "0015_topic_rows_by_tag_and_article")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
