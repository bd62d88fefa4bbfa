"""The per-client throttle: shared across processes (the database table by default, Redis with
THROTTLE_REDIS_URL), and what happens when a shared Redis is down.

Client names are new in every run: counters outlive a test when they live in a real Redis."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from readers import throttle

pytestmark = pytest.mark.django_db

# The Redis of CI's second pass, if any: without it the two processes share the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
REPO = Path(settings.BASE_DIR)

# A Redis nobody listens on, as the throttles' cache: connections are refused at once.
DEAD_REDIS = {
    "BACKEND": "django_redis.cache.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/3",
    "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5},
}


def dead_throttle_cache(ignore_exceptions: bool = True) -> dict:
    return {
        **settings.CACHES,
        "throttle": {
            **DEAD_REDIS,
            "OPTIONS": {**DEAD_REDIS["OPTIONS"], "IGNORE_EXCEPTIONS": ignore_exceptions},
        },
    }


def new_client() -> str:
    return f"client-{uuid.uuid4().hex}"


@pytest.mark.parametrize(("value", "expected"), [("5/600", (5, 600)), ("1/1", (1, 1))])
def test_rates_are_parsed_from_settings(value, expected):
    rate = throttle.Rate.parse(value)
    assert (rate.limit, rate.period) == expected


@pytest.mark.parametrize("value", ["5", "five/600", "0/600", "5/0", "5/600/1"])
def test_a_malformed_rate_is_refused_at_start_up(value):
    with pytest.raises(ImproperlyConfigured):
        throttle.Rate.parse(value, setting="COMMENT_THROTTLE_RATE")


def test_a_new_window_starts_a_new_count():
    client = new_client()
    with override_settings(COMMENT_THROTTLE_RATE="1/60"):
        assert throttle.hit("comment", client, now=1000.0).allowed
        assert not throttle.hit("comment", client, now=1010.0).allowed
        assert throttle.hit("comment", client, now=1081.0).allowed


@pytest.mark.parametrize("ignore_exceptions", [True, False])
def test_with_the_shared_cache_down_the_limit_still_holds_per_process(log_records, ignore_exceptions):
    client = new_client()
    with override_settings(CACHES=dead_throttle_cache(ignore_exceptions), COMMENT_THROTTLE_RATE="2/600"):
        started = time.monotonic()
        results = [throttle.hit("comment", client).allowed for _ in range(4)]
        elapsed = time.monotonic() - started

    assert results == [True, True, False, False]
    warnings = [r.getMessage() for r in log_records if r.name == "readers.throttle"]
    assert (
        "Shared cache unavailable: throttling comment submissions per process for the next 30s." in warnings
    )
    # After the first failure the dead cache is skipped for a while: no timeout per request.
    assert elapsed < 3


def test_submissions_are_accepted_while_the_shared_cache_is_down(
    client, article, valid_comment, api_response_log
):
    api_response_log.emails.add(valid_comment["email"])
    with override_settings(CACHES=dead_throttle_cache()):
        response = client.post(
            f"/api/v1/articles/{article.slug}/comments/",
            json.dumps(valid_comment),
            content_type="application/json",
        )
    assert response.status_code == 202


# --- Two real app processes sharing one Redis ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _shared_database(path: Path) -> None:
    """A SQLite file both servers open: a copy of this test database (schema included)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
    else:  # CI's PostgreSQL pass: build the schema (slower, same result)
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "cms.settings.test",
                "DATABASE_URL": f"sqlite:///{path}",
            },
            check=True,
            timeout=300,
        )


def _wait_until_serving(port: int, process: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"The app process on port {port} exited: {process.stderr.read().decode()[-2000:]}"
            )
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/consultation-requests/", timeout=1)  # noqa: S310
        except urllib.error.HTTPError:
            return  # a 405 answer: it is serving
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"The app process on port {port} did not start in time.")


def _post(port: int, payload: dict) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310
        f"http://127.0.0.1:{port}/api/v1/consultation-requests/",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# No test transaction around it: the copy of the test database is taken while no write
# transaction holds the in-memory database's lock (an IMMEDIATE transaction would block the
# backup for ever).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_throttle_holds_across_two_app_processes(tmp_path, api_response_log):
    """Two gunicorn processes count in one place: the shared database's throttle table, or
    (with REDIS_URL set, CI's second pass) Redis as THROTTLE_REDIS_URL under a fresh prefix."""
    db_path = tmp_path / "shared.sqlite3"
    _shared_database(db_path)
    prefix = f"readers-test-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "THROTTLE_REDIS_URL"}},
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": f"sqlite:///{db_path}",
        "CONSULTATION_THROTTLE_RATE": "3/3600",
    }
    if REDIS_URL:
        env.update(THROTTLE_REDIS_URL=REDIS_URL, THROTTLE_KEY_PREFIX=prefix)
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cms.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 60
        for port, process in zip(ports, processes, strict=True):
            _wait_until_serving(port, process, deadline)

        payload = {"name": "Dana", "email": "dana.private@example.org", "consent": True}
        api_response_log.emails.add(payload["email"])
        answers = [_post(ports[i % 2], payload) for i in range(5)]  # alternate: A, B, A, B, A
        for i, (_, body) in enumerate(answers):
            api_response_log.bodies.append((f"process {i % 2}: /api/v1/consultation-requests/", body))

        # Limit 3 in total, not 3 per process: the counter is shared.
        assert [status for status, _ in answers] == [201, 201, 201, 429, 429]
        assert json.loads(answers[3][1])["error"]["code"] == "throttled"
        with sqlite3.connect(db_path) as db:
            assert db.execute("SELECT COUNT(*) FROM readers_consultationrequest").fetchone() == (3,)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if REDIS_URL:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(f"{prefix}:*"))
            if keys:
                client.delete(*keys)
