"""Security middleware of our own: response headers, request body limits, the client address.

Why our own and not packages:

- ``Content-Security-Policy``: Django 5.2 has none built in. ``django-csp`` would add a
  dependency for one header and can only *exclude* URL prefixes, while this site needs three
  policies (strict for the rendered site and the API, looser for the Wagtail admin, whose
  widgets still ship inline ``<script>``, and one for the Redoc API docs, which inject styles
  and start a ``blob:`` worker). ``frame-ancestors`` follows the response's
  ``X-Frame-Options`` so the admin's same-origin preview iframe keeps working while every
  other page refuses to be framed.
- The client address (``client_ip``): one trusted-proxy rule for the readers' throttles, the
  admin sign-in lockout (``staffauth.lockout``, django-axes) and the password-reset throttle.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
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
