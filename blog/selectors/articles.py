"""Articles: who may see which (``blog.visibility``), lists, filters and the detail row."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet, Subquery
from wagtail.images import get_image_model

from blog import visibility
from blog.models import ArticlePage, ArticleTopic, Author, BlogIndexPage, Topic
from blog.selectors.images import image_queryset
from blog.selectors.search import search_articles


def live_articles(at: datetime | None = None) -> QuerySet[ArticlePage]:
    """Articles a member of the public may see at ``at`` (now): ``visible`` in the glossary."""
    return ArticlePage.objects.visible(at)


def listed_articles(at: datetime | None = None) -> QuerySet[ArticlePage]:
    """Visible articles that may appear in HTML listings, feeds and the sitemap."""
    return ArticlePage.objects.listed(at)


def tagged(queryset: QuerySet[ArticlePage], topic: Topic) -> QuerySet[ArticlePage]:
    return queryset.filter(pk__in=ArticleTopic.objects.filter(tag=topic).values("content_object_id"))


def by_person(queryset: QuerySet[ArticlePage], author: Author) -> QuerySet[ArticlePage]:
    """Articles the person wrote or clinically reviewed."""
    return queryset.filter(Q(author=author) | Q(reviewer=author))


def live_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return tagged(live_articles(), topic)


def newest_topic_hero_image(topic: Topic):
    """The hero image of the topic's newest visible article that has one, or None (one
    query): what the topic's page is shared with when it has no sharing image of its own."""
    newest = newest_articles(live_articles_for_topic(topic).filter(hero_image__isnull=False))
    return get_image_model().objects.filter(pk=Subquery(newest.values("hero_image_id")[:1])).first()


def live_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    return by_person(live_articles(), author)


def listed_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return tagged(listed_articles(), topic)


def listed_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    return by_person(listed_articles(), author)


def newest_articles(queryset: QuerySet[ArticlePage] | None = None) -> QuerySet[ArticlePage]:
    qs = queryset if queryset is not None else live_articles()
    return qs.order_by("-first_published_at", "-pk")


def article_summaries(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything a rendered summary card needs, in a fixed number of queries; body not loaded."""
    return (
        queryset.defer("body")
        .select_related("author")
        .prefetch_related(
            "topics",
            Prefetch("hero_image", queryset=image_queryset()),
            Prefetch("author__photo", queryset=image_queryset()),
        )
    )


# The columns an ArticleSummary shows (``representations.article_summary``), with what
# ``select_related`` joins: a summary row loads nothing else (its body least of all).
SUMMARY_FIELDS = (
    "id",
    "content_type_id",
    "slug",
    "title",
    "url_path",
    "excerpt",
    "first_published_at",
    "last_published_at",
    "latest_revision_created_at",
    "reading_time_minutes",
    "hero_image",
    "author",
)


def api_article_rows(queryset: QuerySet[ArticlePage] | None = None) -> QuerySet[ArticlePage]:
    """Article rows for the API's ArticleSummary: ``SUMMARY_FIELDS`` only, author joined.
    Finish with ``prepare_article_summaries`` once a page of rows is fetched: it loads the
    images by id in one query. Joining them here instead gives PostgreSQL's planner two more
    relations to order (decision 0010: more than the query they save, above all beside a
    search's join)."""
    rows = queryset if queryset is not None else live_articles()
    return rows.only(*SUMMARY_FIELDS).select_related("author")


# By indexed fields only (``id``, not ``pk``), so a search orders its results the same way.
ORDERINGS = {
    "-published_at": ("-first_published_at", "-id"),
    "published_at": ("first_published_at", "id"),
    "title": ("title", "id"),
    "-title": ("-title", "-id"),
}


def api_articles(
    *,
    topics: list[str] | None = None,
    author: str | None = None,
    search: str | None = None,
    ordering: str = "-published_at",
):
    """Visible articles filtered as the API's list parameters ask (``api.filters``): a
    queryset, or with ``search`` Wagtail's search results (both sliced and counted in the
    database)."""
    # Narrowed by primary key only, so that a search's total (counted from the page table on
    # PostgreSQL) applies the same narrowing as its results.
    narrowing = Q()
    if topics:
        narrowing &= Q(pk__in=ArticleTopic.objects.filter(tag__slug__in=topics).values("content_object_id"))
    if author:
        narrowing &= Q(pk__in=ArticlePage.objects.filter(author__slug=author).values("pk"))
    if search:
        rows = api_article_rows(ArticlePage.objects.searchable()).order_by(*ORDERINGS[ordering])
        return search_articles(rows, search, narrowing=narrowing)
    return api_article_rows(live_articles().filter(narrowing)).order_by(*ORDERINGS[ordering])


def lowest_pk(queryset: QuerySet):
    """The row with the lowest primary key among the few a lookup matches (a slug is unique
    only among siblings), or None. The query itself is left unordered: for ORDER BY Django
    hashes every selected column, which on a wide joined row costs more than the fetch."""
    return min(queryset.order_by(), key=lambda row: row.pk, default=None)


def live_article(slug: str) -> ArticlePage | None:
    """The visible article with ``slug``, author and reviewer joined."""
    return lowest_pk(live_articles().select_related("author", "reviewer").filter(slug=slug))


def api_article(slug: str | None = None, *, pk: int | None = None) -> ArticlePage | None:
    """The visible article by slug or ``pk`` for the API's detail, in one query: author and
    reviewer joined (images come with the body's, ``body_objects``)."""
    key = {"slug": slug} if pk is None else {"pk": pk}
    return lowest_pk(live_articles().select_related("author", "reviewer").filter(**key))


def blog_index_page() -> BlogIndexPage | None:
    """The visible blog index (for breadcrumbs and feed links), or None."""
    return (
        BlogIndexPage.objects.filter(visibility.visible_q())
        .only("title", "url_path", "depth", "path")
        .first()
    )
