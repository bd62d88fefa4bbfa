"""A partial index of the pages that may be hidden by their own fields.

A search's exact total on PostgreSQL keeps the matches whose page is not hidden
(``blog.selectors.search.postgres_search_total``). Pages hidden by their fields (not live,
going live later, expired, the tree's root) are few, but finding them without an index
reads the whole page table, every search. This index holds only the pages that could be:
not live, or with a go-live or expiry date, or the root. ``visibility.hidden_by_fields_q``
implies its condition, so PostgreSQL reads the hidden pages from it, whatever the time.

It is an index on Wagtail's page table: it changes no data and no behaviour, and Wagtail's
own queries ignore it. See docs/decisions/0009-search-pages-before-totals.md.
"""

from django.db import migrations

INDEX = "blog_page_may_be_hidden"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (content_type_id)"
            " WHERE NOT live OR go_live_at IS NOT NULL OR expire_at IS NOT NULL OR depth <= 1"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("blog", "0016_article_key_as_search_object_id")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
