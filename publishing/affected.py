"""What a content change makes stale.

One computation serves two consumers: webhook payloads (``paths`` a frontend revalidates) and
CDN purges (the same paths on the public base URL, plus their API paths). The response cache
does not need it: every change bumps one content version (api/response_cache.py). Nothing here
writes: every function reads the database and returns an ``Impact``.

Where an article's summary is shown (the rules the functions below encode):
- its own page;
- the blog index (and so every pagination page under it) and the home page;
- the topic pages of its topics and the profile pages of its author and clinical reviewer;
- the pages of articles that show it in their related lists: the editor's picks
  (``ArticleRelatedPick``), inline pointers and links in their bodies (Wagtail's
  ``ReferenceIndex``), and articles sharing a topic (the automatic part of related lists).

A change to a page is computed from two snapshots, before and after, so topics or authors an
article *left* are revalidated too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.models import Page, ReferenceIndex, Site

from blog import selectors, visibility
from blog.models import (
    ArticlePage,
    ArticleRelatedPick,
    ArticleTopic,
    Author,
    BlogIndexPage,
    PracticeSettings,
    TherapeuticApproach,
    Topic,
)

# The home page shows the latest articles (templates/blog/home_page.html), so it is
# revalidated with every article change.
HOME_LISTS_ARTICLES = True
# Feeds and the sitemap list articles too (blog/urls.py); by URL name, so renames are noticed.
ARTICLE_LIST_URL_NAMES = ("feed-rss", "feed-atom", "sitemap")
TOPIC_URL_NAMES = ("topic-index", "topic-feed-rss", "topic-feed-atom")


@dataclass(frozen=True)
class Impact:
    """Public paths a change makes stale. ``site_wide`` means everything."""

    paths: frozenset[str] = field(default_factory=frozenset)
    site_wide: bool = False

    def __or__(self, other: Impact) -> Impact:
        return Impact(paths=self.paths | other.paths, site_wide=self.site_wide or other.site_wide)

    def sorted_paths(self) -> list[str]:
        return sorted(self.paths)


@dataclass(frozen=True)
class PageSnapshot:
    """What a live page showed the public at one moment: enough to know where it appeared."""

    pk: int
    path: str
    is_article: bool = False
    topic_ids: frozenset[int] = field(default_factory=frozenset)
    topic_slugs: frozenset[str] = field(default_factory=frozenset)
    author_slugs: frozenset[str] = field(default_factory=frozenset)
    descendant_paths: frozenset[str] = field(default_factory=frozenset)


# --- paths ---------------------------------------------------------------------------------


def path_for_url_path(url_path: str) -> str:
    """Public path of a page's ``url_path`` (``/home/blog/x/`` -> ``/blog/x/``)."""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return url_path


def topic_paths(slug: str) -> set[str]:
    """A topic's page and its feeds."""
    return {reverse(name, kwargs={"slug": slug}) for name in TOPIC_URL_NAMES}


def author_path(slug: str) -> str:
    return reverse("author-profile", kwargs={"slug": slug})


def _live_page_paths(page_ids: Iterable[int]) -> set[str]:
    ids = set(page_ids)
    if not ids:
        return set()
    url_paths = Page.objects.filter(visibility.published_q(), pk__in=ids).values_list("url_path", flat=True)
    return {path_for_url_path(url_path) for url_path in url_paths}


def _listing_paths() -> set[str]:
    """The blog index (the root of its pagination) and, when it lists articles, home."""
    url_paths = set(BlogIndexPage.objects.filter(visibility.published_q()).values_list("url_path", flat=True))
    paths = {path_for_url_path(url_path) for url_path in url_paths}
    paths |= {reverse(name) for name in ARTICLE_LIST_URL_NAMES}
    if HOME_LISTS_ARTICLES:
        paths.add("/")
    return paths


# --- snapshots -----------------------------------------------------------------------------


