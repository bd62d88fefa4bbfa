"""Per-client throttling of readers' submissions, counted in the ``throttle`` cache alias.

That alias is never the response cache (whose entries would evict the counters): a table in
the database by default, or a Redis of its own (``THROTTLE_REDIS_URL``). Either way every app
process counts in the same place, so the limit holds across processes and hosts. Each client
is a keyed hash of its IP address (HMAC with the secret key), kept only for the length of the
window; no IP is ever written to the database or the logs.

When the shared cache is unreachable we do not refuse submissions (a person asking for help
must not be turned away because a cache is down) and we do not let them through unlimited
either: each process falls back to its own in-memory counter with the same limit, so the
effective limit becomes "limit × number of processes" until Redis is back. The outage is
logged (without any client data) and the shared cache is retried after a short pause.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from cms.security import client_ip

logger = logging.getLogger(__name__)

# How long to skip the shared cache after it failed, so an outage costs one socket timeout
# per pause rather than one per request.
SHARED_CACHE_RETRY_SECONDS = 30
# Cache keys: KEY_PREFIX:scope:client:window (tests swap the prefix for isolation).
KEY_PREFIX = "readers:throttle"

_fallback = LocMemCache("readers-throttle-fallback", {"MAX_ENTRIES": 10_000})
_fallback_lock = threading.Lock()
_shared_down_until = 0.0


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds

    @classmethod
    def parse(cls, value: str, *, setting: str = "rate") -> Rate:
        """``"5/600"`` → 5 submissions per 600 seconds."""
        try:
            limit, period = (int(part) for part in value.split("/"))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"{setting} must look like 'N/SECONDS' (e.g. '5/600'), got {value!r}."
            ) from exc
        if limit < 1 or period < 1:
            raise ImproperlyConfigured(f"{setting} needs a positive limit and period, got {value!r}.")
        return cls(limit, period)


RATE_SETTINGS = {
    "comment": "COMMENT_THROTTLE_RATE",
    "consultation": "CONSULTATION_THROTTLE_RATE",
    # Staff's admin password reset (staffauth.forms), per client and per email address.
    "password_reset": "PASSWORD_RESET_THROTTLE_RATE",
}


def rate_for(scope: str) -> Rate:
    setting = RATE_SETTINGS[scope]
    return Rate.parse(getattr(settings, setting), setting=setting)


@dataclass(frozen=True)
class ThrottleResult:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's IP (``cms.security.client_ip``: ``REMOTE_ADDR``, or the
    address the outermost of ``TRUSTED_PROXY_COUNT`` proxies saw): stable per client,
    meaningless without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"readers-client:{client_ip(request)}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


def hit(scope: str, client: str, *, now: float | None = None) -> ThrottleResult:
    """Count one submission of ``scope`` by ``client``; ``allowed`` is False past the limit.

    Fixed windows: simple, one atomic ``INCR`` per submission, and a client's burst at a
    window edge is at most twice the limit.
    """
    global _shared_down_until
    rate = rate_for(scope)
    now = now if now is not None else time.time()
    window = int(now // rate.period)
    retry_after = max(1, int(rate.period - (now % rate.period)))
    key = f"{KEY_PREFIX}:{scope}:{client}:{window}"

    count = None
    if now >= _shared_down_until:
        count = _incr(caches[settings.THROTTLE_CACHE_ALIAS], key, rate.period)
        if count is None:
            _shared_down_until = now + SHARED_CACHE_RETRY_SECONDS
            logger.warning(
                "Shared cache unavailable: throttling %s submissions per process for the next %ss.",
                scope,
                SHARED_CACHE_RETRY_SECONDS,
            )
    if count is None:
        with _fallback_lock:
            count = _incr(_fallback, key, rate.period) or 1
    return ThrottleResult(allowed=count <= rate.limit, retry_after=retry_after)


def _incr(backend, key: str, period: int) -> int | None:
    """Atomically add one to ``key`` (created for ``period`` seconds); None if the backend is down."""
    try:
        backend.add(key, 0, timeout=period + 5)
        return backend.incr(key)
    except ValueError:
        # The key expired or was evicted between add and incr: start the window again.
        backend.set(key, 1, timeout=period + 5)
        return 1
    except Exception:  # a cache backend that raises instead of ignoring its errors
        logger.warning("Throttle cache error (%s).", type(backend).__name__)
        return None


def reset_fallback() -> None:
    """Forget the in-process fallback counters and the outage pause (tests)."""
    global _shared_down_until
    _shared_down_until = 0.0
    _fallback.clear()
