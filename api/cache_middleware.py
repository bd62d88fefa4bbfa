"""Answer public API GETs from the shared cache before sessions, CSRF, auth and DRF run.

A hit through the whole stack cost 2–3 ms of server CPU (14 middlewares, DRF's dispatch,
content negotiation, two cache reads, a hash of the body for the ETag); the static-file
ceiling costs 0.56 ms. This middleware sits in ``MIDDLEWARE`` right after GZip (and so after
WhiteNoise and CorsMiddleware): a hit is one cache read and a response built from stored
bytes and headers. What stays the same on a hit, because the layers that produce it still run
around this middleware or were recorded with the entry:

- body, Content-Type, ETag, Cache-Control, Vary and every header the layers below added
  (X-Frame-Options…): stored as the miss sent them (``api.caching.store_served``);
- CORS headers for allowed origins (CorsMiddleware, outside), gzip when accepted (GZip,
  outside; it weakens the ETag exactly as on a miss);
- ``304`` on a matching If-None-Match, answered from the entry's metadata without its body;
- the 400 for unknown or repeated query parameters: entries exist only for 200s, and the key
  is the percent-encoded, sorted query, so an invalid query never finds a valid one's entry;
- the 406 for a client that does not accept JSON: such requests go down to DRF.

Only entries ``api.caching.cached_response`` views stored exist, so other paths just miss;
the personal and preview endpoints are not even looked up. With the cache server down,
``lookup`` answers None and the request goes on to the views as if nothing were cached.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from api import caching
from api.http import if_none_match_matches

API_PREFIX = "/api/v1/"
# Never cached: previews (private, per token), readers' forms and comment threads, the schema.
SKIPPED_PREFIXES = ("/api/v1/preview/", "/api/v1/consultation-requests/", "/api/v1/schema/", "/api/v1/docs/")
SKIPPED_SUFFIXES = ("/comments/",)
# What DRF's content negotiation accepts for the API's only renderer (application/json).
JSON_MEDIA_RANGES = frozenset({"*/*", "application/*", "application/json"})


def accepts_json(accept: str) -> bool:
    """Whether DRF would pick the JSON renderer for this Accept header (else it answers 406).

    Conservative: anything unusual returns False and the request goes through DRF."""
    if not accept:
        return True
    return any(part.split(";", 1)[0].strip().lower() in JSON_MEDIA_RANGES for part in accept.split(","))


def is_cacheable_request(request: HttpRequest) -> bool:
    """A GET/HEAD of a public API path, from a client accepting JSON."""
    path = request.path
    return (
        request.method in ("GET", "HEAD")
        and path.startswith(API_PREFIX)
        and not path.startswith(SKIPPED_PREFIXES)
        and not path.endswith(SKIPPED_SUFFIXES)
        and accepts_json(request.META.get("HTTP_ACCEPT", ""))
    )


class ApiCacheMiddleware:
    """Serve stored API responses; store the ones ``cached_response`` views hand over."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not caching.enabled() or not is_cacheable_request(request):
            return self.get_response(request)
        setattr(request, caching.MIDDLEWARE_MARK, True)
        conditional = "HTTP_IF_NONE_MATCH" in request.META
        entry = caching.lookup(request, body=not conditional)
        if entry is not None and conditional:
            if if_none_match_matches(request, entry.etag):
                return self.not_modified(entry)
            entry = caching.lookup(request)  # an older ETag: the client needs the body
        if entry is not None:
            return self.hit(entry)
        response = self.get_response(request)
        pending = request.__dict__.pop(caching.PENDING_ATTR, None)
        if pending is not None:
            rendered, tags, early = pending
            caching.store_served(request, response, rendered, tags, early)
        return response

    @staticmethod
    def hit(entry: caching.Entry) -> HttpResponse:
        response = HttpResponse(entry.content, headers=entry.headers)
        response[caching.HIT_HEADER] = "HIT"
        return response

    @staticmethod
    def not_modified(entry: caching.Entry) -> HttpResponse:
        response = HttpResponseNotModified(headers=entry.not_modified_headers)
        response[caching.HIT_HEADER] = "HIT"
        return response
