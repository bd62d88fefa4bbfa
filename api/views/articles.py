"""``GET /api/v1/articles/`` and ``GET /api/v1/articles/{slug}/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.filters import ArticleListParams
from api.pagination import ApiPagination
from api.serializers.articles import (
    ArticleSerializer,
    PaginatedArticleSummaryListSerializer,
    serialize_article,
    serialize_article_summaries,
)
from api.views.base import COMMON_ERRORS, NOT_FOUND, PAGE_NOT_FOUND, PublicApiView
from blog import selectors


class ArticleListView(PublicApiView):
    """Live articles, newest first, 12 a page; filter by topic (any of), author, search."""

    pagination_class = ApiPagination
    allowed_params = ArticleListParams.ALLOWED
    repeatable_params = ArticleListParams.REPEATABLE

    @extend_schema(
        operation_id="articles_list",
        parameters=[ArticleListParams],
        responses={200: PaginatedArticleSummaryListSerializer, **PAGE_NOT_FOUND, **COMMON_ERRORS},
        tags=["articles"],
    )
    def get(self, request):
        filters = ArticleListParams.parse(request.query_params)
        queryset = selectors.api_articles(**filters)
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(queryset, request, view=self)
        return paginator.get_paginated_response(serialize_article_summaries(rows))


class ArticleDetailView(PublicApiView):
    """One live article with its body, table of contents, related articles and SEO."""

    @extend_schema(
        operation_id="articles_retrieve",
        responses={200: ArticleSerializer, **NOT_FOUND, **COMMON_ERRORS},
        tags=["articles"],
    )
    def get(self, request, slug: str):
        article = selectors.api_article(slug)
        if article is None:
            raise NotFound(f"No article with slug '{slug}'.")
        return Response(serialize_article(article, request=request))
