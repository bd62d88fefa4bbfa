"""/sitemap.xml: every live, indexable page, topic and author, with absolute URLs on
``PUBLIC_BASE_URL`` and ``lastmod``; and ``public_paths``, the same paths and the public
ones the sitemap leaves out, for the API's ``/api/v1/paths/``.

Left out of the sitemap: drafts, expired and future-scheduled pages, pages under a view
restriction (none of which is public), pages an editor hid from search engines, and pages
whose canonical points elsewhere (the sitemap lists canonical URLs only). ``public_paths``
lists the last two, marked, with topics and authors whose pages are public but not indexed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from wagtail.models import Page

from blog import selectors
from blog.representations import page_path, page_type


class PublicSitemap(Sitemap):
    """Builds ``loc`` from the public base URL instead of the request's host."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.PUBLIC_BASE_URL).scheme

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.PUBLIC_BASE_URL)
        return parts.netloc + parts.path.rstrip("/")


def page_in_sitemap(page: Page) -> bool:
    """A live, public page is listed unless hidden from search engines or canonical elsewhere."""
    return not getattr(page, "noindex", False) and not getattr(page, "canonical_url", "")


class PageSitemap(PublicSitemap):
    def items(self) -> list:
        return [page for page in selectors.live_public_pages() if page_in_sitemap(page)]

    def location(self, page) -> str:
        return page_path(page)

    def lastmod(self, page):
        return page.last_published_at or page.latest_revision_created_at


class TopicSitemap(PublicSitemap):
    def items(self) -> list:
        return list(selectors.topics_with_listed_articles())

    def location(self, topic) -> str:
        return topic.path

    def lastmod(self, topic):
        return topic.last_published_at


class AuthorSitemap(PublicSitemap):
    def items(self) -> list:
        return list(selectors.authors_with_listed_articles())

    def location(self, author) -> str:
        return author.path

    def lastmod(self, author):
        dates = [d for d in (author.last_written, author.last_reviewed_at) if d is not None]
        return max(dates) if dates else None


SITEMAPS = {"pages": PageSitemap, "topics": TopicSitemap, "authors": AuthorSitemap}


# --- Every public path, for the API (``api.views.paths``) ---------------------------------


@dataclass(frozen=True)
class PublicPath:
    """A path a member of the public can open. ``type`` is what the frontend renders it as
    (``representations.page_type``, ``topic`` or ``author``); ``noindex`` whether its page
    asks search engines not to list it; ``in_sitemap`` whether /sitemap.xml lists it."""

    type: str
    path: str
    last_modified: datetime | None
    noindex: bool
    in_sitemap: bool


def _page_entry(page: Page) -> PublicPath:
    return PublicPath(
        type=page_type(page),
        path=PageSitemap().location(page),
        last_modified=PageSitemap().lastmod(page),
        noindex=bool(getattr(page, "noindex", False)),
        in_sitemap=page_in_sitemap(page),
    )


def _listing_entries() -> list[PublicPath]:
    """Topics, then authors, by slug. Those the sitemap lists come from its own selectors
    (with its ``lastmod``); the others are the ones the API serves (a topic with a live
    article, every author) whose rendered page is ``noindex`` because nothing it lists is
    indexable (``blog.views``), dated by their newest live article."""
    entries = []
    listed_topics = {t.slug: t for t in TopicSitemap().items()}
    unlisted_topics = [t for t in selectors.topics_with_live_counts() if t.slug not in listed_topics]
    topic_dates = selectors.topics_last_published([t.pk for t in unlisted_topics])
    topics = [(t, True) for t in listed_topics.values()] + [(t, False) for t in unlisted_topics]
    for topic, listed in sorted(topics, key=lambda item: item[0].slug):
        entries.append(
            PublicPath(
                type="topic",
                path=topic.path,
                last_modified=TopicSitemap().lastmod(topic) if listed else topic_dates.get(topic.pk),
                noindex=not listed,
                in_sitemap=listed,
            )
        )
    listed_authors = {a.slug: a for a in AuthorSitemap().items()}
    unlisted_authors = [a for a in selectors.authors_with_live_counts() if a.slug not in listed_authors]
    author_dates = selectors.authors_last_published([a.pk for a in unlisted_authors])
    authors = [(a, True) for a in listed_authors.values()] + [(a, False) for a in unlisted_authors]
    for author, listed in sorted(authors, key=lambda item: item[0].slug):
        entries.append(
            PublicPath(
                type="author",
                path=author.path,
                last_modified=AuthorSitemap().lastmod(author) if listed else author_dates.get(author.pk),
                noindex=not listed,
                in_sitemap=listed,
            )
        )
    return entries


class PublicPaths(Sequence):
    """Every public path: live, public pages by tree path (the sitemap's selector, with the
    pages it leaves out marked), then topics and authors. Sliced for pagination: a slice
    loads only its own pages (topics and authors, a few dozen rows, are loaded whole)."""

    def __init__(self):
        self._pages = selectors.live_public_pages()
        self._page_count: int | None = None
        self._listings: list[PublicPath] | None = None

    @property
    def page_count(self) -> int:
        if self._page_count is None:
            self._page_count = self._pages.count()
        return self._page_count

    @property
    def listings(self) -> list[PublicPath]:
        if self._listings is None:
            self._listings = _listing_entries()
        return self._listings

    def count(self) -> int:
        return self.page_count + len(self.listings)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            position = index + len(self) if index < 0 else index
            items = self[position : position + 1] if position >= 0 else []
            if not items:
                raise IndexError(index)
            return items[0]
        start, stop, step = index.indices(len(self))
        if step != 1:
            return self[start:stop][::step]
        pages = []
        if start < self.page_count:
            pages = [_page_entry(page) for page in self._pages[start : min(stop, self.page_count)]]
        first = max(start - self.page_count, 0)
        last = max(stop - self.page_count, 0)
        return pages + self.listings[first:last]

    def __iter__(self):
        return iter(self[0 : len(self)])


def public_paths() -> PublicPaths:
    """Every public path (``PublicPaths``), in the sitemap's order."""
    return PublicPaths()
