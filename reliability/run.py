"""``make reliability``: load and fault tests against gunicorn on PostgreSQL + Redis, loopback only.

What it does, printing what it measured at each step:

1. Setup: a fresh PostgreSQL database ``reliability`` (only ever this one is dropped), a
   private Redis on a port of its own (so stopping it disturbs nobody else's tests), the
   production settings, migrations, static files and the demo content, then gunicorn.
2. Steady load: ``--duration`` seconds of mixed reads and submissions from ``--connections``
   kept-alive connections. Passes when no answer is a 5xx and every comment answered 202
   (and consultation request answered 201) is in the database exactly once.
3. Database connections killed (``pg_terminate_backend`` on every app connection) twice under
   load: requests recover within ``RECOVERY_LIMIT`` seconds, nothing fails after that, and no
   submission is half-written or duplicated.
4. Redis stopped under load, then restarted: reads and submissions keep working from the
   database, and the throttle does what docs/privacy.md says (per process, in memory, with the
   same limit, while Redis is down; shared again once it is back).
5. Memory: the workers' resident memory is sampled throughout and must level off.

Exit status 0 only if every check passed. ``--record`` writes the report into
docs/reliability.md between its markers.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from reliability.load import Load, Result, Target, request

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
VAR = ROOT / "var" / "reliability"
DB_NAME = "reliability"
RECOVERY_LIMIT = 5.0  # seconds after a fault by which every request must succeed again
MARKER = re.compile(r"rel[0-9a-f]+m\d+z")
BEGIN, END = "<!-- reliability:begin -->", "<!-- reliability:end -->"


# --- Output ---------------------------------------------------------------------------------


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def say(self, text: str = "") -> None:
        print(text, flush=True)
        self.lines.append(text)

    def check(self, ok: bool, text: str) -> None:
        self.say(f"- {'PASS' if ok else 'FAIL'}: {text}")
        if not ok:
            self.failures.append(text)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summarise(report: Report, results: list[Result], seconds: float) -> Counter:
    statuses = Counter(r.status for r in results)
    latencies = [(r.end - r.start) * 1000 for r in results if r.status]
    report.say(
        f"  {len(results)} requests in {seconds:.0f} s ({len(results) / seconds:.0f}/s); "
        f"statuses {dict(sorted(statuses.items()))}"
    )
    report.say(
        f"  latency ms: p50 {percentile(latencies, 50):.0f}, p95 {percentile(latencies, 95):.0f}, "
        f"p99 {percentile(latencies, 99):.0f}, max {max(latencies, default=0):.0f}"
    )
    kinds = Counter(r.kind for r in results)
    report.say("  mix: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))
    return statuses


# --- Services -------------------------------------------------------------------------------


def admin_dsn(pg_url: str) -> str:
    return re.sub(r"/[^/]*$", "/postgres", pg_url.replace("postgres://", "postgresql://"))


def fresh_database(pg_url: str) -> None:
    with psycopg.connect(admin_dsn(pg_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')


def terminate_app_connections(pg_url: str) -> int:
    with psycopg.connect(admin_dsn(pg_url), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [DB_NAME],
        ).fetchall()
    return sum(1 for (ok,) in rows if ok)


class PrivateRedis:
    """A Redis server of our own on ``port``: started here, stopped mid-load, restarted, and
    always stopped at the end (by its own pid)."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(VAR), "--logfile", str(VAR / "redis.log"),
            ],
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.1)
        raise SystemExit(f"Redis did not start on port {self.port}")

    def ping(self) -> bool:
        out = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"],
            capture_output=True,
            text=True,
            check=False,
        )
        return out.stdout.strip() == "PONG"

    def shutdown(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, check=False
        )
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def app_env(args) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": re.sub(r"/[^/]*$", f"/{DB_NAME}", args.pg_url),
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/6",
        "VAR_DIR": str(VAR),
        # Plain HTTP on the loopback: no TLS redirect. Clients stand behind one "load
        # balancer" that appends their address to X-Forwarded-For.
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{args.port}",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "STAFF_NOTIFICATION_EMAILS": "team@example.test",
        "LOG_LEVEL": "WARNING",
    }
    return env


