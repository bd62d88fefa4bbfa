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
# The shared API response cache outlives a test's database (locmem per process, Redis across
# runs), so it is off by default; tests/publishing/test_caching.py turns it on per test with a
# fresh key prefix.
API_CACHE_ENABLED = False
# The same for the rendered pages' cache (blog.page_cache); tests/site/test_page_cache.py turns it on.
PAGE_CACHE_ENABLED = False
# Webhook retries back off for seconds in real life; tests need none.
WEBHOOK_RETRY_BASE_SECONDS = 0
# The tests' webhook receivers listen on 127.0.0.1 over http; tests of the destination rules turn
# these back to production's values.
OUTBOUND_HTTPS_ONLY = False
OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8", "::1/128"]
# Publishing in a test does not check its links (no network); tests/publishing/test_links.py
# turns it on, with a local website on 127.0.0.1.
LINK_CHECK_ON_PUBLISH = False

# Tests never run collectstatic, and WhiteNoise warns on every handler set-up when STATIC_ROOT
# is missing; an empty folder keeps that warning out of the output.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
