"""Listing pages that are not Wagtail pages: topics and author profiles under /blog/."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from blog import selectors
from blog.models import Author, Topic


def topic_index(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    articles = selectors.article_summaries(
        selectors.newest_articles(selectors.live_articles_for_topic(topic))
    )
    page = Paginator(articles, 12).get_page(request.GET.get("page"))
    return render(request, "blog/topic_index.html", {"topic": topic, "articles": page})


def author_profile(request, slug: str):
    author = get_object_or_404(Author, slug=slug)
    articles = selectors.article_summaries(
        selectors.newest_articles(selectors.live_articles_by_author(author))
    )
    return render(request, "blog/author_profile.html", {"author": author, "articles": articles[:20]})
