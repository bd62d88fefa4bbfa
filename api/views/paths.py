"""``GET /api/v1/paths/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from api.filters import PageParams
from api.pagination import ApiPagination
from api.serializers.paths import PaginatedPublicPathListSerializer, serialize_path
from api.views.base import COMMON_ERRORS, PAGE_NOT_FOUND, PublicApiView
from blog.sitemaps import public_paths


class PathListView(PublicApiView):
    """Every public path (pages, the blog index, articles, topics, authors) with its type and
    last-modified date, 12 a page: what /sitemap.xml lists, plus the public paths it leaves
    out (hidden from search engines, canonical elsewhere), marked."""

    pagination_class = ApiPagination
    allowed_params = PageParams.ALLOWED

    @extend_schema(
        operation_id="paths_list",
        parameters=[PageParams],
        responses={200: PaginatedPublicPathListSerializer, **PAGE_NOT_FOUND, **COMMON_ERRORS},
        tags=["resolve"],
    )
    def get(self, request):
        paginator = self.pagination_class()
        entries = paginator.paginate_queryset(public_paths(), request, view=self)
        return paginator.get_paginated_response([serialize_path(entry) for entry in entries])