def snapshot_page(page: Page, *, include_descendants: bool = False) -> PageSnapshot | None:
    """The public state of ``page`` as stored now, or None when it is not ``published``
    (``blog.visibility``): the schedule is left out on purpose, since an article past its
    expiry but not yet unpublished by ``publish_scheduled`` may still sit in caches.
    """
    if page.pk is None or not Page.objects.filter(visibility.published_q(), pk=page.pk).exists():
        return None
    stored = Page.objects.get(pk=page.pk)
    descendants: frozenset[str] = frozenset()
    if include_descendants:
        descendants = frozenset(
            path_for_url_path(url_path)
            for url_path in stored.get_descendants()
            .filter(visibility.published_q())
            .values_list("url_path", flat=True)
        )
    if not issubclass(page.specific_class or Page, ArticlePage):
        return PageSnapshot(
            pk=stored.pk, path=path_for_url_path(stored.url_path), descendant_paths=descendants
        )
    topics = list(Topic.objects.filter(tagged_articles__content_object_id=page.pk).values_list("pk", "slug"))
    people = ArticlePage.objects.filter(pk=page.pk).values_list("author__slug", "reviewer__slug").first()
    return PageSnapshot(
        pk=stored.pk,
        path=path_for_url_path(stored.url_path),
        is_article=True,
        topic_ids=frozenset(pk for pk, _ in topics),
        topic_slugs=frozenset(slug for _, slug in topics),
        author_slugs=frozenset(slug for slug in (people or ()) if slug),
    )


# --- impacts -------------------------------------------------------------------------------


def _summary_impact(article_ids: set[int], topic_ids: set[int], author_slugs: set[str]) -> Impact:
    """Every page that shows the summaries of ``article_ids`` (see the module docstring).

    ``topic_ids`` and ``author_slugs`` add topics and people whose pages list those articles
    at some other moment (before a change). A fixed number of queries, whatever the sizes.
    """
    topic_ids = set(topic_ids)
    author_slugs = set(author_slugs)
    live = selectors.live_articles()
    for tag_id in ArticleTopic.objects.filter(content_object_id__in=article_ids).values_list(
        "tag_id", flat=True
    ):
        topic_ids.add(tag_id)
    for author_slug, reviewer_slug in live.filter(pk__in=article_ids).values_list(
        "author__slug", "reviewer__slug"
    ):
        author_slugs.update(slug for slug in (author_slug, reviewer_slug) if slug)

    showing: set[int] = set(
        ArticleRelatedPick.objects.filter(article_id__in=article_ids).values_list("page_id", flat=True)
    )
    showing |= _pages_referencing(Page, article_ids)
    if topic_ids:
        showing |= set(
            ArticleTopic.objects.filter(tag_id__in=topic_ids).values_list("content_object_id", flat=True)
        )
    topic_slugs = set(Topic.objects.filter(pk__in=topic_ids).values_list("slug", flat=True))

    paths = _live_page_paths(showing | set(article_ids)) | _listing_paths()
    for slug in topic_slugs:
        paths |= topic_paths(slug)
    paths |= {author_path(slug) for slug in author_slugs}
    return Impact(paths=frozenset(paths))


def _base_content_type(model) -> ContentType:
    """The content type Wagtail's reference index records for ``model``: the model holding the
    primary key (``Page`` for every page type), as documented for ``ReferenceIndex``."""
    parents = model._meta.get_parent_list()
    return ContentType.objects.get_for_model(parents[-1] if parents else model, for_concrete_model=False)


def _pages_referencing(model, pks: Iterable[int]) -> set[int]:
    """Ids of pages whose fields or body blocks point at objects of ``model`` (ReferenceIndex)."""
    keys = [str(pk) for pk in pks]
    if not keys:
        return set()
    page_type = ContentType.objects.get_for_model(Page)
    source_ids = ReferenceIndex.objects.filter(
        to_content_type=_base_content_type(model),
        to_object_id__in=keys,
        base_content_type=page_type,
    ).values_list("object_id", flat=True)
    return {int(pk) for pk in source_ids}


def _referenced_by_settings(page_ids: Iterable[int]) -> bool:
    """True when site settings (menu, default call to action) point at one of the pages."""
    keys = [str(pk) for pk in page_ids]
    if not keys:
        return False
    return ReferenceIndex.objects.filter(
        to_content_type=ContentType.objects.get_for_model(Page),
        to_object_id__in=keys,
        base_content_type=ContentType.objects.get_for_model(PracticeSettings),
    ).exists()


def page_change(before: PageSnapshot | None, after: PageSnapshot | None) -> Impact:
    """Impact of a page going from ``before`` to ``after`` (None: not publicly visible)."""
    snapshots = [s for s in (before, after) if s is not None]
    if not snapshots:
        return Impact()
    pk = snapshots[0].pk
    paths: set[str] = set()
    for snapshot in snapshots:
        paths.add(snapshot.path)
        paths |= snapshot.descendant_paths
    impact = Impact(paths=frozenset(paths))
    if any(s.is_article for s in snapshots):
        impact |= _summary_impact(
            {pk},
            set().union(*(s.topic_ids for s in snapshots)),
            set().union(*(s.author_slugs for s in snapshots)),
        )
    else:
        # Pages linking to this one (calls to action, rich text links) show its path or title.
        # (A blog index that moved or was renamed: its articles' paths are descendant paths.)
        impact |= Impact(paths=frozenset(_live_page_paths(_pages_referencing(Page, {pk}))))
    if _referenced_by_settings({pk}):
        impact |= everything()
    return impact


