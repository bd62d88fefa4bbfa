"""One response cache for the public API and the rendered site (docs/caching.md).

Anonymous GETs are answered from the shared cache (Redis in production) by
``ResponseCacheMiddleware``, before sessions, CSRF, auth, Wagtail's routing and DRF run.

Invariants:

- **One content version.** Every change that can alter public output (publish, unpublish,
  move, delete, a view restriction, comment moderation, settings, snippets, images,
  redirects) gives ``ContentVersion`` a new random token in the same database transaction,
  and copies it into the cache once the transaction commits (``bump``). An entry is served
  only if it was built under the token the cache holds now, so the first request after a
  commit, in any process, builds the response again. Nothing is deleted, nothing waits for
  a timeout.
- **A render never outlives what it read.** A request reads the token before rendering and
  stores its response under that token. The cache gets a new token only after the change
  committed, so a response stored under the current token was rendered after every change
  whose token came before it.
- **The database is the authority.** The cache's copy of the token lives ``VERSION_TTL``
  seconds; then the next request reads the row again (one query) and may still be answered
  from an entry built under the row's token. A bump whose copy was lost
  while the cache server was unreachable is therefore recovered when it returns: at once by
  processes that saw the outage (they compare the copy with the row), within ``VERSION_TTL``
  by the others. While the cache cannot be read, nothing is served from it.
- **Time alone.** An entry lives at most until ``blog.visibility.next_public_change``: a
  go-live date, an expiry, anything that falls due changes output without an edit.
- **Bounded.** One entry per URL (a new version overwrites it; metadata and body are two
  keys, so a 304 reads only the first), only 200s, no searches, no
  page numbers beyond ``RESPONSE_CACHE_MAX_PAGE``, no query strings on rendered pages but
  ``?page=N``, at most ``RESPONSE_CACHE_MAX_AGE`` seconds.
- **Anonymous only.** A session or messages cookie or an Authorization header bypasses the
  cache (staff, the userbar, people just shown a message); the admin and previews never
  reach it; responses setting a cookie other than CSRF's, or saying private/no-store, are
  not stored; a Wagtail page is stored only when ``blog.visibility.is_visible``.
- **Host and scheme** are part of the key: pagination links, canonical URLs and feeds are
  absolute.
- **Forms.** Rendered forms carry a per-visitor CSRF token. While rendering for the cache the
  ``csrf_token`` template variable is a placeholder (``csrf_placeholder``, a context
  processor); the stored HTML keeps the placeholder and every answer, the first included,
  gets the visitor's own ``get_token(request)``, with CSRF's middleware setting its cookie.
  The readers' fill-time token (``readers.spam``) is replaced the same way. Such pages are
  ``private, max-age=0`` for browsers and CDNs.
- **Conditional GET** through ``django.utils.cache.get_conditional_response``: a matching
  If-None-Match gets a 304 from the entry. Pages with forms have no ETag (their bytes differ
  per visitor).
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from hashlib import sha256

from django.conf import settings
from django.core import checks, signing
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from api.http import etag_for
from blog import topic_counts
from blog.indexing import Deferral

logger = logging.getLogger(__name__)

HIT_HEADER = "X-Cache"
# Seconds the cache's copy of the content version is trusted before the row is read again.
VERSION_TTL = 30
# Browsers (max-age) and CDNs (s-maxage) may keep a public rendered page this long.
BROWSER_MAX_AGE = 60
SHARED_MAX_AGE = 300
CSRF_PLACEHOLDER = "__response-cache-csrf-token__"
STARTED_PLACEHOLDER = "__response-cache-started-{}__"
# Set on a request the middleware may store: templates then render the CSRF placeholder.
RENDERING_ATTR = "response_cache_rendering"

API_PREFIX = "/api/v1/"
# Never looked up: the admin, previews (per token), readers' submissions, static and media.
SKIPPED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/documents/",
    "/static/",
    "/media/",
    "/api/v1/preview/",
    "/api/v1/consultation-requests/",
)
# Comment threads change with every moderation; they are always read fresh.
SKIPPED_SUFFIXES = ("/comments/",)
# Headers that belong to one response, never to a stored copy.
PER_RESPONSE_HEADERS = frozenset(
    {"set-cookie", "content-length", "date", "x-bench-queries", HIT_HEADER.lower()}
)
# What DRF's content negotiation accepts for the API's only renderer (else it answers 406).
JSON_MEDIA_RANGES = frozenset({"*/*", "application/*", "application/json"})
# Not shared by every process of a production deployment: per process, or per host (files).
PER_PROCESS_BACKENDS = frozenset(
    {"django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.filebased.FileBasedCache"}
)
MESSAGES_COOKIE = "messages"

_STARTED_INPUT = re.compile(rb'name="started" value="([^"]+)"')
_STARTED_PLACEHOLDER = re.compile(rb"__response-cache-started-([a-z]+)__")

# Set when this process could not read the cache: its copy of the version is compared with
# the database on the next successful read.
_saw_outage = False


def enabled() -> bool:
    return settings.RESPONSE_CACHE_ENABLED


def _cache():
    return caches[settings.RESPONSE_CACHE_ALIAS]


def _version_key() -> str:
    return f"{settings.RESPONSE_CACHE_KEY_PREFIX}:version"


# --- the content version ----------------------------------------------------------------------


def _database_version() -> str:
    from api.models import ContentVersion

    return ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "initial"


# Set while bumps are deferred (``bumps_deferred``): True once a change asked for one.
_deferred = threading.local()


@contextmanager
def bumps_deferred() -> Iterator[Deferral]:
    """Bulk writes (an import of a thousand posts): the changes inside ask for one bump, made
    when the block ends normally, instead of one per saved row. The bump still happens inside
    the caller's transaction, so the invariants above hold. Nested uses make one bump."""
    deferral = Deferral()
    if getattr(_deferred, "pending", None) is not None:
        yield deferral
        return
    _deferred.pending = False
    try:
        yield deferral
        wanted = _deferred.pending
    finally:
        _deferred.pending = None
    if wanted and not deferral.cancelled:
        bump()


