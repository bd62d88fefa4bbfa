"""Related articles: the one ranking the API and the rendered page share."""

from __future__ import annotations

from django.db import connection
from wagtail.models import Page

from blog import visibility
from blog.models import ArticlePage, ArticleRelatedPick, ArticleTopic
from blog.selectors.articles import api_article_rows, article_summaries, live_articles


def related_article_ids(article: ArticlePage, *, limit: int = 4, draft: bool = False) -> list[int]:
    """Ids of the ``limit`` best related articles, best first: editor's picks first (in their
    order), then visible articles sharing the most topics, newest first among equals. Never
    the article itself. Picks are kept to visible ones by the caller's row query.

    Two queries for a stored article (its picks; the best sharing articles, its topics read in
    a subquery). A ``draft`` (a preview) ranks by its own in-memory picks and topics.
    """
    if draft:
        picks = [p.article_id for p in article.related_picks.all() if p.article_id is not None]
        topic_ids: list[int] | None = [t.pk for t in article.topics.all()]
    else:
        picks = list(
            ArticleRelatedPick.objects.filter(page_id=article.pk)
            .order_by("sort_order", "pk")
            .values_list("article_id", flat=True)
        )
        topic_ids = None
    picks = [pk for pk in dict.fromkeys(picks) if pk != article.pk]
    if draft and not topic_ids:
        return picks
    return [*picks, *_sharing_topics(article.pk, topic_ids, [article.pk or 0, *picks], limit)]


def _sharing_topics(
    article_pk: int | None, topic_ids: list[int] | None, exclude: list[int], limit: int
) -> list[int]:
    """The ``limit`` visible articles (not in ``exclude``) sharing the most of ``topic_ids``
    (None: the stored topics of ``article_pk``), newest first among equals, in one query.

    Written by hand because the ORM has no derived table: the topic rows are counted per
    article first (an index-only scan of ``(tag, article)``), ordered by that count, and only
    then joined to their pages. Given counts in order, PostgreSQL checks visibility and reads
    the publication date for the best few candidates only (an incremental sort under the
    LIMIT) instead of for every article sharing a topic; the ORM's grouped join checked them
    all, which grows with the number of articles (decision 0008). The outer ORDER BY alone
    defines the result; the inner one only lets the planner stop early.
    """
    quote = connection.ops.quote_name
    topic, page = ArticleTopic._meta, Page._meta
    topics, tag, obj = (
        quote(topic.db_table),
        quote(topic.get_field("tag").column),
        quote(topic.get_field("content_object").column),
    )
    pages, pk, published = (
        quote(page.db_table),
        quote(page.pk.column),
        quote(page.get_field("first_published_at").column),
    )
    if topic_ids is None:
        tags_sql, tags_params = f"SELECT u.{tag} FROM {topics} u WHERE u.{obj} = %s", [article_pk]  # noqa: S608
    else:
        tags_sql, tags_params = ", ".join(["%s"] * len(topic_ids)), list(topic_ids)
    visible_sql, visible_params = visibility.visible_sql("p", connection)
    # Identifiers from the models' metadata, quoted; every value is a parameter.
    sql = (
        f"SELECT g.article FROM (SELECT t.{obj} AS article, COUNT(*) AS shared FROM {topics} t"  # noqa: S608
        f" WHERE t.{tag} IN ({tags_sql}) AND t.{obj} NOT IN ({', '.join(['%s'] * len(exclude))})"
        f" GROUP BY t.{obj} ORDER BY shared DESC) g"
        f" INNER JOIN {pages} p ON p.{pk} = g.article WHERE {visible_sql}"
        f" ORDER BY g.shared DESC, p.{published} DESC NULLS LAST, g.article DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tags_params, *exclude, *visible_params, limit])
        return [row[0] for row in cursor.fetchall()]


def related_articles(article: ArticlePage, *, limit: int = 4, draft: bool = False) -> list[ArticlePage]:
    """The rendered page's related cards: ``related_article_ids`` loaded as summaries."""
    ranked = related_article_ids(article, limit=limit, draft=draft)
    if not ranked:
        return []
    rows = article_summaries(live_articles()).in_bulk(ranked)
    return [rows[pk] for pk in ranked if pk in rows][:limit]


def api_related_and_inline(
    article: ArticlePage, inline_ids: set[int], *, limit: int = 4, draft: bool = False
) -> tuple[list[ArticlePage], list[ArticlePage]]:
    """(related, inline) for the API's detail: the ``limit`` best related articles and the
    visible ones among ``inline_ids`` (a body's inline pointers), as ``api_article_rows``
    (the detail loads their images with its body's), in one query for both."""
    inline_ids = {pk for pk in inline_ids if pk and pk != article.pk}
    ranked = related_article_ids(article, limit=limit, draft=draft)
    wanted = {*ranked, *inline_ids}
    # Read by id only, so left unordered (sorting by tree path is work for both sides).
    rows = api_article_rows(live_articles()).order_by().in_bulk(wanted) if wanted else {}
    related = [rows[pk] for pk in ranked if pk in rows][:limit]
    return related, [rows[pk] for pk in sorted(inline_ids) if pk in rows]
