"""Full-page cache of the rendered site for anonymous visitors, in the shared cache.

An uncached article render costs tens of queries and tens of milliseconds; a hit here costs
one or two cache round trips and no query. ``PageCacheMiddleware`` sits early in
``MIDDLEWARE`` (after WhiteNoise and GZip), so a hit skips sessions, auth, messages, Wagtail's
routing and the template render.

What is cached: GET/HEAD of a path without a query string (or with only ``?page=N`` for
listings), from a visitor without a session or messages cookie (editors, and people who just
posted a form and are shown a message, always get a fresh render), answered 200 without any
cookie other than CSRF's, by a live public Wagtail page or a view marked with ``cacheable``.
Drafts and previews are never stored: they are only served to signed-in staff (who bypass the
cache) and through preview requests that are not GETs of a public path.

Forms: the comment and consultation forms carry a per-visitor CSRF token and a signed
fill-time token (``readers.spam``). Both are replaced by placeholders in the stored HTML and
filled in on every hit: the visitor's own ``get_token(request)`` (CSRF's middleware hooks then
set their cookie, as on a render) and a fresh fill-time token, so the bot check still measures
this visitor's fill time. Pages carrying a CSRF token are ``private`` for browsers and CDNs;
the others are ``public`` with ``s-maxage``.

Invalidation reuses the publishing engineer's impact computation: ``publishing.events``
calls ``invalidate_paths`` with every public path a change affects, and the comment signals
call ``invalidate_article``. Every entry of a path (each ``?page=N`` of a listing too) is
valid under the path's generation read before it was rendered; invalidation deletes the
generation, so every page of a listing goes at once without knowing how many exist, and a
render that raced a change is never served (see ``lookup``).

The cache is an optimisation only: every cache call is guarded, and with Redis down pages
render as if the cache were empty.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils.cache import patch_cache_control
from wagtail.models import Page

from blog import visibility

logger = logging.getLogger(__name__)

HIT_HEADER = "X-Page-Cache"
CSRF_PLACEHOLDER = "__page-cache-csrf-token__"
STARTED_PLACEHOLDER = "__page-cache-started-{}__"
# Seconds browsers (max-age) and CDNs (s-maxage) may keep a public page without asking.
BROWSER_MAX_AGE = 60
SHARED_MAX_AGE = 300
# ?page=N with more digits than this is not a real listing page; it is not cached.
MAX_PAGE_DIGITS = 5
# Headers that belong to one response, never to a stored copy.
PER_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "content-length", "date", "x-bench-queries", HIT_HEADER.lower()}
)
# Cookies that mean "render for this person": Django's session and the messages cookie.
MESSAGES_COOKIE = "messages"

_CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
_STARTED_INPUT = re.compile(rb'name="started" value="([^"]+)"')


def _enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def _prefix() -> str:
    return getattr(settings, "PAGE_CACHE_KEY_PREFIX", "html:v1")


def _digest(path: str) -> str:
    return hashlib.sha256(path.encode()).hexdigest()[:32]


def entry_key(path: str, page: int | None = None) -> str:
    """Key of the page at ``path`` (no query string), or of its ``?page=N``."""
    key = f"{_prefix()}:page:{_digest(path)}"
    return key if page is None else f"{key}:{page}"


def generation_key(path: str) -> str:
    """Key of the path's generation: every entry of the path (each ``?page=N`` included) is
    valid only under the generation it was rendered under; invalidation deletes it."""
    return f"{_prefix()}:gen:{_digest(path)}"


def cache_target(request: HttpRequest) -> tuple[str, int | None] | None:
    """``(path, page number or None)`` when this request may be answered from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    page = None
    if request.GET:
        values = request.GET.getlist("page")
        if list(request.GET.keys()) != ["page"] or len(values) != 1:
            return None
        value = values[0]
        if not (value.isascii() and value.isdigit() and len(value) <= MAX_PAGE_DIGITS):
            return None
        page = int(value)
    return request.path, page


# --- reading and writing entries -------------------------------------------------------------


# Why generations rather than deleting entries alone: a render reads the database, and an
# editor may publish (and invalidate) before it is stored. Deleting the entry at that moment
# deletes nothing, and the render, older than the change, would then be stored and served
# until the next change. Instead the generation is read before rendering (``lookup``) and the
# entry is stored under it: if invalidation deleted it meanwhile, that entry never matches.


def lookup(path: str, page: int | None) -> tuple[dict | None, str | None]:
    """``(stored entry or None, the path's generation)``: one cache round trip. The
    generation is created when missing; None only when the cache is unavailable."""
    try:
        cache = _cache()
        key, generation_at = entry_key(path, page), generation_key(path)
        found = cache.get_many([key, generation_at])
        generation = found.get(generation_at)
        if generation is None:
            # add(): a concurrent request may have created it first; theirs wins.
            cache.add(generation_at, secrets.token_hex(8), timeout=None)
            return None, cache.get(generation_at)
        entry = found.get(key)
        if entry is None or entry.get("generation") != generation:
            return None, generation
        return entry, generation
    except Exception:
        logger.warning("page cache unavailable: rendering", exc_info=True)
        return None, None


# Seconds an entry may live when nothing invalidates it (a safety net, as in the API cache).
DEFAULT_TIMEOUT = 60 * 60 * 24


def _timeout() -> int:
    # Same rule as the API cache: an entry never outlives the next instant public output
    # changes by time alone (a go-live or expiry date).
    return visibility.max_age(DEFAULT_TIMEOUT)


