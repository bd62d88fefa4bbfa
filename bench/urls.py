"""The project's URLs plus Wagtail's API v2 under /bench-v2/ (the comparison baseline).

The article fields v2 exposes are declared on a bench-only endpoint class, not as
``api_fields`` on the model, so production has no trace of API v2.
"""

from django.urls import path
from wagtail.api import APIField
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from blog.models import ArticlePage
from cms.urls import urlpatterns as cms_urlpatterns

# What a frontend would ask v2 for: the summary fields, the tags and the body.
ARTICLE_FIELDS = [
    APIField("excerpt"),
    APIField("reading_time_minutes"),
    APIField("last_reviewed"),
    APIField("comments_enabled"),
    APIField("topics"),
    APIField("hero_image"),
    APIField("author"),
    APIField("body"),
]


class BenchPagesAPIViewSet(PagesAPIViewSet):
    """v2's pages endpoint, with the article fields registered for the benchmark only."""

    @classmethod
    def get_body_fields(cls, model):
        fields = super().get_body_fields(model)
        if issubclass(model, ArticlePage):
            fields += ARTICLE_FIELDS
        return fields


router = WagtailAPIRouter("bench_v2")
router.register_endpoint("pages", BenchPagesAPIViewSet)

urlpatterns = [path("bench-v2/", router.urls), *cms_urlpatterns]
