"""Production: PostgreSQL, Redis, several processes behind a load balancer.

Fails closed: refuses to start without a secret key and allowed hosts.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    REDIS_URL,
    SECRET_KEY,
    STORAGES,
    env_bool,
    env_int,
    env_str,
    passkey_relying_party,
    tasks_setting,
)

DEBUG = False

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must list the host names this CMS answers to (no wildcard '*')."
    )

# The CMS's own address (admin links, password-reset emails), not the public frontend's.
_cms_url = env_str("WAGTAILADMIN_BASE_URL") or f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
WAGTAILADMIN_BASE_URL = _cms_url.rstrip("/")
MEDIA_BASE_URL = (env_str("MEDIA_BASE_URL") or WAGTAILADMIN_BASE_URL).rstrip("/")
# Passkeys are bound to the CMS's own host name (STAFF_PASSKEY_RP_ID, STAFF_PASSKEY_ORIGINS).
OTP_WEBAUTHN_RP_ID, OTP_WEBAUTHN_ALLOWED_ORIGINS = passkey_relying_party(WAGTAILADMIN_BASE_URL)

STORAGES = {
    # Local disk, or the S3-compatible bucket when MEDIA_S3_BUCKET is set (base.media_storage).
    "default": STORAGES["default"],
    # Compressed (gzip/brotli) copies and content-hashed names, cached forever by browsers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Background tasks (webhooks, CDN purges, index updates) survive restarts in the database;
# run `manage.py db_worker` beside the web processes (docs/operations.md).
TASKS = tasks_setting("database")
# The load balancer appends the client's address to X-Forwarded-For (see cms.security.client_ip);
# set 0 when clients connect directly, 2 with a CDN in front of the load balancer.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)

# Several processes: a response cache must be shared by all of them (Redis). Without REDIS_URL
# the response cache is off (every request answered from the database), and turning it on
# with a per-process cache fails the system check api.E001 (docs/operations.md).
RESPONSE_CACHE_ENABLED = env_bool("RESPONSE_CACHE_ENABLED", bool(REDIS_URL))
RESPONSE_CACHE_REQUIRE_SHARED = True
# Outbound requests (webhooks, link checks) only over https, whatever the environment says.
OUTBOUND_HTTPS_ONLY = True
