"""Page-number pagination whose bad input is a 400 naming the parameter, never a 500; a page
past the last one is a 404 (DRF's convention, and the contract's).

Response shape: ``{"count": N, "next": url|null, "previous": url|null, "results": [...]}``.

The requested page is read before the total: a page shorter than the page size is the last
one, so its total is known without counting (a search for a rare word, a small topic, the
last page of anything). The total is counted only after a full page, or after an empty page
past the first (to say how many pages there are).
"""

from __future__ import annotations

from math import ceil

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

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
        """The rows of the requested page of ``queryset`` (anything sliced and counted: a
        queryset, search results, a sequence), its total kept for the response."""
        page_size = self.get_page_size(request)
        raw_page = request.query_params.get(self.page_query_param)
        number = 1 if raw_page is None else parse_positive_int(raw_page, name=self.page_query_param)
        start = (number - 1) * page_size
        rows = list(queryset[start : start + page_size])
        if (rows and len(rows) < page_size) or (number == 1 and not rows):
            count = start + len(rows)
        else:
            # A count taken after the page may have moved (a publish in between): never below
            # what the page itself shows.
            count = queryset.count()
            if rows:
                count = max(count, start + len(rows))
        if not rows and number > 1:
            pages = max(ceil(count / page_size), 1)
            raise NotFound(f"Page {number} does not exist; there are {pages} pages.")
        self.request = request
        self.number = number
        self.count = count
        self.has_next = start + len(rows) < count
        return rows

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.count,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

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
