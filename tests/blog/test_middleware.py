"""``blog.middleware.RepresentationScopeMiddleware``: one site-root lookup per public request."""

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from blog import representations
from blog.middleware import RepresentationScopeMiddleware

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_cache(settings):
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in settings.CACHES
    }


def page_paths_view(pages):
    def view(request):
        return HttpResponse(" ".join(representations.page_path(p) for p in pages))

    return view


def site_queries(captured) -> int:
    return sum('FROM "wagtailcore_site"' in q["sql"] for q in captured.captured_queries)


def test_a_public_request_looks_the_site_roots_up_once_however_many_links_it_renders(
    no_cache, home, blog_index
):
    middleware = RepresentationScopeMiddleware(page_paths_view([home, blog_index, blog_index, home]))

    with CaptureQueriesContext(connection) as captured:
        response = middleware(RequestFactory().get("/blog/some-article/"))

    assert response.content == b"/ /blog/ /blog/ /"
    assert site_queries(captured) == 1


def test_the_admin_reads_the_site_roots_fresh(no_cache, home, blog_index):
    middleware = RepresentationScopeMiddleware(page_paths_view([home, blog_index]))

    with CaptureQueriesContext(connection) as captured:
        middleware(RequestFactory().get("/admin/pages/"))

    assert site_queries(captured) == 2
