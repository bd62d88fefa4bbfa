"""The project served for the browser: a fresh SQLite database with the demo content, on
127.0.0.1, started and stopped by the test session.

It runs the real `manage.py` commands a developer runs (`migrate`, `load_demo_content`,
`ensure_admin`), then starts the project as `make run` does (``cms.devrun``): the dev server,
the task worker and the scheduler, side by side on one SQLite file, with the dev settings
(DEBUG makes WhiteNoise serve static files straight from the finders and Django serve
uploaded media, so the admin's JavaScript and the site's CSS load exactly as under `make run`).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from cms.devrun import Launcher

PROJECT_DIR = Path(__file__).resolve().parent.parent
E2E_VAR_DIR = PROJECT_DIR / "var" / "e2e"
ARTIFACTS_DIR = E2E_VAR_DIR / "artifacts"
# The brief reserves these ports for the end-to-end run, so it never meets `make run` (8000)
# or another engineer's benchmark server.
PORT_RANGE = range(8500, 8600)
STARTUP_TIMEOUT_S = 120
# The readers' HTML forms refuse a submission sent sooner than this after the form was shown
# (a bot's tell); pinned here so the tests know how long a person takes at least.
FORM_MIN_FILL_SECONDS = 3


def free_port(host: str = "127.0.0.1") -> int:
    """The first port of PORT_RANGE nothing listens on (E2E_PORT forces one)."""
    forced = os.environ.get("E2E_PORT")
    if forced:
        return int(forced)
    for port in PORT_RANGE:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((host, port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"No free port in {PORT_RANGE.start}-{PORT_RANGE.stop - 1} on {host}.")


@dataclass
class LiveProject:
    """One running copy of the project with its own database, media and admin user."""

    host: str = "127.0.0.1"
    port: int = 0
    site_dir: Path = E2E_VAR_DIR / "site"
    username: str = "e2e-editor"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    launcher: Launcher | None = None
    log_path: Path = E2E_VAR_DIR / "server.log"
    _log: TextIO | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def localhost_url(self) -> str:
        """This server by the host name localhost, where browsers allow passkeys."""
        return f"http://localhost:{self.port}"

    def env(self) -> dict[str, str]:
        """The server's environment: dev settings, everything written under site_dir, URLs
        pointing at this server, and no database or cache URL inherited from CI's
        PostgreSQL pass."""
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="cms.settings.dev",
            VAR_DIR=str(self.site_dir),
            PUBLIC_BASE_URL=self.base_url,
            WAGTAILADMIN_BASE_URL=self.base_url,
            MEDIA_BASE_URL=self.base_url,
            ALLOWED_HOSTS=f"{self.host},localhost",
            # Passkeys need a host name (never a bare IP address): the browser reaches this same
            # server as http://localhost:<port> for them (localhost is a secure context).
            STAFF_PASSKEY_RP_ID="localhost",
            STAFF_PASSKEY_ORIGINS=self.localhost_url,
            CSRF_TRUSTED_ORIGINS=self.base_url,
            EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
            # Background tasks (search index, reference index, webhooks) go to the database
            # and the task worker runs them, as under `make run`.
            TASKS_BACKEND="database",
            READERS_MIN_FILL_SECONDS=str(FORM_MIN_FILL_SECONDS),
            ADMIN_USERNAME=self.username,
            ADMIN_PASSWORD=self.password,
            PYTHONUNBUFFERED="1",
        )
        return env

    def manage(self, *args: str, timeout: float = 300, **env: str) -> str:
        """Run a manage.py command against this copy; fail with its output if it fails."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env={**self.env(), **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def prepare(self) -> None:
        """A fresh database and media folder, migrated, with the demo content and a staff user.

        One Python process runs the three commands: each separate start costs seconds of
        imports on a busy machine."""
        if not self.port:
            self.port = free_port(self.host)
        shutil.rmtree(self.site_dir, ignore_errors=True)
        self.site_dir.mkdir(parents=True)
        script = (
            "from django.core.management import call_command as run; "
            "run('migrate', interactive=False, verbosity=0); "
            "run('load_demo_content'); "
            "run('ensure_admin')"
        )
        # The demo content's index updates run inline here, so the admin's choosers find the
        # demo pages and images from the first test on.
        self.manage("shell", "--no-imports", "-c", script, TASKS_BACKEND="immediate")

    def start(self) -> None:
        """Start the server, the worker and the scheduler; return once all three run."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")

        def write(line: str) -> None:
            self._log.write(line + "\n")
            self._log.flush()

        self.launcher = Launcher(host=self.host, port=self.port, reload=False, env=self.env(), out=write)
        try:
            self.launcher.start(timeout=STARTUP_TIMEOUT_S)
        except RuntimeError as exc:
            self.stop()
            raise RuntimeError(f"{exc} See {self.log_path}:\n{self.log_path.read_text()[-5000:]}") from exc

    def stop(self) -> None:
        """Stop the three processes (SIGTERM, then SIGKILL if one hangs)."""
        if self.launcher is not None:
            self.launcher.stop()
            self.launcher = None
        if self._log is not None:
            self._log.close()
            self._log = None