def manage(env, *command: str) -> None:
    started = time.monotonic()
    subprocess.run([str(PY), "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    print(f"  manage.py {' '.join(command)}: {time.monotonic() - started:.1f} s", flush=True)


class Gunicorn:
    def __init__(self, env, args):
        self.env, self.args = env, args
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(VAR / "gunicorn.log", "ab")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            [
                str(GUNICORN), "cms.wsgi",
                "--bind", f"127.0.0.1:{self.args.port}",
                "--workers", str(self.args.workers), "--worker-class", "gthread", "--threads", "4",
                "--timeout", "30", "--graceful-timeout", "5", "--keep-alive", "5",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=log,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.args.port, "/api/v1/site/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("gunicorn did not answer within 60 s (see var/reliability/gunicorn.log)")

    def workers(self) -> list[int]:
        if self.process is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        )
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def get(port: int, path: str, headers: dict | None = None, body: dict | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        return request(conn, method, path, body, headers or {})
    finally:
        conn.close()


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """RSS of every gunicorn worker every ``interval`` seconds: (time, pid, KiB)."""

    def __init__(self, app: Gunicorn, interval: float = 2.0):
        self.app, self.interval = app, interval
        self.samples: list[tuple[float, int, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            for pid in self.app.workers():
                self.samples.append((now, pid, rss_kib(pid)))
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def at(self, moment: float) -> dict[int, int]:
        """Each worker's RSS at the sample closest to ``moment``."""
        best: dict[int, tuple[float, int]] = {}
        for t, pid, kib in self.samples:
            if pid not in best or abs(t - moment) < abs(best[pid][0] - moment):
                best[pid] = (t, kib)
        return {pid: kib for pid, (_, kib) in best.items()}


# --- Content discovery and database checks --------------------------------------------------


def discover(port: int, run_id: str) -> Target:
    import json

    status, body = get(port, "/api/v1/articles/?page_size=100")
    assert status == 200, status
    listing = json.loads(body)
    slugs = [a["slug"] for a in listing["results"]]
    pages = max(1, -(-listing["count"] // 12))  # the default page size
    commentable = []
    for slug in slugs:
        status, body = get(port, f"/api/v1/articles/{slug}/")
        if status == 200 and json.loads(body).get("comments_enabled"):
            commentable.append(slug)
    status, body = get(port, "/api/v1/site/")
    locations = [loc["slug"] for loc in json.loads(body).get("locations", [])]
    return Target("127.0.0.1", port, slugs, commentable, locations, run_id, pages)


@dataclass
class Stored:
    comments: Counter
    consultations: Counter
    incomplete: int


def stored_submissions(pg_url: str) -> Stored:
    """Markers found in the database (a marker appears once per stored submission), and rows
    with a marker but a missing required value (a half-written submission)."""
    dsn = re.sub(r"/[^/]*$", f"/{DB_NAME}", pg_url.replace("postgres://", "postgresql://"))
    comments, consultations = Counter(), Counter()
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT body, name, email, article_id, status FROM readers_comment WHERE body LIKE %s",
            ["%Reference rel%"],
        ).fetchall()
        incomplete = sum(
            1 for _, name, email, article, status in rows if not (name and email and article and status)
        )
        for body, *_ in rows:
            comments.update(MARKER.findall(body))
        rows = conn.execute(
            "SELECT message, name, email, consent FROM readers_consultationrequest WHERE message LIKE %s",
            ["%Reference rel%"],
        ).fetchall()
        incomplete += sum(1 for _, name, email, consent in rows if not (name and email and consent))
        for message, *_ in rows:
            consultations.update(MARKER.findall(message))
    return Stored(comments, consultations, incomplete)


def check_submissions(report: Report, results: list[Result], stored: Stored, label: str) -> None:
    """Every 202/201 stored exactly once; refused ones (4xx) not stored; unanswered or 5xx
    ones stored at most once; no half-written rows."""
    accepted = {"comment": 202, "consultation": 201}
    counters = {"comment": stored.comments, "consultation": stored.consultations}
    for kind, ok_status in accepted.items():
        sent = [r for r in results if r.kind == kind]
        answered_ok = [r for r in sent if r.status == ok_status]
        lost = [r.marker for r in answered_ok if counters[kind][r.marker] == 0]
        dupes = [m for m, n in counters[kind].items() if n > 1]
        refused_but_stored = [r.marker for r in sent if 400 <= r.status < 500 and counters[kind][r.marker]]
        unknown = [r for r in sent if r.status == 0 or r.status >= 500]
        unknown_stored = sum(1 for r in unknown if counters[kind][r.marker])
        report.check(
            not lost and not dupes and not refused_but_stored,
            f"{label}: {len(answered_ok)} {kind}s answered {ok_status}, "
            f"{len(answered_ok) - len(lost)} of them "
            f"in the database, {len(dupes)} duplicated, {len(refused_but_stored)} refused-but-stored "
            f"({len(unknown)} without an answer or with a 5xx, {unknown_stored} of those stored, once)",
        )
    report.check(stored.incomplete == 0, f"{label}: {stored.incomplete} half-written submission rows")


# --- Phases ---------------------------------------------------------------------------------


def run_load(
    target: Target, connections: int, seconds: float, seed: int, events=()
) -> tuple[list[Result], float]:
    """Load for ``seconds``; ``events`` are (offset, callable) run at those offsets."""
    load = Load(target, connections, seed=seed)
    started = time.monotonic()
    load.start()
    for offset, action in sorted(events, key=lambda e: e[0]):
        delay = started + offset - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        action()
    remaining = started + seconds - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)
    return load.stop(), started


def throttle_probe(port: int, client: str, attempts: int, slug: str) -> Counter:
    """One client submitting ``attempts`` comments, each on a new connection (so they spread
    over the worker processes): the statuses it got."""
    statuses = Counter()
    for n in range(attempts):
        status, _ = get(
            port,
            f"/api/v1/articles/{slug}/comments/",
            headers={"X-Forwarded-For": client},
            body={"name": "Probe", "email": f"probe{n}@load.example", "body": f"Throttle probe number {n}."},
            method="POST",
        )
        statuses[status] += 1
    return statuses


def late_failures(results: list[Result], kills: list[float]) -> list[Result]:
    """Failures (5xx or no answer) that ended more than RECOVERY_LIMIT after the latest kill
    before them, or before any kill."""
    late = []
    for r in results:
        if r.status == 0 or r.status >= 500:
            previous = [k for k in kills if k <= r.end]
            if not previous or r.end - max(previous) > RECOVERY_LIMIT:
                late.append(r)
    return late


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8610)
    parser.add_argument("--redis-port", type=int, default=8611)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("RELIABILITY_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--record", action="store_true", help="write the report into docs/reliability.md")
    args = parser.parse_args()

    report = Report()
    run_id = f"rel{secrets.token_hex(4)}"
    VAR.mkdir(parents=True, exist_ok=True)
    (VAR / "gunicorn.log").unlink(missing_ok=True)
    report.say(f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    report.say()
    report.say(
        f"gunicorn {args.workers} workers × 4 threads (gthread), production settings, PostgreSQL database "
        f"`{DB_NAME}`, a private Redis on port {args.redis_port}; {args.connections} client connections "
        f"from {os.cpu_count()} CPU cores shared with the server (loopback)."
    )
    report.say()

    env = app_env(args)
    redis = PrivateRedis(args.redis_port)
    app = Gunicorn(env, args)
    memory = MemorySampler(app)
    try:
        print("Setup:", flush=True)
        redis.start()
        fresh_database(args.pg_url)
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo_content")
        app.start()
        memory.start()
        target = discover(args.port, run_id)
        report.say(
            f"Content: {len(target.articles)} live articles ({len(target.commentable)} open to comments), "
            f"{len(target.locations)} locations."
        )
        report.say()

        # 1. Steady load ------------------------------------------------------------------
        report.say(f"### 1. Steady load: {args.duration:.0f} s, {args.connections} connections")
        results, started = run_load(target, args.connections, args.duration, seed=1)
        statuses = summarise(report, results, args.duration)
        server_errors = sum(n for s, n in statuses.items() if s >= 500 or s == 0)
        report.check(server_errors == 0, f"{server_errors} answers were 5xx or missing")
        check_submissions(report, results, stored_submissions(args.pg_url), "steady load")
        warm, end = memory.at(started + args.duration / 2), memory.at(started + args.duration)
        for pid in sorted(end):
            before, after = warm.get(pid, 0), end[pid]
            growth = after - before
            report.check(
                before and growth <= max(0.10 * before, 8 * 1024),
                f"worker {pid} RSS {before / 1024:.0f} MiB at {args.duration / 2:.0f} s → "
                f"{after / 1024:.0f} MiB at {args.duration:.0f} s "
                f"(growth {growth / 1024:+.1f} MiB; limit 10% or 8 MiB)",
            )
        report.say()

        # 2. Database connections killed --------------------------------------------------
        report.say(
            "### 2. PostgreSQL connections killed under load (`pg_terminate_backend`, at 10 s and 20 s)"
        )
        kills: list[tuple[float, int]] = []

        def kill():
            kills.append((time.monotonic(), terminate_app_connections(args.pg_url)))

        results2, _ = run_load(target, args.connections, 30, seed=2, events=[(10, kill), (20, kill)])
        summarise(report, results2, 30)
        for moment, killed in kills:
            window = [r for r in results2 if moment <= r.end and r.start <= moment + RECOVERY_LIMIT]
            failed = [r for r in window if r.status == 0 or r.status >= 500]
            recovery = max((r.end - moment for r in failed), default=0.0)
            report.say(
                f"  kill of {killed} connections: {len(failed)} requests failed (5xx or reset), "
                f"last failure {recovery:.2f} s after the kill"
            )
            report.check(
                recovery <= RECOVERY_LIMIT, f"recovered within {RECOVERY_LIMIT:.0f} s ({recovery:.2f} s)"
            )
        late = late_failures(results2, [moment for moment, _ in kills])
        report.check(not late, f"{len(late)} failures more than {RECOVERY_LIMIT:.0f} s after the last kill")
        check_submissions(report, results2, stored_submissions(args.pg_url), "connections killed")
        report.say()

        # 3. Redis stopped ----------------------------------------------------------------
        report.say("### 3. Redis stopped under load (at 5 s), restarted at 20 s")
        limit = 5
        probe: dict[str, Counter] = {}
        slug = target.commentable[0]
        outage: dict[str, float] = {}

        def stop_redis():
            outage["down"] = time.monotonic()
            redis.shutdown()

        def probe_during_outage():
            probe["down"] = throttle_probe(args.port, "192.0.2.10", limit * args.workers + limit, slug)

        def start_redis():
            redis.start()
            outage["up"] = time.monotonic()

        results3, _ = run_load(
            target,
            args.connections,
            30,
            seed=3,
            events=[(5, stop_redis), (7, probe_during_outage), (20, start_redis)],
        )
        summarise(report, results3, 30)
        down = [r for r in results3 if outage["down"] <= r.start <= outage["up"]]
        down_failed = [r for r in down if r.status == 0 or r.status >= 500]
        reads = [r for r in down if r.kind.startswith(("api", "html"))]
        report.check(
            not down_failed,
            f"while Redis was down: {len(down)} requests ({len(reads)} reads), "
            f"{len(down_failed)} 5xx or missing",
        )
        accepted = probe["down"].get(202, 0)
        report.check(
            limit <= accepted <= limit * args.workers
            and accepted + probe["down"].get(429, 0) == sum(probe["down"].values()),
            f"throttle while Redis was down: one client sent {sum(probe['down'].values())} comments on new "
            f"connections: {accepted} accepted, {probe['down'].get(429, 0)} refused 429 (docs/privacy.md: "
            f"the limit of {limit} holds per process, so between {limit} and {limit * args.workers} "
            f"with {args.workers} workers)",
        )
        check_submissions(report, results3, stored_submissions(args.pg_url), "Redis outage")
        # The app retries Redis 30 s after a failure (readers.throttle.SHARED_CACHE_RETRY_SECONDS).
        wait = outage["up"] + 32 - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        probe["up"] = throttle_probe(args.port, "192.0.2.11", limit * args.workers + limit, slug)
        report.check(
            probe["up"].get(202, 0) == limit,
            f"throttle after Redis is back: {probe['up'].get(202, 0)} of {sum(probe['up'].values())} "
            "accepted "
            f"(shared limit {limit} across all workers), {probe['up'].get(429, 0)} refused 429",
        )
        report.say()

        # 4. Memory over the whole run ----------------------------------------------------
        memory.stop()
        report.say("### 4. Worker memory over the whole run")
        per_pid: dict[int, list[int]] = {}
        for _, pid, kib in memory.samples:
            per_pid.setdefault(pid, []).append(kib)
        for pid, values in sorted(per_pid.items()):
            report.say(
                f"  worker {pid}: {len(values)} samples, RSS min {min(values) / 1024:.0f} MiB, "
                f"median {statistics.median(values) / 1024:.0f} MiB, max {max(values) / 1024:.0f} MiB, "
                f"last {values[-1] / 1024:.0f} MiB"
            )
        report.check(
            len(per_pid) == args.workers, f"{len(per_pid)} worker processes seen (no crash or restart)"
        )

        # 5. Logs ---------------------------------------------------------------------------
        log = (VAR / "gunicorn.log").read_text(errors="replace")
        leaked = len(re.findall(r"@load\.example", log))
        report.check(leaked == 0, f"{leaked} submitted email addresses in the server log")
        levels = Counter(re.findall(r"^\S+ \S+ (ERROR|CRITICAL) (\S+)", log, flags=re.M))
        report.say(
            "  server log, errors by logger: "
            + (
                ", ".join(f"{logger} {level} × {n}" for (level, logger), n in sorted(levels.items()))
                or "none"
            )
        )
    finally:
        memory.stop() if memory._thread.is_alive() else None
        app.stop()
        redis.stop()

    report.say()
    report.say(f"**{'PASSED' if not report.failures else 'FAILED'}**: {len(report.failures)} failed checks.")
    if args.record:
        record(report)
    return 1 if report.failures else 0


def record(report: Report) -> None:
    doc = ROOT / "docs" / "reliability.md"
    text = doc.read_text()
    # Indented detail lines become list items, so the Markdown keeps one line per measurement.
    lines = [f"- {line.strip()}" if line.startswith("  ") else line for line in report.lines]
    block = f"{BEGIN}\n" + "\n".join(lines) + f"\n{END}"
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    doc.write_text(text)
    print(f"Recorded in {doc.relative_to(ROOT)}")


if __name__ == "__main__":
    sys.exit(main())
