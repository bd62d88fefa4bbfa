"""Reads shared by the API, the rendered pages, feeds, the sitemap and ``publishing``, by
concern. Who may see what is decided once, in ``blog.visibility``; every function here
applies that rule, never its own."""

from blog.selectors.articles import (
    api_article,
    api_article_rows,
    api_articles,
    article_summaries,
    blog_index_page,
    listed_articles,
    listed_articles_by_author,
    listed_articles_for_topic,
    live_article,
    live_articles,
    live_articles_by_author,
    live_articles_for_topic,
    newest_articles,
)
from blog.selectors.images import image_queryset, images_by_id, joined, with_renditions
from blog.selectors.pages import (
    body_objects,
    default_site_root,
    live_page_at,
    live_page_ids,
    live_pages,
    live_public_pages,
    managed_redirects,
    pages_by_id,
    prefetch_article_body,
    service_locations,
)
from blog.selectors.related import api_related_and_inline, related_article_ids, related_articles
from blog.selectors.search import MAX_SEARCH_WORDS, search_articles, search_words
from blog.selectors.summaries import prepare_article_summaries
from blog.selectors.taxonomy import (
    attach_live_counts,
    authors_with_listed_articles,
    authors_with_live_counts,
    live_counts,
    live_topic,
    topics_with_listed_articles,
    topics_with_live_counts,
)

__all__ = [
    "MAX_SEARCH_WORDS",
    "api_article",
    "api_article_rows",
    "api_articles",
    "api_related_and_inline",
    "article_summaries",
    "attach_live_counts",
    "authors_with_listed_articles",
    "authors_with_live_counts",
    "blog_index_page",
    "body_objects",
    "default_site_root",
    "image_queryset",
    "images_by_id",
    "joined",
    "listed_articles",
    "listed_articles_by_author",
    "listed_articles_for_topic",
    "live_article",
    "live_articles",
    "live_articles_by_author",
    "live_articles_for_topic",
    "live_counts",
    "live_page_at",
    "live_page_ids",
    "live_pages",
    "live_public_pages",
    "live_topic",
    "managed_redirects",
    "newest_articles",
    "pages_by_id",
    "prefetch_article_body",
    "prepare_article_summaries",
    "related_article_ids",
    "related_articles",
    "search_articles",
    "search_words",
    "service_locations",
    "topics_with_listed_articles",
    "topics_with_live_counts",
    "with_renditions",
]
