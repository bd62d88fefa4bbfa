"""Security middleware of our own: response headers, request body limits, admin login throttle.

Why our own and not packages:

- ``Content-Security-Policy``: Django 5.2 has none built in. ``django-csp`` would add a
  dependency for one header and can only *exclude* URL prefixes, while this site needs three
  policies (strict for the rendered site and the API, looser for the Wagtail admin, whose
  widgets still ship inline ``<script>``, and one for the Redoc API docs, which inject styles
  and start a ``blob:`` worker). ``frame-ancestors`` follows the response's
  ``X-Frame-Options`` so the admin's same-origin preview iframe keeps working while every
  other page refuses to be framed.
- Admin login throttle: ``django-axes`` keeps attempts in its own tables and replaces the
  authentication backend; a counter in the shared cache (Redis in production) is enough here,
  works across processes, and falls back to a per-process counter while the cache is down, so
  an outage never switches brute-force protection off (fails closed).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.html import escape

API_PREFIX = "/api/"
API_DOCS_PREFIX = "/api/v1/docs/"
ADMIN_PREFIX = "/admin/"

# Browser features no page of this site uses; denied to the page and any frame it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


def _origin(url: str) -> str:
    """``https://cdn.example.org/media`` -> ``https://cdn.example.org`` ('' if not absolute)."""
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _join(directives: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{name} {' '.join(dict.fromkeys(values))}".strip() for name, values in directives.items()
    )


def build_policies() -> dict[str, dict[str, list[str]]]:
    """The Content-Security-Policy directives per area of the site (without frame-ancestors,
    which is added per response). Origins come from settings, so a media CDN or a separate
    frontend (for the admin's headless preview) is allowed exactly when configured."""
    media = [o for o in [_origin(getattr(settings, "MEDIA_BASE_URL", ""))] if o]
    frontend_urls = [*settings.CORS_ALLOWED_ORIGINS, settings.PUBLIC_BASE_URL]
    frontends = sorted({_origin(u) for u in frontend_urls} - {""})
    common = {"object-src": ["'none'"], "base-uri": ["'self'"]}
    site = {
        "default-src": ["'self'"],
        # No 'unsafe-inline' and no 'unsafe-eval': injected markup cannot run script.
        # JSON-LD (<script type="application/ld+json">) is a data block, never executed,
        # so it needs no allowance.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "form-action": ["'self'"],
        "manifest-src": ["'self'"],
        **common,
    }
    admin = {
        "default-src": ["'self'"],
        # Wagtail's admin widgets (date pickers, inline panels) still emit inline <script>.
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        # https: for avatars (Gravatar) and images already in pasted rich text.
        "img-src": ["'self'", "data:", "blob:", "https:", *media],
        "media-src": ["'self'", *media],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The preview panel frames the CMS's own preview view or the separate frontend.
        "frame-src": ["'self'", *frontends],
        "worker-src": ["'self'", "blob:"],
        "form-action": ["'self'"],
        **common,
    }
    api = {"default-src": ["'none'"], "form-action": ["'none'"], "base-uri": ["'none'"]}
    docs = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Redoc injects its styles at run time and parses the schema in a blob: worker.
        "style-src": ["'self'", "'unsafe-inline'"],
        "worker-src": ["'self'", "blob:"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "form-action": ["'none'"],
        **common,
    }
    if getattr(settings, "SECURE_SSL_REDIRECT", False):
        for policy in (site, admin, docs):
            policy["upgrade-insecure-requests"] = []
    return {"site": site, "admin": admin, "api": api, "docs": docs}


