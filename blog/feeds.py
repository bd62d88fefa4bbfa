"""RSS 2.0 and Atom feeds of the newest listed articles, site-wide and per topic.

Every link is absolute on ``PUBLIC_BASE_URL`` (the public site), so feed readers and
aggregators link to the canonical pages, wherever the CMS itself is hosted. An article's hero
image is a Media RSS ``<media:content>`` (in RSS and Atom alike), its URL on the media base
(``MEDIA_BASE_URL``: the CMS, the bucket or the CDN in front of it), like the API's and the
pages'.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from blog import selectors
from blog.models import ArticlePage, PracticeSettings, Topic
from blog.representations import LARGE_RENDITION_SPEC, media_url, page_path, public_url

FEED_SIZE = 20
MEDIA_RSS_NAMESPACE = "http://search.yahoo.com/mrss/"


def add_media_content(handler, item: dict) -> None:
    image = item.get("image")
    if image:
        handler.addQuickElement("media:content", "", {"medium": "image", **image})


class MediaRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each item's image as ``<media:content>``."""

    def rss_attributes(self) -> dict:
        return {**super().rss_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        add_media_content(handler, item)


class MediaAtomFeed(Atom1Feed):
    """Atom with each entry's image as ``<media:content>``."""

    def root_attributes(self) -> dict:
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS_NAMESPACE}

    def add_item_elements(self, handler, item) -> None:
        super().add_item_elements(handler, item)
        add_media_content(handler, item)


class LatestArticlesFeed(Feed):
    """/blog/feed/rss/: the 20 newest articles."""

    feed_type = MediaRssFeed
    feed_url_name = "feed-rss"

    def __call__(self, request, *args, **kwargs):
        self.practice = PracticeSettings.load(request_or_site=request)
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=600"
        return response

    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj) -> str:
        return f"{self.practice.practice_name}: articles"

    def description(self, obj) -> str:
        return self.practice.tagline or f"New articles from {self.practice.practice_name}."

    subtitle = description  # Atom's name for it

    def link(self, obj) -> str:
        index = selectors.blog_index_page()
        return public_url(page_path(index) if index else "/")

    def feed_url(self, obj) -> str:
        return public_url(reverse(self.feed_url_name))

    def articles(self, obj):
        return selectors.listed_articles()

    def items(self, obj) -> list[ArticlePage]:
        return list(selectors.article_summaries(selectors.newest_articles(self.articles(obj)))[:FEED_SIZE])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.excerpt

    def item_link(self, item: ArticlePage) -> str:
        return public_url(page_path(item))

    def item_guid(self, item: ArticlePage) -> str:
        return public_url(page_path(item))

    item_guid_is_permalink = True

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        return str(item.author) if item.author else None

    def item_author_link(self, item: ArticlePage) -> str | None:
        return public_url(item.author.path) if item.author else None

    def item_categories(self, item: ArticlePage) -> list[str]:
        return sorted((t.name for t in item.topics.all()), key=str.lower)

    def item_extra_kwargs(self, item: ArticlePage) -> dict:
        """The hero image's large rendition (prefetched by ``article_summaries``)."""
        if item.hero_image is None:
            return {}
        rendition = item.hero_image.get_rendition(LARGE_RENDITION_SPEC)
        return {
            "image": {
                "url": media_url(rendition.url),
                "width": str(rendition.width),
                "height": str(rendition.height),
            }
        }


class LatestArticlesAtomFeed(LatestArticlesFeed):
    """/blog/feed/atom/."""

    feed_type = MediaAtomFeed
    feed_url_name = "feed-atom"


class TopicArticlesFeed(LatestArticlesFeed):
    """/blog/topics/<slug>/feed/rss/: the newest articles of one topic."""

    feed_url_name = "topic-feed-rss"

    def get_object(self, request, slug: str):
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return f"{self.practice.practice_name}: {obj.name}"

    def description(self, obj: Topic) -> str:
        return obj.description or f"New articles about {obj.name.lower()} from {self.practice.practice_name}."

    subtitle = description

    def link(self, obj: Topic) -> str:
        return public_url(obj.path)

    def feed_url(self, obj: Topic) -> str:
        return public_url(reverse(self.feed_url_name, kwargs={"slug": obj.slug}))

    def articles(self, obj: Topic):
        return selectors.listed_articles_for_topic(obj)


class TopicArticlesAtomFeed(TopicArticlesFeed):
    feed_type = MediaAtomFeed
    feed_url_name = "topic-feed-atom"