def store(
    request: HttpRequest, path: str, page: int | None, response: HttpResponse, *, generation: str | None
) -> bool:
    """Keep ``response`` for anonymous visitors when it is safe to share (see module doc),
    under the ``generation`` ``lookup`` saw before it was rendered."""
    if generation is None or not _is_storable(request, response):
        return False
    content = _with_placeholders(request, bytes(response.content))
    if content is None:
        return False
    _set_cache_control(response, per_visitor=CSRF_PLACEHOLDER.encode() in content)
    entry = {
        "content": content,
        "headers": [(k, v) for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS],
        "csrf": CSRF_PLACEHOLDER.encode() in content,
        "generation": generation,
    }
    try:
        _cache().set(entry_key(path, page), entry, timeout=_timeout())
        return True
    except Exception:
        logger.warning("page cache unavailable: page not stored", exc_info=True)
        return False


def _is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if getattr(request, "is_preview", False):
        return False
    if getattr(response, "page_cacheable", False):
        return True
    return _is_public_live_page(getattr(response, "context_data", None))


def _is_public_live_page(context: dict | None) -> bool:
    """Whether a Wagtail page response shows a live page anyone may see.

    A view-restricted page answers its password form with 200 and the page in the context:
    never stored, whatever the restriction.
    """
    page = (context or {}).get("page")
    return isinstance(page, Page) and visibility.is_visible(page)


def _with_placeholders(request: HttpRequest, content: bytes) -> bytes | None:
    """The HTML with the visitor's tokens replaced by placeholders; None when unsure (not stored).

    Every CSRF token in the page must unmask to this request's secret and every fill-time
    token must verify for a known form; anything else is left out of the cache (fails closed).
    """
    from django.middleware.csrf import _unmask_cipher_token

    secret = request.META.get("CSRF_COOKIE")
    for token in set(_CSRF_INPUT.findall(content)):
        if not secret or _unmask_cipher_token(token.decode()) != secret:
            return None
        content = content.replace(token, CSRF_PLACEHOLDER.encode())
    if secret and secret.encode() in content:
        return None
    for token in set(_STARTED_INPUT.findall(content)):
        form_name = _started_form_name(token.decode())
        if form_name is None:
            return None
        content = content.replace(token, STARTED_PLACEHOLDER.format(form_name).encode())
    return content


def _started_form_name(token: str) -> str | None:
    from readers.forms import CommentForm, ConsultationRequestForm

    for form in (CommentForm, ConsultationRequestForm):
        try:
            signing.loads(token, salt=f"readers.started.{form.form_name}")
            return form.form_name
        except signing.BadSignature:
            continue
    return None


def _filled(request: HttpRequest, entry: dict) -> bytes:
    content = entry["content"]
    if entry["csrf"]:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if b"__page-cache-started-" in content:
        from readers import spam

        content = re.sub(
            rb"__page-cache-started-([a-z]+)__",
            lambda m: spam.make_started_token(m.group(1).decode()).encode(),
            content,
        )
    return content


# --- invalidation ----------------------------------------------------------------------------


def invalidate_paths(paths: Iterable[str]) -> None:
    """Drop the entries of exactly these public paths (and every ``?page=N`` of them): their
    generations go, and the plain entries with them to free the memory at once."""
    keys = []
    for path in set(paths):
        keys += [generation_key(path), entry_key(path)]
    if not keys:
        return
    try:
        _cache().delete_many(keys)
    except Exception:
        # With the cache down nothing is served from it either.
        logger.warning("page cache unavailable: could not invalidate %s paths", len(keys) // 2, exc_info=True)


def invalidate_article(article_id: int) -> None:
    """Drop an article's page (its comments changed); called after the change commits."""
    from wagtail.models import Page

    from publishing.affected import path_for_url_path

    url_path = Page.objects.filter(pk=article_id).values_list("url_path", flat=True).first()
    if url_path is not None:
        invalidate_paths([path_for_url_path(url_path)])


# --- the middleware and the view decorator ---------------------------------------------------


def cacheable(view: Callable) -> Callable:
    """Mark a (non-Wagtail) public view's HTML responses as safe to share between visitors."""
    import functools

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cacheable = True
        return response

    return wrapper


def _set_cache_control(response: HttpResponse, *, per_visitor: bool) -> None:
    if per_visitor:
        # The HTML holds this visitor's CSRF token: no shared cache may hand it to another.
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)


class PageCacheMiddleware:
    """Answer anonymous GETs of rendered pages from the shared cache; store what is safe."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # CSRF's own hooks set the visitor's cookie on a hit, exactly as on a render.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        target = cache_target(request) if _enabled() else None
        if target is None:
            return self.get_response(request)
        entry, generation = lookup(*target)
        if entry is not None:
            return self.serve_hit(request, entry)
        response = self.get_response(request)
        if store(request, *target, response, generation=generation):
            response[HIT_HEADER] = "MISS"
        return response

    def serve_hit(self, request: HttpRequest, entry: dict) -> HttpResponse:
        if entry["csrf"]:
            self.csrf.process_request(request)  # reads the visitor's CSRF cookie, if any
        response = HttpResponse(_filled(request, entry))
        for name, value in entry["headers"]:
            response[name] = value
        response[HIT_HEADER] = "HIT"
        if entry["csrf"]:
            response = self.csrf.process_response(request, response)
        return response
