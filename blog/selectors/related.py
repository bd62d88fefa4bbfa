"""Related articles: the one ranking the API and the rendered page share."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Max

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
        topic_ids: Any = [t.pk for t in article.topics.all()]
    else:
        picks = list(
            ArticleRelatedPick.objects.filter(page_id=article.pk)
            .order_by("sort_order", "pk")
            .values_list("article_id", flat=True)
        )
        topic_ids = ArticleTopic.objects.filter(content_object_id=article.pk).values("tag_id")
    picks = [pk for pk in dict.fromkeys(picks) if pk != article.pk]
    if draft and not topic_ids:
        return picks
    sharing = (
        ArticleTopic.objects.filter(visibility.visible_q("content_object__"), tag_id__in=topic_ids)
        .exclude(content_object_id__in=[article.pk or 0, *picks])
        .values("content_object_id")
        .annotate(n=Count("pk"), published=Max("content_object__first_published_at"))
        .order_by("-n", F("published").desc(nulls_last=True), "-content_object_id")
        .values_list("content_object_id", flat=True)[:limit]
    )
    return [*picks, *sharing]


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
    without images (the detail loads them with its body's), in one query for both."""
    inline_ids = {pk for pk in inline_ids if pk and pk != article.pk}
    ranked = related_article_ids(article, limit=limit, draft=draft)
    wanted = {*ranked, *inline_ids}
    # Read by id only, so left unordered (sorting by tree path is work for both sides).
    rows = api_article_rows(live_articles(), join_images=False).order_by().in_bulk(wanted) if wanted else {}
    related = [rows[pk] for pk in ranked if pk in rows][:limit]
    return related, [rows[pk] for pk in sorted(inline_ids) if pk in rows]
