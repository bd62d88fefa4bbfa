"""Rendered pages that are not Wagtail pages: topic and author listings under /blog/, and
robots.txt. Queries come from ``blog.selectors``; metadata from ``blog.seo``."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from blog import selectors, seo
from blog.models import Author, PracticeSettings, Topic

ARTICLES_PER_PAGE = 12


@require_safe
@cache_control(public=True, max_age=60, s_maxage=300)  # may be shared: the response cache keeps it
def topic_index(request: HttpRequest, slug: str) -> HttpResponse:
    """/blog/topics/<slug>/: the topic's listed articles, newest first, 12 a page."""
    topic = get_object_or_404(Topic.objects.select_related("social_image"), slug=slug)
    articles = selectors.article_summaries(
        selectors.newest_articles(selectors.listed_articles_for_topic(topic))
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    practice = PracticeSettings.load(request_or_site=request)
    crumbs = seo.listing_crumbs(topic.name, topic.path)
    # A topic without articles is a thin page: reachable, but not for search engines.
    seo_data = seo.topic_seo(topic, practice=practice, crumbs=crumbs, noindex=not page.paginator.count)
    return render(
        request,
        "blog/topic_index.html",
        {"topic": topic, "articles": page, "seo": seo.paginated(seo_data, page.number), "crumbs": crumbs},
    )


@require_safe
@cache_control(public=True, max_age=60, s_maxage=300)  # may be shared: the response cache keeps it
def author_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """/blog/authors/<slug>/: who the person is and what they wrote or reviewed."""
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = selectors.article_summaries(
        selectors.newest_articles(selectors.listed_articles_by_author(author))
    )
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    practice = PracticeSettings.load(request_or_site=request)
    crumbs = seo.listing_crumbs(author.name, author.path)
    seo_data = seo.author_seo(author, practice=practice, crumbs=crumbs, noindex=not page.paginator.count)
    return render(
        request,
        "blog/author_profile.html",
        {"author": author, "articles": page, "seo": seo.paginated(seo_data, page.number), "crumbs": crumbs},
    )


@require_safe
@cache_control(public=True, max_age=3600)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawl rules: everything public, not the admin or draft previews; where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/v1/preview/",
        "Allow: /",
        "",
        f"Sitemap: {settings.PUBLIC_BASE_URL}{reverse('sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
