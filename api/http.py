"""HTTP caching for every GET the API answers: ``ETag``, ``Cache-Control``, ``Vary`` and
``304 Not Modified`` on a matching ``If-None-Match``.

The ETag is a hash of the exact bytes sent, so any change to a response (publishing,
unpublishing or editing content that appears in it) changes its ETag, with nothing to keep
in sync. A CDN or browser revalidating with ``If-None-Match`` gets an empty ``304``.

Public content: ``public, max-age=60, s-maxage=300, stale-while-revalidate=600``: browsers
keep it a minute, a shared cache (CDN) five minutes and may serve a stale copy for ten more
while it revalidates. Publishing webhooks (see ``publishing``) purge the CDN sooner.
Errors: ``no-cache`` (may be stored, must be revalidated). Personal or preview content:
``private, no-store`` (set ``cache_control = PRIVATE_NO_STORE`` on the view).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

PUBLIC_CACHE_CONTROL = "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
ERROR_CACHE_CONTROL = "no-cache"
PRIVATE_NO_STORE = "private, no-store"
VARY = ("Accept", "Accept-Encoding", "Origin")

# Headers a 304 repeats from the full response (RFC 9110 §15.4.5).
_NOT_MODIFIED_HEADERS = ("Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Vary")


def etag_for(content: bytes) -> str:
    """A strong ETag from the response body (GZipMiddleware weakens it when compressing)."""
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _strip_weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def if_none_match_matches(request: HttpRequest, etag: str) -> bool:
    """Weak comparison, as RFC 9110 requires for If-None-Match (``*`` matches anything)."""
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or _strip_weak(etag) in {_strip_weak(t) for t in tags}


def apply_http_caching(
    request: HttpRequest, response: HttpResponse, cache_control: str = PUBLIC_CACHE_CONTROL
) -> HttpResponse:
    """Add ETag, Cache-Control and Vary to a rendered GET/HEAD response; answer 304 when the
    client already holds it. Other methods and streaming responses pass through untouched."""
    if request.method not in ("GET", "HEAD") or response.streaming:
        return response
    if not 200 <= response.status_code < 300:
        cache_control = ERROR_CACHE_CONTROL if cache_control != PRIVATE_NO_STORE else cache_control
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, VARY)
    etag = etag_for(response.content)
    response["ETag"] = etag
    if 200 <= response.status_code < 300 and if_none_match_matches(request, etag):
        not_modified = HttpResponseNotModified()
        for header in _NOT_MODIFIED_HEADERS:
            if header in response:
                not_modified[header] = response[header]
        return not_modified
    return response


class CachedGetMixin:
    """DRF view mixin: every GET/HEAD answer (errors included) gets the caching headers above.

    ``cache_control`` is a class attribute so a personal or preview view can say
    ``cache_control = PRIVATE_NO_STORE``.
    """

    cache_control = PUBLIC_CACHE_CONTROL

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and hasattr(response, "render"):
            response.render()
        return apply_http_caching(request, response, self.cache_control)
