"""Test settings: fast hashing, in-memory email, tasks run inline.

The database is SQLite unless DATABASE_URL points elsewhere (CI's PostgreSQL pass).
"""

from .base import *  # noqa: F403
from .base import REDIS_URL, STATIC_ROOT, VAR_DIR, env_bool, env_str, passkey_relying_party

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
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkey_relying_party(WAGTAILADMIN_BASE_URL)

# Tests assert behaviour, not log lines: Wagtail and django_tasks log every save and task at
# INFO, which buried test output. Only warnings and errors are shown (caplog.at_level still
# captures INFO where a test needs it).
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
# One process: a per-process cache, emptied between tests (tests.conftest.clear_cache).
# App processes a test starts (tests/api/test_two_workers.py) share files instead
# (TEST_SHARED_CACHE_DIR), as the embedded default's processes do.
if not REDIS_URL:
    CACHES = {  # noqa: F405
        **CACHES,  # noqa: F405
        "default": (
            {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": shared}
            if (shared := env_str("TEST_SHARED_CACHE_DIR"))
            else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        ),
    }
# The response cache outlives a test's database, so it is off by default; the
# ``response_cache`` fixture turns it on per test under a fresh key prefix (app processes a
# test starts get it from the environment).
RESPONSE_CACHE_ENABLED = env_bool("RESPONSE_CACHE_ENABLED", False)
# Webhook retries back off for seconds in real life; tests need none.
WEBHOOK_RETRY_BASE_SECONDS = 0
# The tests' webhook receivers listen on 127.0.0.1 over http; tests of the destination rules turn
# these back to production's values.
OUTBOUND_HTTPS_ONLY = False
OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
# Development setting: the suites sign staff in with a password alone (the e2e suite through the
# login form). tests/staffauth turn two-factor sign-in on per test, as production has it.
STAFF_2FA_REQUIRED = "never"
# Publishing in a test does not check its links (no network); tests/publishing/test_links.py
# turns it on, with a local website on 127.0.0.1.
LINK_CHECK_ON_PUBLISH = False

# Tests never run collectstatic, and WhiteNoise warns on every handler set-up when STATIC_ROOT
# is missing; an empty folder keeps that warning out of the output.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# Against a real Redis (CI's second pass sets REDIS_URL), this run's keys get a prefix of
# their own: tests empty the cache with ``tests.conftest.clear_cache`` (a pattern delete under
# that prefix), never with a FLUSHDB of a database other processes may share. App processes
# a test starts inherit the prefix through the environment.
if REDIS_URL:
    import os
    import uuid

    _run = os.environ.setdefault("TEST_CACHE_KEY_PREFIX", f"test-{uuid.uuid4().hex[:12]}")
    CACHES = {
        alias: {**config, "KEY_PREFIX": f"{_run}-{config.get('KEY_PREFIX', alias)}"}
        for alias, config in CACHES.items()  # noqa: F405
    }
