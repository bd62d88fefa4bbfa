"""Settings shared by every environment.

Environment variables are read here and only here (see ``env`` helpers below); the
dev/test/production modules only switch behaviour. Everything the running project writes
goes under ``VAR_DIR`` (git-ignored), so a fresh clone needs nothing but python3.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name).lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
    return value


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
# The CMS's own URL (admin links in emails: password resets, with their tokens, must point here,
# never at a separate frontend). Production defaults it to https:// and the first ALLOWED_HOSTS.
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Browser origins of the separate frontend allowed to call the API (CORS).
CORS_ALLOWED_ORIGINS = env_list("FRONTEND_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST")
CORS_EXPOSE_HEADERS = ("ETag",)

# Wagtail's frontend cache is used as a library (``publishing.events`` purges exactly the paths
# a change affects); installing its app would also connect its own publish handlers and purge
# every page twice. Form pages, routable pages and Wagtail's sitemaps are not used (the sitemap
# is ``blog.sitemaps`` on Django's framework).
INSTALLED_APPS = [
    "blog",
    "api",
    "readers",
    "publishing",
    "ops",
    "wpimport",
    "staffauth",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
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
    # Staff sign-in (staffauth): failed attempts and lockouts in the database (django-axes),
    # authenticator apps and backup codes (django-otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Passkeys (WebAuthn) as a second factor, a django-otp device like the others.
    "django_otp_webauthn",
]

MIDDLEWARE = [
    # Outermost, so CSP and Permissions-Policy reach every response (static files included).
    "cms.security.SecurityHeadersMiddleware",
    # /health/live/ and /health/ready/: before the HTTPS redirect, host validation and caches.
    "ops.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise directly after SecurityMiddleware, so static files skip the rest.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS (a browser frontend reads the errors), outside everything that can answer an
    # error under /api/ (the debug pages included): every one of them in the API's error shape.
    "api.error_middleware.ApiErrorShapeMiddleware",
    # After CORS, so a browser frontend can read the 413.
    "cms.security.RequestBodyLimitMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Anonymous GETs (API and pages) answered from the response cache skip everything below.
    "api.response_cache.ResponseCacheMiddleware",
    "blog.middleware.RepresentationScopeMiddleware",  # per-request memo for what pages render
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor in this session.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Staff who have a device, or must have one (STAFF_2FA_REQUIRED), reach the admin only after
    # the code: the verify or enrolment page first.
    "staffauth.middleware.TwoFactorMiddleware",
    # Last, as axes requires: turns a locked-out sign-in into the lockout page. After CSRF, so
    # forged or stale forms are refused before they count.
    "axes.middleware.AxesMiddleware",
]

# The axes backend first: a locked-out client's attempt is refused before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
                # A placeholder for the per-visitor CSRF token of pages rendered for the cache.
                "api.response_cache.csrf_placeholder",
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


# PostgreSQL's JIT compiler is for long analytical queries: it starts when a plan's estimated
# cost passes jit_above_cost, and the counts over every published article cross it at a few
# thousand articles, where compiling took 212 of a query's 249 ms while the query itself ran
# in 37 (docs/decisions/0002). Every query here is a short web request, so the connections
# turn it off; DATABASE_JIT=on gives the server's own setting back.
DATABASE_JIT = env_str("DATABASE_JIT", "off")


def postgres_tuned(database: dict) -> dict:
    if database.get("ENGINE") == "django.db.backends.postgresql" and DATABASE_JIT == "off":
        options = database.setdefault("OPTIONS", {})
        options.setdefault("options", "-c jit=off")
    return database


DATABASES["default"] = postgres_tuned(sqlite_tuned(DATABASES["default"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches (docs/operations.md, "Caching and Redis"; docs/caching.md):
# - "default": the response cache (api.response_cache) and Wagtail's small caches. Redis when
#   REDIS_URL is set (several processes share it); else files under var/cache/, which every
#   process of the embedded default (server, worker, scheduler) shares.
# - "throttle": the readers' throttles and the admin sign-in lockout, never in the response
#   cache (its entries would evict their counters): a Redis of their own (THROTTLE_REDIS_URL,
#   maxmemory-policy noeviction), else a table in the database (created by a migration).
REDIS_URL = env_str("REDIS_URL")
THROTTLE_REDIS_URL = env_str("THROTTLE_REDIS_URL")


def redis_cache(url: str, prefix: str) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            # A cache outage must not take the site down: reads miss, writes are dropped.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


CACHES = {
    "default": (
        redis_cache(REDIS_URL, env_str("CACHE_KEY_PREFIX", "cms"))
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}
    ),
    "throttle": (
        redis_cache(THROTTLE_REDIS_URL, env_str("THROTTLE_KEY_PREFIX", "throttle"))
        if THROTTLE_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "throttle_cache",
            # Culling would forget counters: the table holds one row per client and window.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        }
    ),
}
THROTTLE_CACHE_ALIAS = "throttle"
if REDIS_URL or THROTTLE_REDIS_URL:
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    # Not one log entry (with traceback) per failed cache call: under load that is thousands a
    # second, and formatting them slowed every request to seconds (make reliability, Redis
    # stopped). The outage is reported once per 30 s per process by readers.throttle.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False

if REDIS_URL:
    # Wagtail looks renditions up in the "renditions" cache alias: in Redis every process
    # finds the rendition another one made, without a query (the rows and files are shared
    # through the database and the media storage in any case).
    CACHES["renditions"] = {
        **CACHES["default"],
        "KEY_PREFIX": f"{CACHES['default']['KEY_PREFIX']}-renditions",
        "TIMEOUT": env_int("RENDITION_CACHE_SECONDS", 7 * 24 * 60 * 60),
    }

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


def media_storage() -> dict:
    """The ``default`` storage: local disk under MEDIA_ROOT, or an S3-compatible bucket when
    MEDIA_S3_BUCKET is set (docs/operations.md, "Media storage").

    With a bucket, every file URL is MEDIA_BASE_URL + the object's key, so the API, pages,
    feeds and JSON-LD all name the public bucket or the CDN in front of it, never a signed,
    expiring URL. Objects get their own names (no overwrite), since two images may share a
    file name.
    """
    bucket = env_str("MEDIA_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    base_url = env_str("MEDIA_BASE_URL").rstrip("/")
    if not base_url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET needs MEDIA_BASE_URL: the public URL of the bucket (or of the CDN in "
            f"front of it) under which object keys are served, got {base_url!r}."
        )
    scheme, _, domain = base_url.partition("://")
    endpoint = env_str("MEDIA_S3_ENDPOINT_URL") or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            # Unset: boto3's own chain (instance role, AWS_* variables, ~/.aws).
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("MEDIA_S3_PREFIX").strip("/"),
            "custom_domain": domain,
            "url_protocol": f"{scheme}:",
            "querystring_auth": False,
            "file_overwrite": False,
            # Path-style requests work with every S3-compatible server; virtual-host style
            # needs DNS for each bucket name.
            "addressing_style": env_str("MEDIA_S3_ADDRESSING_STYLE", "path" if endpoint else "auto"),
            "object_parameters": {
                "CacheControl": env_str("MEDIA_CACHE_CONTROL", "public, max-age=86400"),
            },
        },
    }


STORAGES = {
    "default": media_storage(),
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
# Above the largest body the API schema allows (every field at its maximum length, each character
# sent as a JSON escaped surrogate pair: about 43 KB for a comment), so a valid request is never
# refused for its size.
READERS_MAX_BODY_BYTES = env_int("READERS_MAX_BODY_BYTES", 64 * 1024)
# Retention (manage.py purge_personal_data, run daily): commenters' email and website are
# cleared after COMMENT_EMAIL_RETENTION_DAYS; rejected and spam comments are deleted after
# COMMENT_REJECTED_RETENTION_DAYS; consultation requests are deleted after
# CONSULTATION_RETENTION_DAYS.
COMMENT_EMAIL_RETENTION_DAYS = env_int("COMMENT_EMAIL_RETENTION_DAYS", 90)
COMMENT_REJECTED_RETENTION_DAYS = env_int("COMMENT_REJECTED_RETENTION_DAYS", 30)
CONSULTATION_RETENTION_DAYS = env_int("CONSULTATION_RETENTION_DAYS", 180)
# Comments nobody moderated within this many days are deleted (names and text not kept forever).
COMMENT_PENDING_RETENTION_DAYS = env_int("COMMENT_PENDING_RETENTION_DAYS", 60)

# Wagtail
WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Heal & Thrive Psychotherapy")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "txt", "xlsx"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
# Largest .docx the "Create article from a document" screen takes (under the admin's body limit).
DOCUMENT_IMPORT_MAX_BYTES = env_int("DOCUMENT_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# WordPress import screen (Settings › Import from WordPress; docs/wordpress-migration.md): the
# largest export it takes (its URL alone accepts a body that large, cms/security.py), the folder
# inside which it may read a backup's uploads (empty: images only through the command), and how
# long uploaded exports (which hold commenters' emails) and their reports are kept.
WORDPRESS_IMPORT_MAX_BYTES = env_int("WORDPRESS_IMPORT_MAX_BYTES", 50 * 1024 * 1024)
WORDPRESS_UPLOADS_ROOT = env_str("WORDPRESS_UPLOADS_ROOT", str(VAR_DIR / "wordpress-uploads"))
WORDPRESS_IMPORT_RETENTION_DAYS = env_int("WORDPRESS_IMPORT_RETENTION_DAYS", 7)
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "png", "heic": "jpeg"}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
TAGGIT_CASE_INSENSITIVE = True
# Clinical review (blog.models.review, docs/clinical-review.md): an approved workflow publishes
# an article only with a clinical approval of its body.
WAGTAIL_FINISH_WORKFLOW_ACTION = "blog.workflow_actions.publish_approved"


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
# Succeeded and failed deliveries are deleted after this many days (prune_publishing_records).
WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30)
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
# The response cache of the API and the rendered pages (api/response_cache.py,
# docs/caching.md). The Cache-Control a CDN follows for the API is set in api/http.py.
RESPONSE_CACHE_ENABLED = env_bool("RESPONSE_CACHE_ENABLED", True)
RESPONSE_CACHE_ALIAS = "default"
RESPONSE_CACHE_KEY_PREFIX = "rc:v1"
# Listing pages beyond this are answered, never stored (an unbounded number of URLs).
RESPONSE_CACHE_MAX_PAGE = env_int("RESPONSE_CACHE_MAX_PAGE", 10)
# The longest an entry lives when nothing falls due (seconds).
RESPONSE_CACHE_MAX_AGE = env_int("RESPONSE_CACHE_MAX_AGE", 60 * 60 * 24)
# Production sets this: the system check api.E001 then refuses a per-process response cache.
RESPONSE_CACHE_REQUIRE_SHARED = False
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
# Admin sign-in lockout (staffauth.lockout, django-axes; docs/security.md "Admin sign-in
# lockout"): failures allowed per username and client, and per client over any usernames,
# within the window; a locked client waits until the window has passed since its last failure.
ADMIN_LOGIN_MAX_FAILURES = env_int("ADMIN_LOGIN_MAX_FAILURES", 5)
ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT = env_int("ADMIN_LOGIN_MAX_FAILURES_PER_CLIENT", 20)
ADMIN_LOGIN_WINDOW_SECONDS = env_int("ADMIN_LOGIN_WINDOW_SECONDS", 15 * 60)
AXES_HANDLER = "staffauth.lockout.AdminSignInHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_FAILURE_LIMIT = ADMIN_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(seconds=ADMIN_LOGIN_WINDOW_SECONDS)
# Attempts made while locked out are refused without being counted, so a lockout ends when the
# window has passed since the last counted failure, whatever the client does meanwhile.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "staffauth.lockout.axes_client_ip"
AXES_USERNAME_CALLABLE = "staffauth.lockout.axes_username"
AXES_LOCKOUT_CALLABLE = "staffauth.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# No table of every successful sign-in with its address (personal data kept without end), and
# no usernames or addresses in axes' log lines.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address"]
# Two-factor sign-in (staffauth, docs/security.md "Two-factor sign-in"): "never", "sensitive"
# (superusers and staff who can read consultation requests or manage webhook endpoints must
# use an authenticator app) or "all" (every admin user). Staff with a device are asked for
# its code whatever this says. dev.py and test.py say "never"; production.py checks it.
STAFF_2FA_REQUIRED = env_choice("STAFF_2FA_REQUIRED", ("never", "sensitive", "all"), "sensitive")
STAFF_2FA_SENSITIVE_PERMISSIONS = [
    "readers.view_consultationrequest",
    "publishing.add_webhookendpoint",
    "publishing.change_webhookendpoint",
    "publishing.delete_webhookendpoint",
]
# The issuer shown beside the account in authenticator apps.
OTP_TOTP_ISSUER = env_str("STAFF_2FA_ISSUER", "Practice CMS")


def passkey_relying_party(cms_url: str) -> tuple[str, list[str]]:
    """Passkeys' relying party: its id (the domain a passkey is bound to, ``STAFF_PASSKEY_RP_ID``)
    and the origins whose pages may use one (``STAFF_PASSKEY_ORIGINS``, comma-separated).

    By default both come from the CMS's own URL when it has a host name that browsers allow
    WebAuthn on (https, or localhost). A bare IP address can never be a relying party, so a CMS
    URL like the development default http://127.0.0.1:8000 gives localhost on the same port:
    passkeys then work at http://localhost:8000 and the pages at 127.0.0.1 offer codes only.
    """
    url = urlsplit(cms_url)
    scheme, host = url.scheme or "http", (url.hostname or "").lower()
    port = f":{url.port}" if url.port else ""
    try:
        ipaddress.ip_address(host)
        is_ip = True
    except ValueError:
        is_ip = False
    local = host == "localhost" or host.endswith(".localhost")
    if host and not is_ip and (scheme == "https" or local):
        rp_id, origin = host, f"{scheme}://{host}{port}"
    else:
        rp_id, origin = "localhost", f"http://localhost{port}"
    return (env_str("STAFF_PASSKEY_RP_ID") or rp_id).lower(), env_list("STAFF_PASSKEY_ORIGINS") or [origin]


# Passkeys (django-otp-webauthn; docs/security.md "Passkeys"): a second factor after the
# password, never a sign-in without one (that would skip the password and its lockout).
# production.py and test.py derive the relying party again from their own CMS URL.
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkey_relying_party(WAGTAILADMIN_BASE_URL)
OTP_WEBAUTHN_RP_NAME = OTP_TOTP_ISSUER
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Names each new passkey ("Passkey added 4 Dec 2026") until its owner renames it.
OTP_WEBAUTHN_HELPER_CLASS = "staffauth.passkeys.PasskeyHelper"
# Where the passkey check sends a user when the page gave no safe "next" address.
LOGIN_REDIRECT_URL = "wagtailadmin_home"
# Admin password reset (staffauth.forms): requests per client address and per email address
# ("N/SECONDS"), counted in the throttle cache; past either limit no email is sent and the page
# says the same as always.
PASSWORD_RESET_THROTTLE_RATE = env_str("PASSWORD_RESET_THROTTLE_RATE", "5/3600")
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "staffauth.forms.ThrottledPasswordResetForm"  # noqa: S105
# Sessions are staff's only (readers never sign in): a working day, not Django's two weeks, and
# they end with the browser.
SESSION_COOKIE_AGE = env_int("STAFF_SESSION_HOURS", 8) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
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
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.slug_path_parameters",
        "api.schema.conditional_rules",
    ],
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
    # Topic counts stored again once their day is over (blog/topic_counts.py); a change to
    # public output stores them at once.
    {"name": "count_topics", "command": "count_topics", "every_seconds": 60 * 60},
    # Clinical reviews due or falling due within a month, mailed to the Clinicians group.
    {"name": "review_digest", "command": "send_review_digest", "every_seconds": 7 * 24 * 60 * 60},
    # Retention of readers' personal data (COMMENT_*_RETENTION_DAYS, CONSULTATION_RETENTION_DAYS).
    {"name": "purge_personal_data", "command": "purge_personal_data", "every_seconds": 24 * 60 * 60},
    # Uploaded WordPress exports and their runs (WORDPRESS_IMPORT_RETENTION_DAYS): personal data.
    {
        "name": "prune_wordpress_imports",
        "command": "prune_wordpress_imports",
        "every_seconds": 24 * 60 * 60,
    },
    # Expired preview snapshots and old finished webhook deliveries.
    {
        "name": "prune_publishing_records",
        "command": "prune_publishing_records",
        "every_seconds": 24 * 60 * 60,
    },
    # Every link on the live site, for Reports › Broken links (queued for the task worker).
    {"name": "check_links", "command": "check_links", "every_seconds": 86400},
]
# The image library's form: the description is the alt text, and it is required (blog/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "blog.forms.ImageForm"
# The admin asks no other host for anything: no Gravatar avatars (the CSP blocked them, and a
# staff member's email hash would leave the site), no release check against wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Health endpoints (ops/health.py, docs/operations.md "Health"): readiness fails when the
# oldest task waiting for `manage.py db_worker` has waited longer than this, or when the
# scheduler last started a job longer ago than this (0 turns either check off).
HEALTH_TASK_MAX_WAIT_SECONDS = env_int("HEALTH_TASK_MAX_WAIT_SECONDS", 300)
HEALTH_SCHEDULER_MAX_AGE_SECONDS = env_int("HEALTH_SCHEDULER_MAX_AGE_SECONDS", 600)

# Error reporting (ops/sentry.py): off unless SENTRY_DSN is set; never with personal data.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from ops.sentry import init_sentry

    try:
        _traces_rate = float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0"))
    except ValueError as exc:
        raise ImproperlyConfigured("SENTRY_TRACES_SAMPLE_RATE must be a number from 0 to 1.") from exc
    init_sentry(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT"),
        release=env_str("SENTRY_RELEASE"),
        traces_sample_rate=_traces_rate,
    )