def bump() -> None:
    """A change to public output: a new token in this transaction, copied to the cache after
    it commits (never before: a render reading the new token must see the change)."""
    from api.models import ContentVersion

    if getattr(_deferred, "pending", None) is not None:
        _deferred.pending = True
        return

    token = secrets.token_hex(8)
    now = timezone.now()
    if not ContentVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        ContentVersion.objects.update_or_create(pk=1, defaults={"token": token, "changed_at": now})
    # Stored topic counts are public output too: forgotten with this change, stored again
    # once it is committed (a refresh finding them current already does nothing).
    topic_counts.forget()
    transaction.on_commit(lambda: _publish_version(token), robust=True)
    transaction.on_commit(topic_counts.refresh, robust=True)


def _publish_version(token: str) -> None:
    global _saw_outage
    try:
        _cache().set(_version_key(), token, timeout=VERSION_TTL)
    except Exception:
        _saw_outage = True
        logger.warning(
            "Response cache unavailable: the content version is recovered from the database later."
        )


def _version_from_database(cache) -> str | None:
    """The row's token, copied into the cache unless another process did first. None: do not
    use the cache for this request (unreachable, or its copy disagreed and was dropped)."""
    global _saw_outage
    token = _database_version()
    if cache.add(_version_key(), token, timeout=VERSION_TTL):
        return token
    current = cache.get(_version_key())
    if current is None:
        _saw_outage = True
        return None
    if current != token:
        # A concurrent bump, or a stale copy from before an outage: drop it, the next request
        # reads the row again. Deleting never brings an older token back.
        cache.delete(_version_key())
        return None
    return current


def _reconciled(cache, version: str) -> str | None:
    """After an outage: the cache's copy must agree with the row before it is trusted."""
    global _saw_outage
    _saw_outage = False
    if _database_version() == version:
        return version
    cache.delete(_version_key())
    return None


# --- keys and what may be cached ----------------------------------------------------------------


def accepts_json(accept: str) -> bool:
    """Whether DRF would pick the JSON renderer for this Accept header (else it answers 406)."""
    if not accept:
        return True
    return any(part.split(";", 1)[0].strip().lower() in JSON_MEDIA_RANGES for part in accept.split(","))


