"""Reads shared by the API, the rendered pages, feeds and the sitemap.

Visibility rules live here once: "live and public" means published, not expired, not
scheduled for the future, and not under a view restriction (on itself or an ancestor).
"""

from __future__ import annotations

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from blog.models import ArticlePage, ArticleTopic, Author, BlogIndexPage, Topic
from blog.representations import RENDITION_SPECS


def live_articles() -> QuerySet[ArticlePage]:
    """Articles a member of the public may see right now."""
    now = timezone.now()
    return (
        ArticlePage.objects.live()
        .public()
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    )


def image_queryset():
    return get_image_model().objects.prefetch_renditions(*RENDITION_SPECS)


def article_summaries(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Everything an ArticleSummary needs, in a fixed number of queries; body not loaded."""
    return (
        queryset.defer("body")
        .select_related("author")
        .prefetch_related(
            "topics",
            Prefetch("hero_image", queryset=image_queryset()),
            Prefetch("author__photo", queryset=image_queryset()),
        )
    )


def newest_articles(queryset: QuerySet[ArticlePage] | None = None) -> QuerySet[ArticlePage]:
    qs = queryset if queryset is not None else live_articles()
    return qs.order_by("-first_published_at", "-pk")


def topics_with_live_counts() -> QuerySet[Topic]:
    """Topics that have at least one live article, with ``article_count``."""
    live_ids = live_articles().values("pk")
    return (
        Topic.objects.annotate(
            article_count=Count(
                "tagged_articles",
                filter=Q(tagged_articles__content_object__in=live_ids),
                distinct=True,
            )
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def live_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return live_articles().filter(pk__in=ArticleTopic.objects.filter(tag=topic).values("content_object_id"))


def live_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    return live_articles().filter(Q(author=author) | Q(reviewer=author))


def related_articles(article: ArticlePage, *, limit: int = 4) -> list[ArticlePage]:
    """Editor's picks first, then articles sharing the most topics, newest first among equals.

    Never the article itself, never anything that is not live and public.
    """
    live = live_articles().exclude(pk=article.pk)
    pick_ids = [pick.article_id for pick in article.related_picks.all() if pick.article_id is not None]
    picked = {a.pk: a for a in article_summaries(live.filter(pk__in=pick_ids))}
    result = [picked[pk] for pk in pick_ids if pk in picked][:limit]
    if len(result) < limit:
        topic_ids = [t.pk for t in article.topics.all()]
        if topic_ids:
            shared = (
                live.exclude(pk__in=[a.pk for a in result])
                .annotate(
                    shared_topics=Count(
                        "tagged_topics", filter=Q(tagged_topics__tag_id__in=topic_ids), distinct=True
                    )
                )
                .filter(shared_topics__gt=0)
                .order_by("-shared_topics", "-first_published_at", "-pk")
            )
            result += list(article_summaries(shared)[: limit - len(result)])
    return result


# --- Rendered site: listings, feeds and the sitemap (added by the site engineer) -------------
# A page whose editor ticked "Hide from search engines" stays reachable by its URL but is left
# out of everything a crawler or reader browses: the sitemap, feeds and HTML listings.


def live_public_pages() -> QuerySet[Page]:
    """Every page (any type) a member of the public may see right now, as specific pages."""
    now = timezone.now()
    return (
        Page.objects.live()
        .public()
        .filter(depth__gt=1)
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .defer_streamfields()
        .specific()
        .order_by("path")
    )


def listed_articles() -> QuerySet[ArticlePage]:
    """Live, public articles that may appear in listings, feeds and the sitemap."""
    return live_articles().filter(noindex=False)


def blog_index_page() -> BlogIndexPage | None:
    """The live blog index (for breadcrumbs and feed links), or None."""
    return BlogIndexPage.objects.live().only("title", "url_path", "depth", "path").first()


def listed_articles_for_topic(topic: Topic) -> QuerySet[ArticlePage]:
    return listed_articles().filter(pk__in=ArticleTopic.objects.filter(tag=topic).values("content_object_id"))


def listed_articles_by_author(author: Author) -> QuerySet[ArticlePage]:
    """Articles the person wrote or clinically reviewed."""
    return listed_articles().filter(Q(author=author) | Q(reviewer=author))


def topics_with_listed_articles() -> QuerySet[Topic]:
    """Topics with at least one listed article, with ``last_published_at`` (for lastmod)."""
    listed = listed_articles()
    return (
        Topic.objects.filter(tagged_articles__content_object__in=listed.values("pk"))
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
