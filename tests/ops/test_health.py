"""Liveness and readiness (ops/health.py): what a load balancer and monitoring see."""

from datetime import UTC, timedelta

import pytest
from botocore.config import Config
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from publishing.models import ScheduledJobRun
from tests.conftest import closed_port, unreachable_cache

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def scheduler_ran(db):
    """The scheduler started its job 30 seconds ago."""
    return ScheduledJobRun.objects.create(
        name="publish_scheduled",
        last_started_at=timezone.now() - timedelta(seconds=30),
        last_finished_at=timezone.now() - timedelta(seconds=29),
        last_succeeded=True,
    )


@task()
def record_visit(label: str) -> str:
    """A task for the worker to run in these tests."""
    return f"visited {label}"


def without_timings(body: dict) -> dict:
    """The readiness body without each check's duration (``ms``), which varies per run."""
    return {
        **body,
        "checks": {
            name: {k: v for k, v in check.items() if k != "ms"} for name, check in body["checks"].items()
        },
    }


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_a_load_balancer_probing_by_address_over_http_is_answered_not_refused(
    client, settings, scheduler_ran
):
    # Production redirects plain HTTP to HTTPS, and the probe's Host is the process's address,
    # which ALLOWED_HOSTS does not list.
    settings.SECURE_SSL_REDIRECT = True
    live = client.get("/health/live/", HTTP_HOST="10.0.3.7:8000")
    ready = client.get("/health/ready/", HTTP_HOST="10.0.3.7:8000")

    assert (live.status_code, ready.status_code) == (200, 200)
    assert ready.json()["status"] == "ok"
    assert client.get("/api/v1/site/", HTTP_HOST="10.0.3.7:8000").status_code == 400
    assert client.get("/api/v1/site/", HTTP_HOST="testserver").status_code == 301


def test_readiness_reports_every_check_when_all_pass(
    client, settings, scheduler_ran, django_assert_num_queries
):
    settings.TASKS = DATABASE_TASKS

    # SELECT 1, the oldest waiting task, the scheduler's last run.
    with django_assert_num_queries(3):
        response = client.get("/health/ready/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert all(isinstance(check["ms"], float) for check in body["checks"].values())
    expected_scheduler = {
        "ok": True,
        "last_run_at": scheduler_ran.last_started_at.astimezone(UTC).isoformat(),
        "age_seconds": 30,
        "max_seconds": 600,
    }
    assert without_timings(body) == {
        "status": "ok",
        "failing": [],
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "storage": {"ok": True},
            "tasks": {"ok": True, "oldest_waiting_seconds": None, "max_seconds": 300},
            "scheduler": expected_scheduler,
        },
    }


# The worker claims tasks in its own transactions (BEGIN EXCLUSIVE on SQLite).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readiness_fails_while_the_worker_is_stopped_and_recovers_when_it_runs(
    client, settings, scheduler_ran
):
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 60
    result = record_visit.enqueue("home")
    # No worker has run for 90 seconds since the task was queued.
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(seconds=90))

    stalled = client.get("/health/ready/")

    assert stalled.status_code == 503
    body = stalled.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["tasks"]
    tasks = body["checks"]["tasks"]
    assert 90 <= tasks["oldest_waiting_seconds"] < 100
    assert tasks["max_seconds"] == 60
    assert tasks["ok"] is False
    assert tasks["error"] == "background tasks have waited longer than allowed: is the worker running?"

    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.get(pk=result.id).return_value == "visited home"
    recovered = client.get("/health/ready/")
    assert recovered.status_code == 200
    assert recovered.json()["checks"]["tasks"]["oldest_waiting_seconds"] is None


def test_a_task_queued_moments_ago_or_not_yet_due_is_not_a_stall(client, settings, scheduler_ran):
    settings.TASKS = DATABASE_TASKS
    settings.HEALTH_TASK_MAX_WAIT_SECONDS = 60
    fresh = record_visit.enqueue("fresh")
    DBTaskResult.objects.filter(pk=fresh.id).update(enqueued_at=timezone.now() - timedelta(seconds=5))
    # A retry queued long ago to run in an hour is not waiting yet.
    later = record_visit.using(run_after=timezone.now() + timedelta(hours=1)).enqueue("later")
    DBTaskResult.objects.filter(pk=later.id).update(enqueued_at=timezone.now() - timedelta(hours=2))

    response = client.get("/health/ready/")

    assert response.status_code == 200
    assert 5 <= response.json()["checks"]["tasks"]["oldest_waiting_seconds"] < 15


def test_readiness_fails_naming_the_cache_when_redis_is_unreachable(client, settings, scheduler_ran):
    unreachable_cache(settings, "default")

    response = client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["cache"]
    assert without_timings(body)["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


def test_readiness_fails_naming_the_storage_without_its_error_message(client, settings, scheduler_ran):
    # An S3 bucket on a port nothing listens on: the check fails, and the body names only the
    # exception's class (its message would name the endpoint).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
                "access_key": "testing",
                "secret_key": "testing",
                "region_name": "us-east-1",
                "client_config": Config(connect_timeout=0.5, retries={"total_max_attempts": 1}),
            },
        },
    }

    response = client.get("/health/ready/")

    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["storage"]["error"] == "EndpointConnectionError"
    assert "127.0.0.1" not in response.content.decode()


def test_health_endpoints_refuse_writes(client):
    response = client.post("/health/ready/")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"status": "fail", "error": "GET or HEAD only"}


def test_readiness_fails_when_the_scheduler_has_stopped_and_recovers_when_it_runs(client, settings):
    settings.HEALTH_SCHEDULER_MAX_AGE_SECONDS = 300
    stopped_at = timezone.now() - timedelta(minutes=20)
    ScheduledJobRun.objects.create(
        name="publish_scheduled", last_started_at=stopped_at, last_finished_at=stopped_at, last_succeeded=True
    )

    stalled = client.get("/health/ready/")

    assert stalled.status_code == 503
    body = stalled.json()
    assert body["failing"] == ["scheduler"]
    scheduler = without_timings(body)["checks"]["scheduler"]
    assert 1200 <= scheduler.pop("age_seconds") < 1210
    assert scheduler == {
        "ok": False,
        "last_run_at": stopped_at.astimezone(UTC).isoformat(),
        "max_seconds": 300,
        "error": "the scheduler has not run for too long",
    }

    call_command("run_scheduler", "--once")

    assert client.get("/health/ready/").status_code == 200


def test_readiness_fails_when_the_scheduler_never_ran(client):
    response = client.get("/health/ready/")

    assert response.status_code == 503
    assert response.json()["failing"] == ["scheduler"]
    assert without_timings(response.json())["checks"]["scheduler"] == {
        "ok": False,
        "last_run_at": None,
        "age_seconds": None,
        "max_seconds": 600,
        "error": "the scheduler has never run",
    }


def test_with_nothing_scheduled_there_is_no_scheduler_to_wait_for(client, settings):
    settings.SCHEDULED_COMMANDS = []

    assert client.get("/health/ready/").json()["checks"]["scheduler"]["ok"] is True
