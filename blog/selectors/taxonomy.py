"""Topics and people with how many visible articles they have, one query each.

A topic's count is its stored count while that is current (``Topic.counted_until`` in the
future, kept by ``blog.topic_counts``), else counted live in the same query: counting every
article-topic row grows with the articles (docs/decisions/0002). Authors are counted live."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, Count, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from blog import visibility
from blog.models import ArticlePage, ArticleTopic, Author, Topic
from blog.selectors.articles import listed_articles

_VISIBLE_ROW = "content_object__"  # from an article–topic row to its article


def article_count():
    """The topic's visible articles: the stored count while current, else a correlated count
    (the database evaluates it only for the rows whose stored count is not current)."""
    now = timezone.now()
    live = (
        ArticleTopic.objects.filter(visibility.visible_q(_VISIBLE_ROW, now), tag_id=OuterRef("pk"))
        .order_by()
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Case(
        When(counted_until__gt=now, then=F("counted_articles")),
        default=Coalesce(Subquery(live), Value(0)),
    )


def counted_now(topic_ids: Iterable[int], at=None) -> dict[int, int]:
    """{topic id: visible articles at ``at`` (now)} counted from the pages, ignoring stored
    counts."""
    rows = (
        ArticleTopic.objects.filter(visibility.visible_q(_VISIBLE_ROW, at), tag_id__in=set(topic_ids))
        .order_by()
        .values("tag_id")
        .annotate(n=Count("content_object_id"))
        .values_list("tag_id", "n")
    )
    return dict(rows)


def topics_with_live_counts() -> list[Topic]:
    """Topics that have at least one visible article, by name, each with ``article_count``."""
    return list(
        Topic.objects.annotate(article_count=article_count()).filter(article_count__gt=0).order_by("name")
    )


def live_topic(slug: str) -> Topic | None:
    """A topic with at least one visible article, with ``article_count``."""
    topic = Topic.objects.select_related("social_image").filter(slug=slug).first()
    if topic is None:
        return None
    topic.article_count = live_counts([topic.pk]).get(topic.pk, 0)
    return topic if topic.article_count > 0 else None


def live_counts(topic_ids: Iterable[int]) -> dict[int, int]:
    """{topic id: visible articles} for ``topic_ids`` (absent: none): one plain query while
    their stored counts are current, and one grouped count for those that are not.

    The topic list keeps ``article_count()`` (one query for every topic); here the topics are
    known, and reading their stored counts first spares each request the live count's query
    (the visibility rule's subqueries, built and compiled in Python) in the common case.
    """
    ids = set(topic_ids)
    if not ids:
        return {}
    now = timezone.now()
    counts = dict(
        Topic.objects.filter(pk__in=ids, counted_until__gt=now).values_list("pk", "counted_articles")
    )
    stale = ids - counts.keys()
    if stale:
        counts.update(counted_now(stale, now))
    return {pk: n for pk, n in counts.items() if n > 0}


def attach_live_counts(topics: Iterable[Topic]) -> None:
    """Set ``article_count`` on each topic, in one query."""
    topics = list(topics)
    counts = live_counts(t.pk for t in topics)
    for topic in topics:
        topic.article_count = counts.get(topic.pk, 0)


def authors_with_live_counts() -> QuerySet[Author]:
    """Every author, by name, with ``article_count`` (visible articles written) and
    ``reviewed_count`` (visible articles clinically reviewed)."""

    def count(field: str) -> Coalesce:
        # A subquery per role: joining both relations at once would multiply their rows.
        rows = (
            ArticlePage.objects.visible()
            .filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(rows), Value(0))

    return Author.objects.annotate(article_count=count("author"), reviewed_count=count("reviewer")).order_by(
        "name", "pk"
    )


def topics_with_listed_articles() -> QuerySet[Topic]:
    """Topics with at least one listed article, with ``last_published_at`` (for lastmod)."""
    return (
        Topic.objects.filter(tagged_articles__content_object__in=listed_articles().values("pk"))
        .annotate(last_published_at=Max("tagged_articles__content_object__last_published_at"))
        .order_by("slug")
    )


def authors_with_listed_articles() -> QuerySet[Author]:
    """Authors who wrote or reviewed at least one listed article, with ``last_published_at``."""
    listed = listed_articles()
    written = listed.filter(author=OuterRef("pk")).order_by("-last_published_at")
    reviewed = listed.filter(reviewer=OuterRef("pk")).order_by("-last_published_at")
    return (
        Author.objects.annotate(
            last_written=Subquery(written.values("last_published_at")[:1]),
            last_reviewed_at=Subquery(reviewed.values("last_published_at")[:1]),
        )
        .filter(Q(last_written__isnull=False) | Q(last_reviewed_at__isnull=False))
        .order_by("slug")
    )


def topics_last_published(topic_ids: list[int]) -> dict[int, Any]:
    """{topic id: when its newest visible article was last published} for ``topic_ids`` (one
    query; none for no ids). Topics without a visible article are absent."""
    if not topic_ids:
        return {}
    rows = (
        ArticleTopic.objects.filter(visibility.visible_q(_VISIBLE_ROW), tag_id__in=topic_ids)
        .order_by()
        .values("tag_id")
        .annotate(last=Max(f"{_VISIBLE_ROW}last_published_at"))
        .values_list("tag_id", "last")
    )
    return dict(rows)


def authors_last_published(author_ids: list[int]) -> dict[int, Any]:
    """{author id: when the newest visible article they wrote or reviewed was last published}
    for ``author_ids`` (one query; none for no ids). Authors without one are absent."""
    if not author_ids:
        return {}
    dates: dict[int, Any] = {}
    rows = (
        ArticlePage.objects.visible()
        .filter(Q(author_id__in=author_ids) | Q(reviewer_id__in=author_ids))
        .values_list("author_id", "reviewer_id", "last_published_at")
    )
    for author_id, reviewer_id, published in rows:
        for person in {author_id, reviewer_id} & set(author_ids):
            if published is not None and (dates.get(person) is None or published > dates[person]):
                dates[person] = published
    return dates
