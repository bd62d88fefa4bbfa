"""Counts of visible articles are queries now, and search is Wagtail's backend alone: drop the
stored counts and the SQLite full-text table (with its triggers on Wagtail's index table) that
an earlier version kept beside Wagtail's (docs/decisions/0001-counts-and-search-as-queries.md)."""

from django.db import migrations

LEFTOVERS = [
    "DROP TRIGGER IF EXISTS blog_article_search_entry_inserted",
    "DROP TRIGGER IF EXISTS blog_article_search_entry_updated",
    "DROP TRIGGER IF EXISTS blog_article_search_entry_deleted",
    "DROP TRIGGER IF EXISTS blog_article_search_public",
    "DROP TRIGGER IF EXISTS blog_article_search_hidden",
    "DROP TABLE IF EXISTS blog_article_search",
]


def drop_leftovers(apps, schema_editor):
    # Only SQLite databases ever had them; the statements are no-ops where they are absent.
    if schema_editor.connection.vendor == "sqlite":
        for statement in LEFTOVERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("blog", "0007_public_articles_search_index")]

    operations = [
        migrations.RunPython(drop_leftovers, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="PublicArticle"),
        migrations.DeleteModel(name="TopicCount"),
        migrations.DeleteModel(name="LiveArticleCount"),
    ]