def area_of(path: str) -> str:
    """Which policy a path gets: ``admin``, ``docs``, ``api`` or ``site``."""
    if path.startswith(ADMIN_PREFIX):
        return "admin"
    if path.startswith(API_DOCS_PREFIX):
        return "docs"
    if path.startswith(API_PREFIX):
        return "api"
    return "site"


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response.

    First in ``MIDDLEWARE`` so it also covers static files, redirects and error pages. Django's
    ``SecurityMiddleware`` adds HSTS (production), ``X-Content-Type-Options``,
    ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``; ``XFrameOptionsMiddleware`` adds
    ``X-Frame-Options: DENY`` (``SAMEORIGIN`` on Wagtail's preview views), which the
    ``frame-ancestors`` directive mirrors here for browsers that prefer CSP.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.policies = {area: _join(directives) for area, directives in build_policies().items()}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        frame = response.get("X-Frame-Options", "DENY").upper()
        ancestors = "'self'" if frame == "SAMEORIGIN" else "'none'"
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = (
                f"{self.policies[area_of(request.path)]}; frame-ancestors {ancestors}"
            )
        elif frame == "SAMEORIGIN":
            # Wagtail renders a preview through a nested request, whose response already got
            # `frame-ancestors 'none'` here; the preview view then relaxes X-Frame-Options to
            # SAMEORIGIN, and browsers obey the CSP, so the CSP must follow it.
            response["Content-Security-Policy"] = response["Content-Security-Policy"].replace(
                "frame-ancestors 'none'", "frame-ancestors 'self'"
            )
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- CSRF failures -------------------------------------------------------------------------


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: the API's JSON error shape under ``/api/`` (a POST to a path no
    API view matches is refused by CSRF before any view runs), Django's page elsewhere."""
    if request.path.startswith(API_PREFIX):
        from api.errors import error_response  # the API owns its error shape

        return error_response(403, "csrf_failed", "This request was refused (CSRF check failed).")
    from django.views.csrf import csrf_failure as django_csrf_failure

    return django_csrf_failure(request, reason=reason)


# --- Request body limit -------------------------------------------------------------------


# Room for the other form fields and the multipart framing around an upload.
MULTIPART_ROOM = 1024 * 1024
# Admin views that take a larger upload than an image, by URL name, each with the setting that
# holds its largest upload: the exception is for these URLs only.
LARGE_UPLOAD_VIEWS = {"wordpress_import": "WORDPRESS_IMPORT_MAX_BYTES"}


def max_body_size(path: str) -> int:
    """Largest request body accepted on a path: image uploads in the admin, small forms and
    JSON everywhere else."""
    if path.startswith(ADMIN_PREFIX):
        # The largest allowed image plus room for the other form fields and multipart framing.
        return settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + MULTIPART_ROOM
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def large_upload_limit(path: str) -> int | None:
    """The larger body limit of a view in ``LARGE_UPLOAD_VIEWS`` at ``path``, else None. Only
    asked when a body is over the path's normal limit, so other requests resolve nothing."""
    if not path.startswith(ADMIN_PREFIX):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    setting = LARGE_UPLOAD_VIEWS.get(match.url_name or "")
    return getattr(settings, setting) + MULTIPART_ROOM if setting else None


