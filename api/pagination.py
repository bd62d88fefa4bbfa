"""Page-number pagination whose bad input is a 400 naming the parameter, never a 500; a page
past the last one is a 404 (DRF's convention, and the contract's).

Response shape: ``{"count": N, "next": url|null, "previous": url|null, "results": [...]}``.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

DEFAULT_PAGE_SIZE = 12
MAX_PAGE_SIZE = 100


def parse_positive_int(raw: str, *, name: str, maximum: int | None = None) -> int:
    """A whole number from a query parameter, or a ValidationError naming the parameter."""
    raw = raw.strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise ValidationError({name: [f"Must be a whole number, got '{raw[:40]}'."]})
    value = int(raw)
    if value < 1 or (maximum is not None and value > maximum):
        bound = f"between 1 and {maximum}" if maximum is not None else "at least 1"
        raise ValidationError({name: [f"Must be {bound}, got {value}."]})
    return value


class ApiPagination(PageNumberPagination):
    """``page`` (from 1) and ``page_size`` (default 12, at most 100)."""

    page_size = DEFAULT_PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_query_param = "page"
    page_size_query_param = "page_size"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return parse_positive_int(raw, name=self.page_size_query_param, maximum=self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        page_size = self.get_page_size(request)
        raw_page = request.query_params.get(self.page_query_param)
        number = 1 if raw_page is None else parse_positive_int(raw_page, name=self.page_query_param)
        paginator = Paginator(queryset, page_size)
        if number > paginator.num_pages:
            raise NotFound(f"Page {number} does not exist; there are {paginator.num_pages} pages.")
        self.page = paginator.page(number)
        self.request = request
        return list(self.page)

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "example": 42},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
