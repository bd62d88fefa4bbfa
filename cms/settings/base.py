"""Settings shared by every environment.

Environment variables are read here and only here (see ``env`` helpers below); the
dev/test/production modules only switch behaviour. Everything the running project writes
goes under ``VAR_DIR`` (git-ignored), so a fresh clone needs nothing but python3.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = env_str(name)
    if not value:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}.") from exc


def env_networks(name: str, default: str = "") -> list[str]:
    """A comma-separated list of CIDR networks, each checked here so a typo fails at start-up."""
    networks = env_list(name, default)
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(f"{name}: {network!r} is not a network (e.g. 10.0.0.0/8).") from exc
    return networks


SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public site's base URL: canonical links, absolute URLs in the API, sitemap, feeds.
# With a separate frontend this is the frontend's domain, not the CMS's.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", PUBLIC_BASE_URL).rstrip("/")

# Browser origins of the separate frontend allowed to call the API (CORS).
CORS_ALLOWED_ORIGINS = env_list("FRONTEND_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
CORS_EXPOSE_HEADERS = ("ETag",)

INSTALLED_APPS = [
    "blog",
    "api",
    "readers",
    "publishing",
    "wagtail.contrib.forms",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost, so CSP and Permissions-Policy reach every response (static files included).
    "cms.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise directly after SecurityMiddleware, so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # After CORS, so a browser frontend can read the 413.
    "cms.security.RequestBodyLimitMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "api.cache_middleware.ApiCacheMiddleware",  # API cache hits skip everything below
    # Anonymous page views answered from the shared cache skip everything below (blog.page_cache).
    "blog.page_cache.PageCacheMiddleware",
    "blog.middleware.RepresentationScopeMiddleware",  # per-request memo for what pages render
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # After CSRF: only well-formed sign-in posts are counted.
    "cms.security.AdminLoginThrottleMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL (PostgreSQL in production) overrides it.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The embedded SQLite database, tuned as SQLite's own documentation advises for a web app:
# write-ahead logging, so readers (the site, the API) never wait for the task worker's or an
# editor's writes, nor the writer for them; synchronous=NORMAL, durable at every checkpoint in
# WAL mode and without an fsync per commit; and a page cache large enough for the articles
# table (64 MB, allocated as used; the default 2 MB re-read the table from the OS for every
# count: 13 ms rather than 4 ms per 10,000 live articles, docs/benchmarks.md).
SQLITE_INIT_COMMAND = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536"
# Several processes write the one file (the dev server, the task worker, the scheduler), and
# SQLite lets one write at a time. A deferred transaction (SQLite's default) that has read and
# then wants to write fails at once with "database is locked" if another connection committed
# in between: waiting cannot help it, because its snapshot is stale. IMMEDIATE transactions
# take the write lock when they begin, so every atomic block (an editor's publish, a comment,
# a task's bookkeeping) queues for the lock instead, and the busy timeout is how long it
# queues before giving up: longer than any write here takes, short enough to surface a stuck
# process.
SQLITE_TRANSACTION_MODE = "IMMEDIATE"
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20)


def sqlite_tuned(database: dict) -> dict:
    """``database`` with the embedded defaults above when it is SQLite (Django runs
    ``init_command`` on every new connection and opens every ``atomic()`` block with
    ``BEGIN <transaction_mode>``)."""
    if database.get("ENGINE") == "django.db.backends.sqlite3":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("init_command", SQLITE_INIT_COMMAND)
        options.setdefault("transaction_mode", SQLITE_TRANSACTION_MODE)
        options.setdefault("timeout", SQLITE_BUSY_TIMEOUT_SECONDS)
    return database


DATABASES["default"] = sqlite_tuned(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache when REDIS_URL is set (several app processes), else a per-process one.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "cms"),
            "OPTIONS": {
                # A cache outage must not take the site down: reads miss, writes are dropped.
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    # Not one log entry (with traceback) per failed cache call: under load that is thousands a
    # second, and formatting them slowed every request to seconds (make reliability, Redis
    # stopped). The outage is reported once per 30 s per process by readers.throttle.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Los_Angeles")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Serve uploaded media from MEDIA_ROOT through Django (single-host setups, benchmarks).
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Absolute base for media URLs in the API (the CMS host or a CDN in front of it).
MEDIA_BASE_URL = env_str("MEDIA_BASE_URL", WAGTAILADMIN_BASE_URL).rstrip("/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Email: staff notifications (consultation requests, comments awaiting moderation).
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Practice website <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Who is told about new consultation requests and comments (comma separated).
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS")

# Readers' comments and consultation requests (readers app; docs/privacy.md).
# Throttles are "N/SECONDS" per client, counted in the shared cache.
COMMENT_THROTTLE_RATE = env_str("COMMENT_THROTTLE_RATE", "5/600")
CONSULTATION_THROTTLE_RATE = env_str("CONSULTATION_THROTTLE_RATE", "3/3600")
# The HTML forms must be open at least this long before sending (bots are faster).
READERS_MIN_FILL_SECONDS = env_int("READERS_MIN_FILL_SECONDS", 3)
# Largest request body the comment and consultation endpoints read (413 above it).
READERS_MAX_BODY_BYTES = env_int("READERS_MAX_BODY_BYTES", 16 * 1024)
# Retention (manage.py purge_personal_data, run daily): commenters' email and website are
# cleared after COMMENT_EMAIL_RETENTION_DAYS; rejected and spam comments are deleted after
# COMMENT_REJECTED_RETENTION_DAYS; consultation requests are deleted after
# CONSULTATION_RETENTION_DAYS.
COMMENT_EMAIL_RETENTION_DAYS = env_int("COMMENT_EMAIL_RETENTION_DAYS", 90)
COMMENT_REJECTED_RETENTION_DAYS = env_int("COMMENT_REJECTED_RETENTION_DAYS", 30)
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 180)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Heal & Thrive Psychotherapy")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "png", "heic": "jpeg"}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
TAGGIT_CASE_INSENSITIVE = True


# django-tasks: background work (webhook deliveries, CDN purges, search and reference index
# updates). TASKS_BACKEND=database (dev and production default) stores tasks in the database
# for `manage.py db_worker` (django-tasks-db) to run; `immediate` runs them inline.
def tasks_setting(default_backend: str) -> dict:
    """TASKS for TASKS_BACKEND (``immediate`` or ``database``), defaulting per environment."""
    backends = {
        "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        "database": "django_tasks_db.DatabaseBackend",
    }
    name = env_str("TASKS_BACKEND", default_backend)
    if name not in backends:
        raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(backends)}, got {name!r}.")
    return {"default": {"BACKEND": backends[name]}}


TASKS = tasks_setting("immediate")

# Publishing (publishing app; docs/api.md).
# Webhook deliveries: attempts per delivery, backoff base (30 s, 60 s, 120 s…), HTTP timeout.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_RETRY_BASE_SECONDS = env_int("WEBHOOK_RETRY_BASE_SECONDS", 30)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
# Outbound requests (webhooks, link checks) go only to public addresses (publishing/destinations.py,
# docs/security.md): https only unless OUTBOUND_HTTPS_ONLY is off (development and tests; production
# forces it on); OUTBOUND_ALLOWED_NETWORKS lists networks (CIDR) allowed even though they are not
# public, e.g. "127.0.0.0/8,::1/128" for a receiver on this machine. Metadata addresses never are.
OUTBOUND_HTTPS_ONLY = env_bool("OUTBOUND_HTTPS_ONLY", True)
OUTBOUND_ALLOWED_NETWORKS = env_networks("OUTBOUND_ALLOWED_NETWORKS")
OUTBOUND_TIMEOUT_SECONDS = env_int("OUTBOUND_TIMEOUT_SECONDS", 5)

# Broken-link checks (publishing/links.py, under the outbound rules above): the task worker checks
# a page's links after it is published, and every live page daily (check_links, scheduled below).
LINK_CHECK_ON_PUBLISH = env_bool("LINK_CHECK_ON_PUBLISH", True)
LINK_CHECK_TIMEOUT_SECONDS = env_int("LINK_CHECK_TIMEOUT_SECONDS", 10)
LINK_CHECK_CONCURRENCY = env_int("LINK_CHECK_CONCURRENCY", 4)
# The frontend's preview route (e.g. https://www.example.com/api/preview). When set, the
# admin's preview shows the draft in the frontend; when empty, in the CMS's own templates.
FRONTEND_PREVIEW_URL = env_str("FRONTEND_PREVIEW_URL")
PREVIEW_TOKEN_MAX_AGE_SECONDS = env_int("PREVIEW_TOKEN_MAX_AGE_SECONDS", 600)
# Shared cache of public API responses, invalidated per change (api/caching.py). The
# Cache-Control a CDN follows (s-maxage, stale-while-revalidate) is set in api/http.py.
API_CACHE_ENABLED = env_bool("API_CACHE_ENABLED", True)
# CDN purges through wagtail.contrib.frontend_cache when FRONTEND_CACHE_BACKEND is set:
# "cloudflare" (FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN, FRONTEND_CACHE_CLOUDFLARE_ZONEID),
# "cloudfront" (FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID) or "http" (FRONTEND_CACHE_LOCATION,
# a purging proxy such as Varnish).
FRONTEND_CACHE_BACKEND = env_str("FRONTEND_CACHE_BACKEND")
_frontend_cache_needs = {
    "cloudflare": ["FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", "FRONTEND_CACHE_CLOUDFLARE_ZONEID"],
    "cloudfront": ["FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"],
    "http": ["FRONTEND_CACHE_LOCATION"],
}
_frontend_cache_missing = [n for n in _frontend_cache_needs.get(FRONTEND_CACHE_BACKEND, []) if not env_str(n)]
if _frontend_cache_missing:
    raise ImproperlyConfigured(
        f"FRONTEND_CACHE_BACKEND={FRONTEND_CACHE_BACKEND} needs {', '.join(_frontend_cache_missing)}."
    )
if FRONTEND_CACHE_BACKEND == "cloudflare":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": env_str("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN"),
            "ZONEID": env_str("FRONTEND_CACHE_CLOUDFLARE_ZONEID"),
        }
    }
elif FRONTEND_CACHE_BACKEND == "cloudfront":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
            "DISTRIBUTION_ID": env_str("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID"),
        }
    }
elif FRONTEND_CACHE_BACKEND == "http":
    WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": env_str("FRONTEND_CACHE_LOCATION"),
        }
    }
elif FRONTEND_CACHE_BACKEND:
    raise ImproperlyConfigured(
        f"FRONTEND_CACHE_BACKEND must be cloudflare, cloudfront or http, got {FRONTEND_CACHE_BACKEND!r}."
    )

DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security headers in every environment (HSTS and HTTPS-only cookies: production.py).
# The rest (CSP, Permissions-Policy, body limits, admin sign-in throttle): cms/security.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Load balancers in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Admin sign-in: failures allowed per username and client, and per client, in each window.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5)
ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT", 20)
ADMIN_LOGIN_WINDOW_SECONDS = env_int("ADMIN_LOGIN_WINDOW_SECONDS", 15 * 60)
ADMIN_LOGIN_THROTTLE_CACHE = "default"
# CSRF refusals in the API's JSON error shape under /api/.
CSRF_FAILURE_VIEW = "cms.security.csrf_failure"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["api.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # One error shape for every status (api/errors.py).
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.ApiPagination",
    "PAGE_SIZE": 12,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Practice content API",
    "DESCRIPTION": "Public, read-only content of the practice's website, for its frontend.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Only /api/v1/ (not Wagtail's admin API); operation paths shown relative to it.
    "PREPROCESSING_HOOKS": ["api.schema.only_public_api"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # The level is on the handler too: commands that set their own loggers' levels (the task
    # worker sets django_tasks to INFO) still print nothing below LOG_LEVEL.
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "level": env_str("LOG_LEVEL", "INFO"),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Periodic jobs, run by `manage.py run_scheduler` (publishing/scheduler.py; `make run` starts it,
# production runs it as one process or runs `run_scheduler --once` from cron every minute).
# Each run is recorded in publishing.ScheduledJobRun. Add a periodic job here rather than a
# loop of its own.
SCHEDULED_COMMANDS = [
    # Scheduled go-live and expiry of pages and snippets (Wagtail's command).
    {"name": "publish_scheduled", "command": "publish_scheduled", "every_seconds": 60},
    # Every link on the live site, for Reports › Broken links (queued for the task worker).
    {"name": "check_links", "command": "check_links", "every_seconds": 86400},
]
