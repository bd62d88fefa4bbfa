"""Benchmark settings: production settings, plus what only the benchmark may have.

- Wagtail's API v2 under /bench-v2/ (``bench.urls``), the comparison baseline. It is never
  mounted by the project's own settings or URLs.
- A middleware counting SQL queries per request into an ``X-Bench-Queries`` header.
- Its own database: SQLite under var/bench/ (one file per N), or DATABASE_URL when given.
- ``BENCH_CACHE``: ``off`` (cold: every cache is a dummy), ``redis`` (warm, as in production:
  REDIS_URL) or ``locmem`` (warm, per process; only when no Redis is at hand).

Served over plain HTTP on 127.0.0.1, so the HTTPS redirect is off; everything else (DEBUG off,
WhiteNoise with compressed manifest storage, GZip, security middleware) is production's.
"""

import os
import secrets

# Production refuses to start without these; the bench provides its own before importing it.
# The runner passes one key to every worker; a process started by hand gets a random one.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from cms.settings.production import *  # noqa: E402, F403
from cms.settings.production import (  # noqa: E402
    CACHES,
    INSTALLED_APPS,
    MIDDLEWARE,
    VAR_DIR,
    env_int,
    env_str,
    sqlite_tuned,
)

BENCH_DIR = VAR_DIR / "bench"
BENCH_DIR.mkdir(parents=True, exist_ok=True)
BENCH_N = env_int("BENCH_N", 1000)
BENCH_CACHE = env_str("BENCH_CACHE", "off")

if not env_str("DATABASE_URL"):
    DATABASES = {
        "default": sqlite_tuned(
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": BENCH_DIR / f"db-{BENCH_N}.sqlite3",
                "CONN_MAX_AGE": 600,
                "CONN_HEALTH_CHECKS": True,
            }
        )
    }

MEDIA_ROOT = BENCH_DIR / f"media-{BENCH_N}"  # per N, like the database
STATIC_ROOT = BENCH_DIR / "static"
# The ceiling file (written by ``bench_ceiling``) is collected with the site's own static files.
STATICFILES_DIRS = [*STATICFILES_DIRS, BENCH_DIR / "ceiling"]  # noqa: F405
(BENCH_DIR / "ceiling").mkdir(exist_ok=True)

if BENCH_CACHE == "off":
    CACHES = {alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in CACHES}
    RESPONSE_CACHE_ENABLED = False  # api.response_cache: say it, rather than rely on the dummy backend
elif BENCH_CACHE == "locmem":
    CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"bench-{alias}"}
        for alias in CACHES
    }
    # Per process on purpose (no Redis at hand): the production check refuses it otherwise.
    SILENCED_SYSTEM_CHECKS = ["api.E001"]
elif BENCH_CACHE == "redis":
    if not env_str("REDIS_URL"):
        raise ImproperlyConfigured("BENCH_CACHE=redis needs REDIS_URL.")  # noqa: F405
else:
    raise ImproperlyConfigured("BENCH_CACHE must be off, redis or locmem.")  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "bench"]
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
ROOT_URLCONF = "bench.urls"