def _page_number_ok(values: list[str]) -> bool:
    if len(values) != 1:
        return False
    value = values[0]
    return value.isascii() and value.isdigit() and 0 < int(value) <= settings.RESPONSE_CACHE_MAX_PAGE


def cache_key(request: HttpRequest) -> str | None:
    """The entry key for this request, or None when it must not use the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    path = request.path
    if path.startswith(SKIPPED_PREFIXES) or path.endswith(SKIPPED_SUFFIXES):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    query = request.GET
    if path.startswith(API_PREFIX):
        # The public API answers everyone alike (no session is read): editors share its hits.
        if not accepts_json(request.META.get("HTTP_ACCEPT", "")) or "search" in query:
            return None
    else:
        # Rendered pages differ for signed-in staff (the userbar) and after a form (messages).
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
            return None
        if query and list(query.keys()) != ["page"]:
            return None
    if "page" in query and not _page_number_ok(query.getlist("page")):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # CommonMiddleware answers 400
    raw_query = "&".join(sorted(piece for piece in request.META.get("QUERY_STRING", "").split("&") if piece))
    digest = sha256(f"{request.scheme}://{host}{path}?{raw_query}".encode()).hexdigest()
    return f"{settings.RESPONSE_CACHE_KEY_PREFIX}:resp:{digest}"


def _declared_public(response: HttpResponse) -> bool:
    return "public" in response.get("Cache-Control", "").lower()


def _is_visible_page(request: HttpRequest, response: HttpResponse) -> bool:
    """A Wagtail page response showing a page anyone may see (a restricted page answers its
    password form with 200: never stored)."""
    from wagtail.models import Page

    from blog.visibility import is_visible

    if getattr(request, "is_preview", False):
        return False
    page = (getattr(response, "context_data", None) or {}).get("page")
    return isinstance(page, Page) and is_visible(page)


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return _declared_public(response) or _is_visible_page(request, response)


def _lifetime() -> int:
    """Seconds until output may change by time alone, at most RESPONSE_CACHE_MAX_AGE."""
    from blog.visibility import max_age

    return max_age(settings.RESPONSE_CACHE_MAX_AGE)


# --- per-visitor parts of rendered pages --------------------------------------------------------


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, ``{% csrf_token %}`` writes a
    placeholder that every answer replaces with the visitor's own token."""
    if getattr(request, RENDERING_ATTR, False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _started_form_name(token: str) -> str | None:
    from readers.forms import CommentForm, ConsultationRequestForm

    for form in (CommentForm, ConsultationRequestForm):
        try:
            signing.loads(token, salt=f"readers.started.{form.form_name}")
            return form.form_name
        except signing.BadSignature:
            continue
    return None


def _with_placeholders(content: bytes) -> bytes | None:
    """The fill-time tokens replaced by placeholders; None if one is not recognised."""
    for token in set(_STARTED_INPUT.findall(content)):
        form_name = _started_form_name(token.decode())
        if form_name is None:
            return None
        content = content.replace(token, STARTED_PLACEHOLDER.format(form_name).encode())
    return content


def _is_per_visitor(content: bytes) -> bool:
    return CSRF_PLACEHOLDER.encode() in content or b"__response-cache-started-" in content


def _filled(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if b"__response-cache-started-" in content:
        from readers import spam

        content = _STARTED_PLACEHOLDER.sub(
            lambda m: spam.make_started_token(m.group(1).decode()).encode(), content
        )
    return content


def _with_headers_of(answer: HttpResponse, headers) -> HttpResponse:
    """A 304 keeps every header the full response has but those describing its body
    (Content-*, Allow), as a 304 from the view does."""
    for name, value in headers.items():
        if not name.lower().startswith(("content-", "allow")) and not answer.has_header(name):
            answer[name] = value
    return answer


def _conditional(request: HttpRequest, response: HttpResponse, etag: str) -> HttpResponse:
    """Django's conditional GET on a full response: the response itself, a 304 or a 412."""
    answer = get_conditional_response(request, etag=etag, response=response)
    if answer is not response and answer.status_code == 304:
        _with_headers_of(answer, response.headers)
    return answer


def _not_modified(request: HttpRequest, entry: dict) -> HttpResponse | None:
    """The 304 for a stored entry whose ETag the request's If-None-Match names, built from
    its metadata alone (no response is built, no body read); else None."""
    answer = get_conditional_response(request, etag=entry["etag"])
    if answer is None or answer.status_code != 304:
        return None
    return _with_headers_of(answer, entry["headers"])


# --- the middleware -----------------------------------------------------------------------------


class ResponseCacheMiddleware:
    """Answer anonymous GETs from the shared cache; store what is safe to share."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        # CSRF's own hooks read and set the visitor's cookie when a token is filled in.
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = cache_key(request) if enabled() else None
        if key is None:
            return self.get_response(request)
        conditional = "HTTP_IF_NONE_MATCH" in request.META
        entry, version = self.lookup(key, body=not conditional)
        if entry is not None and conditional:
            if entry["etag"] is not None:
                answer = _not_modified(request, entry)
                if answer is not None:
                    answer[HIT_HEADER] = "HIT"
                    return answer
            entry, version = self.lookup(key)  # an older ETag: the client needs the body
        if entry is not None:
            response = self.hit(request, entry)
        else:
            # Conditional GET is answered here, hit or miss: the view builds the full response
            # (so it can be stored), then If-None-Match is applied to it.
            if_none_match = request.META.pop("HTTP_IF_NONE_MATCH", None)
            setattr(request, RENDERING_ATTR, True)
            response = self.miss(request, self.get_response(request), key, version)
            if if_none_match is not None:
                request.META["HTTP_IF_NONE_MATCH"] = if_none_match
                if response.has_header("ETag"):
                    response = _conditional(request, response, response["ETag"])
        return response

    @staticmethod
    def lookup(key: str, *, body: bool = True) -> tuple[dict | None, str | None]:
        """(the valid entry or None, the current version or None when the cache is not usable).

        One round trip when the cache holds the version. An entry is two keys written
        together: its metadata, and its body (``body=False``, enough for a 304, skips it)."""
        global _saw_outage
        try:
            cache = _cache()
            body_key = f"{key}:body"
            found = cache.get_many([_version_key(), key, body_key] if body else [_version_key(), key])
            version = found.get(_version_key())
            if version is None:
                # The copy lapsed (VERSION_TTL) or was lost: the row decides, and an entry
                # built under the row's token is as good as under the copy.
                version = _version_from_database(cache)
            elif _saw_outage:
                version = _reconciled(cache, version)
            entry = found.get(key)
            if version is None or entry is None or entry["version"] != version:
                return None, version
            if body:
                stored = found.get(body_key)
                # The id guards against a torn or half-evicted pair.
                if not stored or stored[0] != entry["body_id"]:
                    return None, version
                entry = {**entry, "content": stored[1]}
            return entry, version
        except Exception:
            _saw_outage = True
            logger.warning("Response cache unavailable: answering without it.", exc_info=True)
            return None, None

    def hit(self, request: HttpRequest, entry: dict) -> HttpResponse:
        per_visitor = entry["per_visitor"]
        if per_visitor:
            self.csrf.process_request(request)  # reads the visitor's CSRF cookie, if any
            response = HttpResponse(_filled(request, entry["content"]), headers=entry["headers"])
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response = self.csrf.process_response(request, response)
        else:
            response = _conditional(
                request, HttpResponse(entry["content"], headers=entry["headers"]), entry["etag"]
            )
        response[HIT_HEADER] = "HIT"
        return response

    def miss(
        self, request: HttpRequest, response: HttpResponse, key: str, version: str | None
    ) -> HttpResponse:
        if response.streaming:
            return response
        content = bytes(response.content)
        if _storable(request, response):
            response[HIT_HEADER] = "MISS"  # shareable: stored unless the cache is unavailable
            stored = _with_placeholders(content) if version is not None else None
            if stored is not None:
                self.store(key, version, response, stored)
        if CSRF_PLACEHOLDER.encode() in content:
            response.content = _filled(request, content)
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response = self.csrf.process_response(request, response)
        return response

    @staticmethod
    def store(key: str, version: str, response: HttpResponse, content: bytes) -> bool:
        per_visitor = _is_per_visitor(content)
        if per_visitor:
            # The HTML holds this visitor's CSRF token: no shared cache may hand it to another.
            patch_cache_control(response, private=True, max_age=0)
            etag = None
        else:
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE, s_maxage=SHARED_MAX_AGE)
            if not response.has_header("ETag"):
                response["ETag"] = etag_for(content)
            etag = response["ETag"]
        body_id = secrets.token_hex(8)
        meta = {
            "version": version,
            "etag": etag,
            "per_visitor": per_visitor,
            "headers": {k: v for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS},
            "body_id": body_id,
        }
        try:
            _cache().set_many({key: meta, f"{key}:body": (body_id, content)}, timeout=_lifetime())
            return True
        except Exception:
            logger.warning("Response cache unavailable: response not stored.", exc_info=True)
            return False


# --- what bumps the version -----------------------------------------------------------------------


def _bumping_models() -> tuple[type, ...]:
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site

    from blog.models import (
        ArticleRelatedPick,
        ArticleTopic,
        Author,
        Location,
        PracticeSettings,
        TherapeuticApproach,
        Topic,
    )

    return (
        ArticleRelatedPick,
        ArticleTopic,
        Author,
        Location,
        PracticeSettings,
        TherapeuticApproach,
        Topic,
        PageViewRestriction,
        Site,
        Redirect,
        get_image_model(),
    )


# A page save touching only these is an editor's draft (Wagtail's save_revision, locking):
# nothing public changes until it is published (page_published bumps then).
DRAFT_ONLY_FIELDS = frozenset(
    {
        "wagtail_admin_comments",
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def _on_change(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    from wagtail.models import Page

    if raw:
        return
    if isinstance(instance, Page):
        if update_fields is not None and frozenset(update_fields) <= DRAFT_ONLY_FIELDS:
            return
        bump()
    elif sender in _BUMPING:
        bump()


def _on_comment_saved(sender, instance, update_fields=None, **kwargs) -> None:
    # A new pending comment changes nothing public: a flood of submissions never bumps.
    moderated = update_fields is not None and "status" in update_fields
    if instance.status == instance.Status.APPROVED or moderated:
        bump()


def _on_comment_deleted(sender, instance, **kwargs) -> None:
    if instance.status == instance.Status.APPROVED:
        bump()


def _on_page_event(sender, **kwargs) -> None:
    bump()


_BUMPING: tuple[type, ...] = ()


def connect() -> None:
    """Connect every change able to alter public output to ``bump`` (from ``ApiConfig.ready``)."""
    global _BUMPING
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from readers.models import Comment

    _BUMPING = _bumping_models()
    post_save.connect(_on_change, dispatch_uid="response_cache.saved")
    post_delete.connect(_on_change, dispatch_uid="response_cache.deleted")
    post_save.connect(_on_comment_saved, sender=Comment, dispatch_uid="response_cache.comment_saved")
    post_delete.connect(_on_comment_deleted, sender=Comment, dispatch_uid="response_cache.comment_deleted")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_on_page_event, dispatch_uid=f"response_cache.{id(signal)}")


# --- fail closed ------------------------------------------------------------------------------------


@checks.register(checks.Tags.caches, deploy=False)
def check_cache_configuration(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Production with the response cache on needs a cache every process shares, and throttles
    must never share it (entries would evict their counters)."""
    errors = []
    if not getattr(settings, "RESPONSE_CACHE_REQUIRE_SHARED", False) or not settings.RESPONSE_CACHE_ENABLED:
        return errors
    alias = settings.RESPONSE_CACHE_ALIAS
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if backend in PER_PROCESS_BACKENDS:
        errors.append(
            checks.Error(
                f"The response cache is on and its cache {alias!r} is per process ({backend}): after a "
                "change, other processes would keep serving their old copies.",
                hint="Set REDIS_URL, or RESPONSE_CACHE_ENABLED=false (docs/operations.md, Caching).",
                id="api.E001",
            )
        )
    if getattr(settings, "THROTTLE_CACHE_ALIAS", None) == alias:
        errors.append(
            checks.Error(
                "Throttles count in the response cache: its entries would evict their counters.",
                hint="Give THROTTLE_CACHE_ALIAS a cache alias of its own.",
                id="api.E002",
            )
        )
    return errors