def author_change(author: Author, *, old_slug: str | None = None) -> Impact:
    """An author's profile and every page showing their articles."""
    slugs = {author.slug} | ({old_slug} if old_slug else set())
    article_ids = set(
        selectors.live_articles_by_author(author).values_list("pk", flat=True) if author.pk else []
    )
    impact = _summary_impact(article_ids, set(), slugs) if article_ids else Impact()
    return impact | Impact(paths=frozenset(author_path(slug) for slug in slugs))


def approach_change(approach: TherapeuticApproach) -> Impact:
    """Pages whose approach blocks show this approach (found through Wagtail's ReferenceIndex)."""
    return Impact(paths=frozenset(_live_page_paths(_pages_referencing(TherapeuticApproach, {approach.pk}))))


def topic_change(topic: Topic, *, old_slug: str | None = None) -> Impact:
    """A topic's page and every page showing the summaries of its articles (they name it)."""
    slugs = {topic.slug} | ({old_slug} if old_slug else set())
    article_ids = (
        set(selectors.live_articles_for_topic(topic).values_list("pk", flat=True)) if topic.pk else set()
    )
    # A topic without live articles is on no public page (its page answers 404).
    impact = _summary_impact(article_ids, {topic.pk}, set()) if article_ids else Impact()
    return impact | Impact(paths=frozenset(set().union(*(topic_paths(slug) for slug in slugs))))


def everything() -> Impact:
    """Site-wide change (settings shown on every page): every public path."""
    page_paths = {
        path_for_url_path(url_path)
        for url_path in Page.objects.filter(visibility.published_q(), depth__gt=1).values_list(
            "url_path", flat=True
        )
    }
    topic_slugs = [topic.slug for topic in selectors.topics_with_live_counts()]
    author_slugs = Author.objects.values_list("slug", flat=True)
    paths = page_paths | {author_path(s) for s in author_slugs} | _listing_paths()
    for slug in topic_slugs:
        paths |= topic_paths(slug)
    return Impact(paths=frozenset(paths), site_wide=True)


# --- CDN purge URLs --------------------------------------------------------------------------

_ARTICLE_PATH = re.compile(r"^/blog/(?P<slug>[-\w]+)/$")
_TOPIC_PATH = re.compile(r"^/blog/topics/(?P<slug>[-\w]+)/$")
_AUTHOR_PATH = re.compile(r"^/blog/authors/(?P<slug>[-\w]+)/$")


def api_paths_for(impact: Impact) -> list[str]:
    """API paths (under /api/v1) showing what ``impact`` changed: the shared lists, the detail
    and comments of every article path, the topics and authors whose pages changed, resolve
    for every path, and the site data when everything changed."""
    paths = {"/articles/", "/topics/", "/authors/"}
    if impact.site_wide:
        paths.add("/site/")
    for path in impact.paths:
        if match := _TOPIC_PATH.match(path):
            paths.add(f"/topics/{match['slug']}/")
        elif match := _AUTHOR_PATH.match(path):
            paths.add(f"/authors/{match['slug']}/")
        elif match := _ARTICLE_PATH.match(path):
            paths |= {f"/articles/{match['slug']}/", f"/articles/{match['slug']}/comments/"}
        paths.add(f"/resolve/?{urlencode({'path': path})}")
    return sorted(paths)


def purge_urls_for(impact: Impact) -> list[str]:
    """Every URL a CDN should drop for a change: the public paths on the site's base URL, and
    the API's on the CMS's."""
    site, api = settings.PUBLIC_BASE_URL, f"{settings.WAGTAILADMIN_BASE_URL}/api/v1"
    return [f"{site}{path}" for path in impact.sorted_paths()] + [
        f"{api}{path}" for path in api_paths_for(impact)
    ]


def comments_change(article_id: int) -> Impact:
    """A comment became visible or invisible: its article's page (and API detail, comments)."""
    return Impact(paths=frozenset(_live_page_paths([article_id])))