class RequestBodyLimitMiddleware:
    """Answer ``413`` before reading a body whose declared length is over the limit.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only bounds form fields and ``request.body``; uploaded
    *files* in a multipart body are streamed to disk without limit, on any URL that reads
    ``request.POST``. This closes that, using ``Content-Length``. Chunked bodies (no length)
    are still bounded by Django when read as ``request.body`` (raising ``RequestDataTooBig``).
    Under ``/api/`` the answer is in the API's error shape.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = max_body_size(request.path)
        if length > limit:
            limit = max(limit, large_upload_limit(request.path_info) or 0)
            if length > limit:
                return self.too_large(request, limit)
        return self.get_response(request)

    @staticmethod
    def too_large(request: HttpRequest, limit: int) -> HttpResponse:
        message = f"The request body is too large (at most {limit // 1024} KiB)."
        if request.path.startswith(API_PREFIX):
            from api.errors import error_response  # the API owns its error shape

            response = error_response(413, "payload_too_large", message)
        else:
            response = HttpResponse(
                f"<!DOCTYPE html><title>Request too large</title><p>{escape(message)}</p>",
                status=413,
                content_type="text/html; charset=utf-8",
            )
        # No "Connection: close" here: it is a hop-by-hop header, which WSGI applications must not
        # set (wsgiref and Django's runserver turn it into a 500). The server owns the
        # connection: Django's runserver closes it when a body was left unread, and gunicorn
        # discards the unread body before it parses the next request on the connection.
        return response


# --- Client address -----------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind ``TRUSTED_PROXY_COUNT`` proxies (load balancers that each
    append to ``X-Forwarded-For``), the address the outermost trusted proxy saw; the client
    can forge everything to the left of it, so that part is never used."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]


# --- Admin login throttle -----------------------------------------------------------------

# Used only while the shared cache is unreachable: per-process counters keep the limit on.
_fallback_cache = LocMemCache("login-throttle-fallback", {"MAX_ENTRIES": 10_000})


def _digest(value: str) -> str:
    # Usernames can be email addresses: keep them out of cache keys (and Redis dumps).
    return hashlib.blake2b(value.encode("utf-8"), digest_size=12).hexdigest()


class LoginThrottle:
    """Counts failed admin sign-ins per (username, client) and per client.

    ``ADMIN_LOGIN_MAX_FAILURES`` failures for one username from one client, or
    ``ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT`` failures from one client over any usernames, lock
    that pair (or that client) out until ``ADMIN_LOGIN_WINDOW_SECONDS`` after its first failure.
    A successful sign-in clears the pair's counter. Locked attempts never reach the password
    check, so they cost the attacker a request and reveal nothing.
    """

    def __init__(self) -> None:
        self.per_user = settings.ADMIN_LOGIN_MAX_FAILURES
        self.per_client = settings.ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT
        self.window = settings.ADMIN_LOGIN_WINDOW_SECONDS
        self.cache = caches[settings.ADMIN_LOGIN_THROTTLE_CACHE]

    def _keys(self, username: str, client: str) -> tuple[str, str]:
        # A window opens with the first failure (the key's expiry) and is not extended by
        # later ones: incrementing keeps the expiry, in Redis and in the local cache alike.
        return (
            f"login-fail:u:{_digest(username.strip().lower() + '|' + client)}",
            f"login-fail:c:{_digest(client)}",
        )

    def retry_after(self) -> int:
        """Seconds a locked client should wait at most (the window's length)."""
        return self.window

    def _count(self, key: str) -> int:
        shared = self.cache.get(key)
        local = _fallback_cache.get(key)
        return max(int(shared or 0), int(local or 0))

    def is_locked(self, username: str, client: str) -> bool:
        user_key, client_key = self._keys(username, client)
        return self._count(user_key) >= self.per_user or self._count(client_key) >= self.per_client

    def _incr(self, key: str) -> None:
        timeout = self.window
        try:
            self.cache.add(key, 0, timeout)
            value = self.cache.incr(key)
        except Exception:  # unreachable cache, or the key expired between add and incr
            value = None
        # Count locally instead (django-redis with IGNORE_EXCEPTIONS answers None when Redis
        # is unreachable), so the limit holds in this process during an outage.
        if value is None and not _fallback_cache.add(key, 1, timeout):
            _fallback_cache.incr(key)

    def record_failure(self, username: str, client: str) -> None:
        for key in self._keys(username, client):
            self._incr(key)

    def record_success(self, username: str, client: str) -> None:
        user_key, _ = self._keys(username, client)
        self.cache.delete(user_key)
        _fallback_cache.delete(user_key)


class AdminLoginThrottleMiddleware:
    """Throttles POSTs to Wagtail's admin sign-in view (``wagtailadmin_login``).

    A locked attempt is answered ``429`` with ``Retry-After`` and never authenticated; every
    other attempt is passed to the view and judged by its outcome (signed in or not).
    """

    LOGIN_URL_NAME = "wagtailadmin_login"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        attempt = getattr(request, "_login_attempt", None)
        if attempt is not None and not attempt["blocked"]:
            throttle, username, client = attempt["throttle"], attempt["username"], attempt["client"]
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                throttle.record_success(username, client)
            elif response.status_code == 200:
                # The form was shown again: wrong credentials (or an incomplete form).
                throttle.record_failure(username, client)
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.url_name != self.LOGIN_URL_NAME:
            return None
        throttle = LoginThrottle()
        username = request.POST.get("username", "")[:254]
        client = client_ip(request)
        blocked = throttle.is_locked(username, client)
        request._login_attempt = {
            "throttle": throttle,
            "username": username,
            "client": client,
            "blocked": blocked,
        }
        if not blocked:
            return None
        minutes = math.ceil(throttle.retry_after() / 60)
        response = HttpResponse(
            "<!DOCTYPE html><title>Too many sign-in attempts</title>"
            f"<p>Too many failed sign-in attempts. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.</p>",
            status=429,
            content_type="text/html; charset=utf-8",
        )
        response["Retry-After"] = str(throttle.retry_after())
        return response
