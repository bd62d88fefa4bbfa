"""A full-text index of public articles on SQLite, beside Wagtail's.

Wagtail's index (``wagtailsearch_indexentry`` and its FTS5 table) holds every indexed object:
drafts, expired and restricted articles, other pages, images. A search therefore found its
matches there and then looked up every match's page to keep the live, public ones: for a
word in all of 10,000 articles, the total alone visited 10,000 entries and pages (most of a
cold search, and what grew with the number of articles).

This table holds the same text for articles only, keyed by the page's id, with a ``state``
column that reads ``public`` for the articles in ``PublicArticle`` (every visible article;
exactly the visible ones while ``LiveArticleCount.public_exact_*`` says so). Adding
``state : public`` to the full-text query makes "public matches" a merge of two posting
lists inside FTS5: a total is one ``count(*)``, and the list's filter a set of page ids.

It is kept by triggers, not Python signals, because Wagtail writes its index from a task
(the worker, in production) with ``update()`` and ``bulk_create()``, which send no signals:
- an article's index entry inserted, updated (title, body or autocomplete only: Wagtail
  rewrites ``title_norm`` of many entries at once) or deleted → its row here;
- a ``PublicArticle`` row inserted or deleted (``blog.topic_counts``) → its ``state``.

PostgreSQL keeps the generic path (``selectors.search_article_ids``).
"""

from __future__ import annotations

from typing import Any

from django.db import connections

TABLE = "blog_article_search"
ENTRIES = "wagtailsearch_indexentry"
PUBLIC = "blog_publicarticle"
COUNTS = "blog_livearticlecount"
# Only ArticlePage entries; resolved when a trigger runs, so no content type id is frozen
# into the schema (test databases and restored dumps number them differently).
_IS_ARTICLE = (
    "{row}.content_type_id = (SELECT id FROM django_content_type "
    "WHERE app_label = 'blog' AND model = 'articlepage')"
)
_STATE = (
    "CASE WHEN EXISTS (SELECT 1 FROM " + PUBLIC + " WHERE article_id = {page_id}) "
    "THEN 'public' ELSE 'hidden' END"
)

CREATE = [
    # The columns Wagtail's FTS table has (so its column filters apply here unchanged), plus
    # the state. Same tokenizer (FTS5's default), so a word matches here as it does there.
    # detail=column: postings say which columns hold a word, not where; the search asks no
    # phrase (one token per word, ``selectors.search_words``), and reading a common word's
    # postings took a third of the time (a count over 10,000 matches: 2.0 -> 0.6 ms).
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(autocomplete, body, title, state, detail=column)",
    f"""CREATE TRIGGER blog_article_search_entry_inserted AFTER INSERT ON {ENTRIES}
    WHEN {_IS_ARTICLE.format(row="NEW")}
    BEGIN
        DELETE FROM {TABLE} WHERE rowid = CAST(NEW.object_id AS INTEGER);
        INSERT INTO {TABLE} (rowid, autocomplete, body, title, state)
        VALUES (CAST(NEW.object_id AS INTEGER), NEW.autocomplete, NEW.body, NEW.title,
                {_STATE.format(page_id="CAST(NEW.object_id AS INTEGER)")});
    END""",
    f"""CREATE TRIGGER blog_article_search_entry_updated
    AFTER UPDATE OF autocomplete, body, title ON {ENTRIES}
    WHEN {_IS_ARTICLE.format(row="NEW")}
    BEGIN
        UPDATE {TABLE} SET autocomplete = NEW.autocomplete, body = NEW.body, title = NEW.title
        WHERE rowid = CAST(NEW.object_id AS INTEGER);
    END""",
    f"""CREATE TRIGGER blog_article_search_entry_deleted AFTER DELETE ON {ENTRIES}
    WHEN {_IS_ARTICLE.format(row="OLD")}
    BEGIN
        DELETE FROM {TABLE} WHERE rowid = CAST(OLD.object_id AS INTEGER);
    END""",
    f"""CREATE TRIGGER blog_article_search_public AFTER INSERT ON {PUBLIC}
    BEGIN
        UPDATE {TABLE} SET state = 'public' WHERE rowid = NEW.article_id AND state != 'public';
    END""",
    f"""CREATE TRIGGER blog_article_search_hidden AFTER DELETE ON {PUBLIC}
    BEGIN
        UPDATE {TABLE} SET state = 'hidden' WHERE rowid = OLD.article_id AND state != 'hidden';
    END""",
    # What is indexed already (an existing site migrating); later writes go through the triggers.
    f"""INSERT INTO {TABLE} (rowid, autocomplete, body, title, state)
    SELECT CAST(e.object_id AS INTEGER), e.autocomplete, e.body, e.title,
           {_STATE.format(page_id="CAST(e.object_id AS INTEGER)")}
    FROM {ENTRIES} AS e WHERE {_IS_ARTICLE.format(row="e")}""",
]

DROP = [
    "DROP TRIGGER IF EXISTS blog_article_search_entry_inserted",
    "DROP TRIGGER IF EXISTS blog_article_search_entry_updated",
    "DROP TRIGGER IF EXISTS blog_article_search_entry_deleted",
    "DROP TRIGGER IF EXISTS blog_article_search_public",
    "DROP TRIGGER IF EXISTS blog_article_search_hidden",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def supported(connection) -> bool:
    """SQLite with FTS5, the condition under which Wagtail's own migrations create its FTS
    table (and ours creates this one)."""
    if connection.vendor != "sqlite":
        return False
    from modelsearch.backends.database.sqlite.utils import fts5_available

    return fts5_available()


def create(apps, schema_editor) -> None:
    if supported(schema_editor.connection):
        for statement in CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    if supported(schema_editor.connection):
        for statement in DROP:
            schema_editor.execute(statement)


def public_match(fts_query: str) -> str:
    """The FTS5 query for "matches ``fts_query`` and is public". ``fts_query`` is what
    Wagtail's backend passes to MATCH (``{title body} : (…)``, a column filter), so words
    are parsed and fields chosen exactly as there."""
    return f"({fts_query}) AND state : public"


def public_ids_sql(match: str) -> tuple[str, list[Any]]:
    """Page ids of the articles matching ``match`` (``public_match``) among the public rows,
    as SQL for ``pk IN (…)``."""
    return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match]


def exact_public_count(match: str, now, using: str = "default") -> int | None:
    """How many visible articles match, in one query, while the public rows are exactly the
    visible articles (``LiveArticleCount.public_exact_*``); None when they are not, or were
    never refreshed: the caller counts from the pages."""
    sql = (
        f"SELECT (SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH %s) FROM {COUNTS} "
        "WHERE id = 1 AND (public_exact_from IS NULL OR public_exact_from <= %s) "
        "AND (public_exact_until IS NULL OR public_exact_until > %s)"
    )
    connection = connections[using]
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, stamp, stamp])
        row = cursor.fetchone()
    return None if row is None else row[0]
