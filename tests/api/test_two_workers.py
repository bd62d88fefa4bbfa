"""After a publish commits, the very next request to any worker serves the change.

A real gunicorn with two workers serves the API and the pages with the response cache on,
sharing Redis (``REDIS_URL``, CI's second pass) or, without it, a file cache as the embedded
default's processes do. The publish happens in a third process, as ``publish_scheduled``
run by cron does. Nothing may wait for a timeout: every request after the publishing process
exits, to either worker, shows the new title."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REPO = Path(settings.BASE_DIR)
REQUESTS = 24  # sequential requests: the kernel spreads them over both workers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _port() -> int:
    if os.environ.get("TEST_SERVER_PORT"):
        return int(os.environ["TEST_SERVER_PORT"])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url(tmp_path: Path) -> str:
    """Where the app processes find this test's (committed) content."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": "localhost"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited: {process.stderr.read().decode()[-2000:]}")
        try:
            _get(port, "/api/v1/site/")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start in time")


def test_after_a_publish_commits_every_worker_serves_the_change_at_once(tmp_path, make_article, practice):
    article = make_article("Chronic stress", topics=["Stress"])
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": _database_url(tmp_path),
        "RESPONSE_CACHE_ENABLED": "true",
        "ALLOWED_HOSTS": "localhost",
    }
    if not settings.REDIS_URL:
        env["TEST_SHARED_CACHE_DIR"] = str(tmp_path / "cache")
    port = _port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "cms.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "2", "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    paths = [f"/api/v1/articles/{article.slug}/", "/api/v1/articles/", f"/blog/{article.slug}/"]
    try:
        _wait_until_serving(port, server)
        before = [_get(port, path) for _ in range(REQUESTS) for path in paths]
        assert all(status == 200 and b"Chronic stress" in body for status, _, body in before)
        assert any(headers.get("X-Cache") == "HIT" for _, headers, _ in before), "the cache answered nothing"

        script = (
            "from blog.models import ArticlePage; "
            f"page = ArticlePage.objects.get(pk={article.pk}); "
            "page.title = 'Chronic stress, explained'; "
            "page.save_revision().publish()"
        )
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True, timeout=120
        )

        after = [(path, *_get(port, path)) for _ in range(REQUESTS) for path in paths]
        stale = [
            (path, headers.get("X-Cache")) for path, _, headers, body in after if b"explained" not in body
        ]
        assert stale == []
        detail = json.loads(after[0][3])
        assert detail["title"] == "Chronic stress, explained"
        # And the change is cached again.
        assert _get(port, paths[0])[1].get("X-Cache") == "HIT"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
