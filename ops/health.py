"""Liveness and readiness for load balancers and monitoring (docs/operations.md, "Health").

``/health/live/`` says the process answers; it touches nothing else. ``/health/ready/`` runs
every check below and answers 503 naming the failing ones when any fails:

- ``database``: one query;
- ``cache``: a write and read back of the default cache (Redis in production);
- ``storage``: the media storage answers an existence query (the bucket is reachable);
- ``tasks``: the oldest task waiting for the worker waits less than
  ``HEALTH_TASK_MAX_WAIT_SECONDS`` (a stopped or stuck ``db_worker``);
- ``scheduler``: ``publishing.ScheduledJobRun``'s latest start is less than
  ``HEALTH_SCHEDULER_MAX_AGE_SECONDS`` ago (a stopped ``run_scheduler``).

The middleware answers before host validation, the HTTPS redirect and every cache: a load
balancer probes each process by its address, over plain HTTP, and must see that process's
own state. The body names checks and ages only, nothing about content or people.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Case, F, Max, Min, When
from django.db.models.functions import Greatest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from publishing.models import ScheduledJobRun

LIVE_PATH = "/health/live/"
READY_PATH = "/health/ready/"
# Wagtail's database backend of django-tasks stores tasks for `manage.py db_worker`.
DATABASE_TASKS_BACKEND = "django_tasks_db.DatabaseBackend"
# What the storage check asks about: a key no upload can have (uploads go under images/,
# original_images/ and documents/), so the answer is always "no" from a healthy storage.
STORAGE_PROBE_NAME = "health/probe-never-written"

logger = logging.getLogger(__name__)


@dataclass
class Check:
    """One check's result as the readiness body shows it."""

    ok: bool
    detail: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"ok": self.ok, **self.detail}


def check_database() -> Check:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return Check(True)


def check_cache() -> Check:
    # The production cache ignores Redis errors (reads miss, writes drop), so only a value
    # read back proves it answers.
    cache = caches["default"]
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return Check(ok, {} if ok else {"error": "a value written to the cache was not read back"})


def check_storage() -> Check:
    default_storage.exists(STORAGE_PROBE_NAME)
    return Check(True)


def _age_seconds(since: datetime | None, now: datetime) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def check_tasks(now: datetime) -> Check:
    """The age of the oldest task the worker could run now and has not started."""
    limit = settings.HEALTH_TASK_MAX_WAIT_SECONDS
    if settings.TASKS["default"]["BACKEND"] != DATABASE_TASKS_BACKEND:
        # Tasks run inline (tests, TASKS_BACKEND=immediate): nothing can wait.
        return Check(True, {"oldest_waiting_seconds": None, "max_seconds": limit})
    from django_tasks_db.models import DBTaskResult

    # Among ready tasks, one whose run_after has passed waits from then or from its
    # enqueueing, whichever is later (a retry backing off is not late before it is due); the
    # others have no run_after (stored as a far-future date) and wait from their enqueueing.
    waiting_since = Case(
        When(run_after__lte=now, then=Greatest(F("enqueued_at"), F("run_after"))),
        default=F("enqueued_at"),
    )
    oldest = DBTaskResult.objects.ready().aggregate(oldest=Min(waiting_since))["oldest"]
    age = _age_seconds(oldest, now)
    ok = age is None or not limit or age <= limit
    detail = {"oldest_waiting_seconds": age, "max_seconds": limit}
    if not ok:
        detail["error"] = "background tasks have waited longer than allowed: is the worker running?"
    return Check(ok, detail)


def check_scheduler(now: datetime) -> Check:
    """When the scheduler last started a job (``publishing.ScheduledJobRun``)."""
    limit = settings.HEALTH_SCHEDULER_MAX_AGE_SECONDS
    latest = ScheduledJobRun.objects.aggregate(latest=Max("last_started_at"))["latest"]
    age = _age_seconds(latest, now)
    # Nothing scheduled, nothing to wait for.
    expected = bool(limit) and bool(settings.SCHEDULED_COMMANDS)
    stalled = expected and (age is None or age > limit)
    detail = {
        "last_run_at": latest.isoformat() if latest else None,
        "age_seconds": age,
        "max_seconds": limit,
    }
    if stalled:
        detail["error"] = (
            "the scheduler has never run" if latest is None else "the scheduler has not run for too long"
        )
    return Check(not stalled, detail)


CHECKS: dict[str, Callable[[datetime], Check]] = {
    "database": lambda now: check_database(),
    "cache": lambda now: check_cache(),
    "storage": lambda now: check_storage(),
    "tasks": check_tasks,
    "scheduler": check_scheduler,
}


def run_checks() -> dict[str, Check]:
    """Every readiness check; one that raises fails with the exception's class name (its
    message may name hosts or credentials, so it goes to the log, not the body)."""
    now = timezone.now()
    results = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            result = check(now)
        except Exception as exc:
            logger.warning("Readiness check %s failed", name, exc_info=True)
            result = Check(False, {"error": type(exc).__name__})
        result.detail["ms"] = round((time.monotonic() - started) * 1000, 1)
        results[name] = result
    return results


def readiness_response() -> JsonResponse:
    results = run_checks()
    failing = [name for name, result in results.items() if not result.ok]
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "checks": {name: result.as_json() for name, result in results.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)


class HealthCheckMiddleware:
    """Answers the two health paths itself, before anything that could redirect, refuse the
    load balancer's Host header, or answer from a cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in (LIVE_PATH, READY_PATH):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"status": "fail", "error": "GET or HEAD only"}, status=405)
            response["Allow"] = "GET, HEAD"
        elif request.path == LIVE_PATH:
            response = JsonResponse({"status": "ok"})
        else:
            response = readiness_response()
        response["Cache-Control"] = "no-store"
        return response
