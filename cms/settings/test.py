"""Test settings: fast hashing, in-memory email, tasks run inline.

The database is SQLite unless DATABASE_URL points elsewhere (CI's PostgreSQL pass).
"""

from .base import *  # noqa: F403
from .base import STATIC_ROOT, VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PUBLIC_BASE_URL = "https://www.example-practice.test"
WAGTAILADMIN_BASE_URL = "https://cms.example-practice.test"
CORS_ALLOWED_ORIGINS = ["https://frontend.example-practice.test"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STAFF_NOTIFICATION_EMAILS = ["team@example-practice.test"]
MEDIA_ROOT = VAR_DIR / "test-media"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
MEDIA_BASE_URL = "https://cms.example-practice.test"

# Tests assert behaviour, not log lines: Wagtail and django_tasks log every save and task at
# INFO, which buried test output. Only warnings and errors are shown (caplog.at_level still
# captures INFO where a test needs it).
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
# One process: a per-process cache, emptied between tests (tests.conftest.clear_cache).
if not REDIS_URL:  # noqa: F405
    CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# The response cache outlives a test's database, so it is off by default; the
# ``response_cache`` fixture turns it on per test under a fresh key prefix.
RESPONSE_CACHE_ENABLED = False
# Webhook retries back off for seconds in real life; tests need none.
WEBHOOK_RETRY_BASE_SECONDS = 0

# Tests never run collectstatic, and WhiteNoise warns on every handler set-up when STATIC_ROOT
# is missing; an empty folder keeps that warning out of the output.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Against a real Redis (CI's second pass sets REDIS_URL), this run's keys get a prefix of
# their own: tests empty the cache with ``tests.conftest.clear_cache`` (a pattern delete under
# that prefix), never with a FLUSHDB of a database other processes may share.
if REDIS_URL:  # noqa: F405
    import uuid

    CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}-{config.get('KEY_PREFIX', alias)}"}
        for alias, config in CACHES.items()  # noqa: F405
    }
