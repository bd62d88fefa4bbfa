"""Articles: the ``ArticleSummary`` list item and the full ``Article``.

Runtime JSON comes from ``serialize_article_summaries`` and ``serialize_article`` (which call
the blocks' and ``blog.representations``' own output); the serializer classes describe it for
the schema. ``serialize_article`` is THE way to turn one ArticlePage into the detail shape:
the preview endpoint reuses it for drafts.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import serializers
from wagtail.images import get_image_model
from wagtail.models import Page

from api.serializers.blocks import article_body_field
from api.serializers.common import (
    ArticleSummarySerializer,
    AuthorSummarySerializer,
    BreadcrumbSerializer,
    SeoSerializer,
)
from blog import representations, review, selectors, seo
from blog.blocks import preloaded_choosers
from blog.models import ArticlePage, PracticeSettings, TherapeuticApproach
from readers import selectors as readers_selectors

RELATED_LIMIT = 4


class TableOfContentsEntrySerializer(serializers.Serializer):
    """``{"id": "what-it-feels-like", "text": "What it feels like", "level": 2}``

    ``id`` is the ``anchor`` of the matching heading block.
    """

    id = serializers.SlugField()
    text = serializers.CharField()
    level = serializers.ChoiceField(choices=[2, 3])


class ReviewSerializer(serializers.Serializer):
    """The clinical review of an article (``blog.review``)::

    {"reviewer": {AuthorSummary} | null, "reviewed_at": "2026-10-01" | null,
     "next_review_due": "2027-10-01" | null, "status": "current"}

    ``status`` is ``current`` until ``next_review_due``, ``due`` from that day (the article stays
    published, its dates those of the last real review), ``never`` without a recorded review.
    """

    reviewer = AuthorSummarySerializer(allow_null=True, help_text="The clinician who approved it.")
    reviewed_at = serializers.DateField(allow_null=True, help_text="Date of the last clinical review.")
    next_review_due = serializers.DateField(
        allow_null=True, help_text="When the review falls due again (the practice's interval after it)."
    )
    status = serializers.ChoiceField(choices=["current", "due", "never"])


class ArticleSerializer(ArticleSummarySerializer):
    """One article: everything in ``ArticleSummary`` plus body, table of contents, related
    articles, breadcrumbs, clinical review, comments and SEO::

    {…ArticleSummary…, "body": [{"type": "heading", "id": "…", "value": {…}}, …],
     "table_of_contents": [{"id": "causes", "text": "Causes", "level": 2}],
     "related": [{ArticleSummary}, …], "breadcrumbs": [{"title": "Home", "path": "/"}, …],
     "reviewed_by": {AuthorSummary} | null, "last_reviewed": "2026-10-01" | null,
     "review": {Review}, "comments_enabled": true, "comment_count": 3, "seo": {Seo}}
    """

    body = article_body_field()
    table_of_contents = TableOfContentsEntrySerializer(many=True)
    related = ArticleSummarySerializer(
        many=True, help_text="Up to 4: the editor's picks first, then articles sharing most topics."
    )
    breadcrumbs = BreadcrumbSerializer(many=True)
    reviewed_by = AuthorSummarySerializer(allow_null=True, help_text="The clinician who reviewed it.")
    last_reviewed = serializers.DateField(allow_null=True)
    review = ReviewSerializer(
        help_text="The clinical review: who approved the content, when, and when it is due again."
    )
    comments_enabled = serializers.BooleanField()
    comment_count = serializers.IntegerField(
        help_text="Approved comments shown on the article (replies included)."
    )
    seo = SeoSerializer()


class PaginatedArticleSummaryListSerializer(serializers.Serializer):
    """``{"count": 42, "next": "https://cms…/api/v1/articles/?page=2" | null,
    "previous": null, "results": [{ArticleSummary}, …]}``"""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ArticleSummarySerializer(many=True)


def serialize_article_summaries(articles: list[ArticlePage]) -> list[dict]:
    """ArticleSummary dicts for fetched rows (``selectors.api_article_rows``), in three
    queries whatever their number: topics with live counts, images, renditions."""
    context = selectors.prepare_article_summaries(articles)
    return [representations.article_summary(article, context) for article in articles]


def serialize_article(
    article: ArticlePage,
    *,
    request: HttpRequest | None = None,
    practice: PracticeSettings | None = None,
    draft: bool = False,
) -> dict[str, Any]:
    """Serialize ONE ArticlePage in exactly the ``Article`` detail shape of
    ``GET /api/v1/articles/{slug}/``.

    ``article`` may be a live page from ``selectors.live_articles()`` or, with ``draft``, a
    draft revision's page object (for preview): the draft's own body, topics and related
    picks are used, while everything it points to (related and inline articles) is
    still filtered to live, public content.

    Queries are constant in the number of blocks: the body's stored JSON names what its
    blocks point at (``raw_references``); related and inline articles, approaches, images
    and linked pages are each loaded once, handed to the choosers (``preloaded_choosers``)
    and to the blocks' ``get_api_representation`` (``context``).
    """
    stream_block = article.body.stream_block
    refs = stream_block.raw_references(article.body)

    related, inline = selectors.api_related_and_inline(
        article, refs.ids_for(ArticlePage), limit=RELATED_LIMIT, draft=draft
    )
    related_ids = {a.pk for a in related}
    inline = [a for a in inline if a.pk not in related_ids]
    reviewer = article.reviewer if article.reviewer_id else None
    people = [p for p in (reviewer, *(a.author for a in (article, *related, *inline))) if p is not None]
    # One image query for the body's images and every image the summaries show.
    own_images = [
        article.hero_image_id,
        article.social_image_id,
        *(a.hero_image_id for a in (*related, *inline)),
    ]
    crumb_paths = seo.ancestor_paths(article)
    choosers, public_pages = selectors.body_objects(
        refs,
        articles=inline,
        extra_image_ids=[*own_images, *(p.photo_id for p in people)],
        page_paths=crumb_paths,
    )
    choosers[ArticlePage] = {a.pk: a for a in (*related, *inline) if a.pk in refs.ids_for(ArticlePage)}
    approaches = choosers[TherapeuticApproach].values()
    context = selectors.prepare_article_summaries(
        [article, *related, *inline],
        drafts=[article] if draft else [],
        extra_images=list(choosers[get_image_model()].values()),
    )
    images = context["images"]
    if article.social_image_id in images:
        article.social_image = images[article.social_image_id]
    if reviewer is not None and reviewer.photo_id in images:
        reviewer.photo = images[reviewer.photo_id]
    context["articles"] = {a.pk: a for a in (*related, *inline)}
    context["rich_text"] = representations.expand_rich_text_batch(
        [*refs.rich_text, *(a.summary for a in approaches)], public_pages=public_pages
    )

    if practice is None:
        practice = PracticeSettings.load(request_or_site=request)
    review_state = review.review_of(article, interval_months=practice.review_interval_months)
    crumbs = seo.breadcrumbs(article, ancestors=[p for p in choosers[Page].values() if p.path in crumb_paths])
    data = representations.article_summary(article, context)
    with preloaded_choosers(choosers):  # every walk of the body below reads these objects
        data.update(
            {
                "body": stream_block.get_api_representation(article.body, context),
                "table_of_contents": article.table_of_contents,
                "related": [representations.article_summary(a, context) for a in related],
                "breadcrumbs": crumbs,
                "reviewed_by": representations.author_summary(review_state.reviewer, context),
                "last_reviewed": representations.isoformat(review_state.reviewed_at),
                "review": review.review_representation(review_state, context),
                "comments_enabled": article.comments_enabled,
                "comment_count": readers_selectors.comment_count(article),
                "seo": seo.page_seo(article, practice=practice, crumbs=crumbs, context=context),
            }
        )
    return data
