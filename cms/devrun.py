"""`make run`: the dev server, the task worker and the scheduler side by side, then the login.

    python -m cms.devrun --host 127.0.0.1 --port 8000 [--noreload]

The three processes are the ones production runs separately (web, ``db_worker``,
``run_scheduler``), started with this Python and the same environment, so what works under
``make run`` works there: they share the database (SQLite under ``var/`` by default) and nothing
else. Their output is shown line by line behind a short name (``web |``, ``worker |``…). The
worker and the scheduler log warnings and errors only (a line per task buried the login under
hundreds of lines); ``LOG_LEVEL`` in the environment still sets the web server's level.

The last lines printed, once the site answers and the scheduler has started, are the site's
URL, the admin's URL and the login. Ctrl+C (or SIGTERM) stops all three; if one of them exits,
the others are stopped too and the exit status is non-zero.

The end-to-end suite (``e2e/server.py``) and the concurrency test
(``tests/cms/test_concurrent_writes.py``) start the project through this module.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 120
BACKGROUND_LOG_LEVEL = "WARNING"
# Printed by `manage.py run_scheduler` once its loop runs (publishing/scheduler.py).
SCHEDULER_READY_LINE = "Scheduler running:"
# A cheap URL to ask whether the web server answers; its log line is waited for so it is not
# printed after the login.
# What Django's autoreloader prints once it watches (the worker's comes after the server's).
RELOADER_LINE = "Watching for file changes"
READY_PROBE_PATH = "/robots.txt"


class Child:
    """One process whose output is relayed, prefixed with its name, to this one's stdout."""

    def __init__(
        self, name: str, argv: list[str], env: dict[str, str], width: int, out: Callable[[str], None]
    ):
        self.name = name
        self.prefix = f"{name:<{width}} | "
        self.seen: list[str] = []
        self._out = out
        self._lock = threading.Lock()
        # Its own process group, so stopping it also stops what it started (runserver's and
        # db_worker's autoreloaders run the real server in a child process).
        self.process = subprocess.Popen(  # noqa: S603 (our own manage.py, no shell)
            argv,
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._relay, name=f"relay-{name}", daemon=True)
        self._reader.start()

    def _relay(self) -> None:
        for line in self.process.stdout or ():
            line = line.rstrip("\n")
            with self._lock:
                self.seen.append(line)
            self._out(self.prefix + line)

    def saw(self, text: str) -> bool:
        with self._lock:
            return any(text in line for line in self.seen)

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=timeout)
            except ProcessLookupError:
                pass
        self._reader.join(timeout=2)


class Launcher:
    """Start, watch and stop the project's three processes."""

    def __init__(
        self, *, host: str, port: int, reload: bool = True, env: dict[str, str] | None = None, out=None
    ):
        self.host = host
        self.port = port
        self.reload = reload
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("PYTHONUNBUFFERED", "1")
        # Links the CMS writes (canonical URLs, the admin's own) name the address it serves.
        self.env.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
        self.env.setdefault("WAGTAILADMIN_BASE_URL", f"http://{host}:{port}")
        self.out = out or (lambda line: print(line, flush=True))
        self.children: list[Child] = []

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def manage(self, *args: str) -> list[str]:
        return [sys.executable, str(PROJECT_DIR / "manage.py"), *args]

    def commands(self) -> dict[str, tuple[list[str], dict[str, str]]]:
        no_reload = [] if self.reload else ["--noreload"]
        background = {**self.env, "LOG_LEVEL": BACKGROUND_LOG_LEVEL}
        return {
            "web": (self.manage("runserver", f"{self.host}:{self.port}", *no_reload), self.env),
            "worker": (
                self.manage("db_worker", "--queue-name", "*", "--reload" if self.reload else "--no-reload"),
                background,
            ),
            "scheduler": (self.manage("run_scheduler"), background),
        }

    def login_summary(self) -> str:
        """The site and admin URLs and the login, from `ensure_admin` (creating the user)."""
        result = subprocess.run(  # noqa: S603
            self.manage("ensure_admin", "--summary"),
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py ensure_admin failed:\n{result.stdout}{result.stderr}")
        return result.stdout.rstrip("\n")

    def start(self, timeout: float = STARTUP_TIMEOUT_S) -> None:
        """Start everything and return once the site answers and the scheduler runs."""
        commands = self.commands()
        width = max(len(name) for name in commands)
        for name, (argv, env) in commands.items():
            self.children.append(Child(name, argv, env, width, self.out))
        deadline = time.monotonic() + timeout
        web, scheduler = self.child("web"), self.child("scheduler")
        while not self._answers(READY_PROBE_PATH):
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"The site did not answer at {self.base_url}/ within {timeout:.0f} s.")
            time.sleep(0.3)
        while not scheduler.saw(SCHEDULER_READY_LINE):
            self._check_alive()
            if time.monotonic() > deadline:
                raise RuntimeError(f"The scheduler did not start within {timeout:.0f} s.")
            time.sleep(0.2)
        # The probe's request line comes a moment after its answer, and the worker's reloader
        # announces itself late: let both be printed before the summary, which must come last.
        settle = time.monotonic() + 3
        while not web.saw(READY_PROBE_PATH) and time.monotonic() < settle:
            time.sleep(0.05)
        if self.reload:
            worker, settle = self.child("worker"), time.monotonic() + 20
            while not worker.saw(RELOADER_LINE) and time.monotonic() < settle:
                self._check_alive()
                time.sleep(0.1)
        self._check_alive()

    def child(self, name: str) -> Child:
        return next(child for child in self.children if child.name == name)

    def _answers(self, path: str) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=5) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def _check_alive(self) -> None:
        for child in self.children:
            if not child.running():
                raise RuntimeError(f"{child.name} exited with status {child.process.returncode}.")

    def wait(self) -> int:
        """Block until one process exits; return its status."""
        while True:
            for child in self.children:
                if not child.running():
                    self.out(
                        f"{child.name} exited with status {child.process.returncode}; stopping the others."
                    )
                    return child.process.returncode or 1
            time.sleep(0.5)

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--noreload", action="store_true", help="Do not restart on code changes.")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)
    launcher = Launcher(host=args.host, port=args.port, reload=not args.noreload)
    try:
        summary = launcher.login_summary()
        launcher.start()
        launcher.out(summary)
        return launcher.wait()
    except KeyboardInterrupt:
        return 0
    except RuntimeError as exc:
        print(f"make run: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        launcher.stop()


if __name__ == "__main__":
    sys.exit(main())
