"""/sitemap.xml: every live, indexable page, topic and author, with absolute URLs on
``PUBLIC_BASE_URL`` and ``lastmod``.

Left out: drafts, expired and future-scheduled pages, pages under a view restriction, pages
an editor hid from search engines, and pages whose canonical points elsewhere (the sitemap
lists canonical URLs only).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from blog import selectors
from blog.representations import page_path


class PublicSitemap(Sitemap):
    """Builds ``loc`` from the public base URL instead of the request's host."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.PUBLIC_BASE_URL).scheme

    def get_domain(self, site=None) -> str:
        parts = urlsplit(settings.PUBLIC_BASE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PageSitemap(PublicSitemap):
    def items(self) -> list:
        return [
            page
            for page in selectors.live_public_pages()
            if not getattr(page, "noindex", False) and not getattr(page, "canonical_url", "")
        ]

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
