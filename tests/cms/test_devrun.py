"""`make run` (``python -m cms.devrun``): server, worker and scheduler start, the last lines
printed are the site, the admin and the login, and stopping it stops all three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cms.test_concurrent_writes import free_port

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="starts the embedded default (its processes ignore DATABASE_URL): the SQLite pass runs it",
)


def test_make_run_ends_with_the_urls_and_the_login_and_stops_everything_on_sigterm(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        VAR_DIR=str(tmp_path / "var"),
        PUBLIC_BASE_URL=base,
        WAGTAILADMIN_BASE_URL=base,
        ADMIN_USERNAME="admin",
        ADMIN_PASSWORD="a-long-test-password",  # noqa: S106
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cms.devrun", "--port", str(port), "--noreload"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.extend(line.rstrip("\n") for line in process.stdout), daemon=True
    )
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any(line.startswith("Login:") for line in lines):
            assert process.poll() is None, "\n".join(lines)
            assert time.monotonic() < deadline, "\n".join(lines)
            time.sleep(0.2)
        time.sleep(3)  # anything printed late would land after the login

        assert lines[-3:] == [
            f"Site:   {base}/",
            f"Admin:  {base}/admin/",
            "Login:  admin / a-long-test-password",
        ], "\n".join(lines)
        output = "\n".join(lines)
        assert "scheduler | Scheduler running: publish_scheduled every 60 s" in output
        assert f"web       | Starting development server at {base}/" in output
        # The worker and the scheduler are quiet: warnings and errors only.
        assert [line for line in lines if line.startswith("worker") and " INFO " in line] == []
        assert "Traceback" not in output
    finally:
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=30)
        reader.join(timeout=5)
    assert status == 0
    assert processes_with(f"VAR_DIR={tmp_path / 'var'}") == []


def processes_with(marker: str) -> list[int]:
    """Ids of the processes whose environment contains ``marker`` (Linux's /proc)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue  # gone meanwhile, or not ours to read
    return found
