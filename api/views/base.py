"""What every public, read-only API view shares: JSON only, the error shape, HTTP caching,
and a 400 for query parameters it does not declare."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework.views import APIView

from api.filters import check_query_params
from api.http import CachedGetMixin
from api.serializers.common import ErrorSerializer
from blog import representations


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


# Responses every read-only endpoint may give, for the schema.
COMMON_ERRORS = {
    304: OpenApiResponse(description="Not modified: the If-None-Match ETag still matches."),
    400: error("Unknown, repeated or malformed query parameters; `fields` names them."),
    405: error("Only GET, HEAD and OPTIONS are allowed."),
    406: error("The client does not accept application/json."),
}
NOT_FOUND = {404: error("Nothing (live and public) matches.")}
PAGE_NOT_FOUND = {404: error("The page number is past the last page.")}


class PublicApiView(CachedGetMixin, APIView):
    """A read-only view of public content. ``allowed_params``: its query parameter names.

    Its public 200s are kept by the response cache (``api.response_cache``).
    """

    allowed_params: frozenset[str] = frozenset()
    repeatable_params: frozenset[str] = frozenset()
    http_method_names = ["get", "head", "options"]

    def dispatch(self, request, *args, **kwargs):
        # One memo per request for what every item of a response shares (site root paths,
        # topic paths): without it a cold list asked the database for the root paths per item.
        with representations.request_scope():
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method in ("GET", "HEAD"):
            check_query_params(
                request.query_params, allowed=set(self.allowed_params), repeatable=self.repeatable_params
            )
