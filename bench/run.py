"""``make bench``: seed, serve with gunicorn, load every target with wrk, print and record a table.

Usage (from the repository root, with the project's virtualenv):

    .venv/bin/python -m bench.run [--articles 1000] [--duration 10] [--scale 10000]

Each configuration (cold: caches off; warm: the production cache, Redis when REDIS_URL is
given) gets its own gunicorn (2 sync workers, as production runs it) on 127.0.0.1. Every target
is requested once to record status, bytes (identity and gzip) and the ``X-Bench-Queries``
header and warmed up with wrk; then every target is loaded for a fixed time, in two rounds
(``measure``). Ratios compare with Wagtail's API v2 and with the static ceiling measured by the
same server in the same configuration, in the same rounds.
``--scale`` instead compares cold list, topic and search latency at N=1,000 and at N.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var")) / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
HOST = "127.0.0.1"
WORKERS = 2


@dataclass
class Target:
    key: str
    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    expect: int = 200
    etag_from: str | None = None  # for conditional requests: the target whose ETag to send


@dataclass
class Result:
    key: str
    label: str
    config: str
    path: str
    status: int | None = None
    note: str = ""
    bytes_raw: int | None = None
    bytes_gzip: int | None = None
    queries: int | None = None
    cpu_ms: float | None = None  # gunicorn's CPU time per request: barely moved by others' load
    rps: list[float] = field(default_factory=list)
    p50_ms: list[float] = field(default_factory=list)
    p99_ms: list[float] = field(default_factory=list)
    errors: int = 0

    @property
    def rps_mean(self) -> float | None:
        return statistics.mean(self.rps) if self.rps else None


def targets(info: dict, only: set[str] | None = None) -> list[Target]:
    slug, path = info["slug"], info["path"]
    all_targets = [
        Target("list", "article list (20, topics)", "/api/v1/articles/?page_size=20"),
        Target("detail", "article detail", f"/api/v1/articles/{slug}/"),
        Target("resolve", "resolve", f"/api/v1/resolve/?path={quote(path)}"),
        Target("topics", "topic list", "/api/v1/topics/"),
        Target("search", "search (20)", f"/api/v1/articles/?search={info['search']}&page_size=20"),
        Target("rare", "search, a word in 5 articles", f"/api/v1/articles/?search={info['rare']}"),
        Target("html", "HTML article page", path),
        Target("list304", "article list, If-None-Match", "/api/v1/articles/?page_size=20", expect=304,
               etag_from="list"),
        Target("detail304", "article detail, If-None-Match", f"/api/v1/articles/{slug}/", expect=304,
               etag_from="detail"),
        Target("v2list", "API v2 list (20, tags)",
               "/bench-v2/pages/?type=blog.ArticlePage&fields=topics&limit=20&order=-first_published_at"),
        Target("v2detail", "API v2 detail", f"/bench-v2/pages/{info['id']}/"),
        Target("ceiling", "static ceiling (WhiteNoise)", "/static/bench/ceiling.json"),
    ]  # fmt: skip
    return [t for t in all_targets if only is None or t.key in only]


# --- processes -------------------------------------------------------------------------


def manage(env: dict, *args: str, capture: bool = False) -> str:
    proc = subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return proc.stdout or ""


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) != 0


class Server:
    """gunicorn with the bench settings, in its own process group, stopped by its own pid."""

    def __init__(self, env: dict, port: int, log: Path):
        if not port_is_free(port):
            raise SystemExit(f"Port {port} on {HOST} is taken; choose another with --port.")
        self.port = port
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [str(BIN / "gunicorn"), "cms.wsgi:application", "--workers", str(WORKERS),
             "--bind", f"{HOST}:{port}", "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.proc.returncode}); see {log}")
            try:
                if request(port, "/static/bench/ceiling.json")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by gunicorn's master and workers."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if pid == self.proc.pid or ppid == self.proc.pid:
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()


def request(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


# --- wrk -------------------------------------------------------------------------------

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not match:
        raise ValueError(f"unexpected wrk latency {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    if not (rps and p50 and p99):
        raise ValueError(f"could not read wrk output:\n{output}")
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        # read errors are gunicorn's sync workers closing each connection; not failures.
        errors += int(socket_errors.group(1)) + int(socket_errors.group(3)) + int(socket_errors.group(4))
    count = re.search(r"(\d+) requests in", output)
    return {
        "rps": float(rps.group(1)),
        "p50": _ms(p50.group(1)),
        "p99": _ms(p99.group(1)),
        "errors": errors,
        "requests": int(count.group(1)) if count else 0,
    }


def wrk(port: int, target: Target, headers: dict, seconds: int, args: argparse.Namespace) -> dict:
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for name, value in headers.items():
        cmd += ["-H", f"{name}: {value}"]
    cmd.append(f"http://{HOST}:{port}{target.path}")
    return parse_wrk(subprocess.run(cmd, check=True, text=True, capture_output=True).stdout)


# --- measuring -------------------------------------------------------------------------


def measure(config: str, server: Server, plan: list[Target], args: argparse.Namespace, log) -> list[Result]:
    """Every target probed and warmed up, then measured in rounds (``load_in_rounds``): a target
    and the references it is compared with (API v2, the static ceiling) share every stretch of
    the configuration's time, and a drift of the machine (other work, CPU frequency) weighs on
    both sides of each ratio alike."""
    results: list[Result] = []
    etags: dict[str, str] = {}
    measured: list[tuple[Server, Target, dict, Result]] = []
    for target in plan:
        result = Result(target.key, target.label, config, target.path)
        results.append(result)
        headers = probe(config, server, target, etags, result, args, log)
        if headers is not None:
            measured.append((server, target, headers, result))
    load_in_rounds(measured, args, log)
    return results


def measure_interleaved(
    servers: dict[int, Server], plans: dict[int, list[Target]], args: argparse.Namespace, log
) -> dict[int, list[Result]]:
    """The same targets on several servers (one per N; ``plans`` has the same keys in the
    same order for each), each measured run alternating between the servers, so that load
    from outside the benchmark weighs on every N alike and their ratio is taken in one run."""
    rows: dict[int, list[Result]] = {n: [] for n in servers}
    etags: dict[int, dict[str, str]] = {n: {} for n in servers}
    for index in range(len(next(iter(plans.values())))):
        headers: dict[int, dict | None] = {}
        for n, server in servers.items():
            target = plans[n][index]
            result = Result(target.key, target.label, f"cold, N={n}", target.path)
            rows[n].append(result)
            headers[n] = probe("cold", server, target, etags[n], result, args, log)
        if any(h is None for h in headers.values()):
            continue
        load_in_rounds(
            [(server, plans[n][index], headers[n], rows[n][-1]) for n, server in servers.items()], args, log
        )
    return rows


def load_in_rounds(
    measured: list[tuple[Server, Target, dict, Result]], args: argparse.Namespace, log
) -> None:
    """``args.runs`` rounds, each one measured run of every (server, target, headers, result) in
    order (run 1 of all, then run 2 of all), then each result's CPU per request."""
    spent = [[0.0, 0] for _ in measured]
    for _ in range(args.runs):
        for (server, target, headers, result), total in zip(measured, spent, strict=True):
            cpu, count = load(server, target, headers, result, args)
            total[0] += cpu
            total[1] += count
    for (_, _, _, result), (cpu, count) in zip(measured, spent, strict=True):
        finish(result, cpu, count, log)


def probe(config, server, target, etags, result, args, log) -> dict | None:
    """Status, sizes and steady-state queries of one target, then the warm-up; the request
    headers to load it with, or None when it cannot be measured (the result says why)."""
    port = server.port
    headers = dict(target.headers)
    if target.etag_from:
        etag = etags.get(target.etag_from)
        if not etag:
            result.note = f"no ETag on {target.etag_from}"
            log(f"  {target.label}: skipped ({result.note})")
            return None
        headers["If-None-Match"] = etag
    status, response_headers, body = request(port, target.path, headers)
    result.status = status
    if status != target.expect:
        result.note = f"answered {status}, expected {target.expect}"
        log(f"  {target.label}: skipped ({result.note})")
        return None
    if "etag" in response_headers:
        etags[target.key] = response_headers["etag"]
    result.bytes_raw = len(body)
    if status == 200:
        _, gz_headers, gz_body = request(port, target.path, {**headers, "Accept-Encoding": "gzip"})
        compressed = gz_headers.get("content-encoding") == "gzip"
        result.bytes_gzip = len(gz_body) if compressed else len(gzip.compress(body))
        if not compressed:
            result.note = "not gzipped by the server (size computed)"
    wrk(port, target, headers, args.warmup, args)
    # Queries after the warm-up: what a request costs in the steady state of this config.
    steady = request(port, target.path, headers)[1]
    queries = steady.get("x-bench-queries")
    result.queries = int(queries) if queries is not None else None
    if config == "warm" and steady.get("x-cache", "HIT") != "HIT":
        result.note = f"X-Cache: {steady['x-cache']} after the warm-up"
    return headers


def load(server: Server, target: Target, headers: dict, result: Result, args) -> tuple[float, int]:
    """One measured wrk run; the server CPU seconds it took and the requests served."""
    before = server.cpu_seconds()
    run = wrk(server.port, target, headers, args.duration, args)
    spent = server.cpu_seconds() - before
    result.rps.append(run["rps"])
    result.p50_ms.append(run["p50"])
    result.p99_ms.append(run["p99"])
    result.errors += run["errors"]
    return spent, run["requests"]


def finish(result: Result, cpu: float, served: int, log) -> None:
    result.cpu_ms = round(1000 * cpu / served, 3) if served else None
    log(
        f"  {result.label} ({result.config}): {', '.join(f'{r:.0f}' for r in result.rps)} req/s, "
        f"p50 {statistics.mean(result.p50_ms):.1f} ms, {result.queries} queries"
    )


def query_scaling(port: int) -> dict[str, int | None]:
    """Queries of the list at several page sizes, and of a body-heavy detail (cold)."""
    counts = {}
    for size in (5, 20, 100):
        status, headers, _ = request(port, f"/api/v1/articles/?page_size={size}")
        counts[f"list page_size={size}"] = int(headers["x-bench-queries"]) if status == 200 else None
    return counts


def wait_for_quiet(threshold: float, max_wait: int, log) -> None:
    """The machine is shared: give other work up to ``max_wait`` s to calm down first."""
    deadline = time.monotonic() + max_wait
    while True:
        try:
            load = float(Path("/proc/loadavg").read_text().split()[0])
        except (OSError, ValueError):
            return
        if load <= threshold:
            return
        if time.monotonic() >= deadline:
            log(f"Load average still {load:.2f} after {max_wait} s; measuring anyway (recorded).")
            return
        log(f"Load average {load:.2f} > {threshold}: waiting for a quieter machine…")
        time.sleep(15)


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# --- reporting -------------------------------------------------------------------------


def _fmt(value, spec: str = ".0f") -> str:
    return "–" if value is None else format(value, spec)


COMPARE_V2 = {"list": "v2list", "list304": "v2list", "detail": "v2detail", "detail304": "v2detail",
              "resolve": "v2detail", "html": "v2detail"}  # fmt: skip


def ratios(results: list[Result], r: Result) -> dict[str, float | None]:
    """Throughput ratios to v2 and to the ceiling, and the same judged by server CPU per
    request (base CPU / target CPU: what the ratio of throughputs is on an idle machine where
    the server is CPU-bound)."""
    by = {(x.config, x.key): x for x in results}
    v2 = by.get((r.config, COMPARE_V2.get(r.key, "")))
    ceiling = by.get((r.config, "ceiling"))

    def ratio(base: Result | None, cpu: bool) -> float | None:
        if base is None or not r.rps:
            return None
        if cpu:
            return base.cpu_ms / r.cpu_ms if base.cpu_ms and r.cpu_ms else None
        return r.rps_mean / base.rps_mean if base.rps_mean else None

    return {
        "v2": ratio(v2, False),
        "v2_cpu": ratio(v2, True),
        "ceiling": ratio(ceiling, False),
        "ceiling_cpu": ratio(ceiling, True),
    }


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}×"


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def table(results: list[Result]) -> str:
    lines = [
        "| target | cache | req/s (run 1 / run 2) | p50 ms | p99 ms | bytes | gzip | SQL/req "
        "| server CPU ms/req | × v2 | × v2 by CPU | % ceiling | % ceiling by CPU |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if not r.rps:
            lines.append(f"| {r.label} | {r.config} | {r.note or 'not measured'} |" + " |" * 10)
            continue
        q = ratios(results, r)
        runs = " / ".join(f"{x:.0f}" for x in r.rps)
        errors = f" ({r.errors} errors)" if r.errors else ""
        lines.append(
            f"| {r.label} | {r.config} | **{r.rps_mean:.0f}** ({runs}){errors} | "
            f"{statistics.mean(r.p50_ms):.1f} | {max(r.p99_ms):.1f} | {_fmt(r.bytes_raw)} | "
            f"{_fmt(r.bytes_gzip)} | {_fmt(r.queries)} | {_fmt(r.cpu_ms, '.2f')} | "
            f"{_times(q['v2'])} | {_times(q['v2_cpu'])} | {_percent(q['ceiling'])} | "
            f"{_percent(q['ceiling_cpu'])} |"
        )
    notes = [f"- {r.label} ({r.config}): {r.note}" for r in results if r.rps and r.note]
    return "\n".join(lines) + ("\n\n" + "\n".join(notes) if notes else "")


def verdicts(results: list[Result], scaling: dict, *, by_cpu: bool = False, loaded: bool = False) -> str:
    """The issue's targets, each with what was measured and whether it is met.

    ``by_cpu``: judge ratios by server CPU per request (when the machine was loaded well
    beyond its cores, throughput ratios mostly measure the other processes). ``loaded``
    alone: only requests that ran no SQL are judged by CPU (a warm hit's whole cost is the
    app server's, whatever the database), the rest by throughput."""
    by = {(r.config, r.key): r for r in results}
    rows = []

    def ratio_row(name, config, key, base, needed):
        r = by.get((config, key))
        percent = base == "ceiling"
        need = f"≥ {needed * 100:.0f}% of ceiling" if percent else f"≥ {needed}× v2"
        q = ratios(results, r) if r else {}
        value, cpu = q.get(base), q.get(f"{base}_cpu")
        if value is None:
            rows.append(f"| {name} | {need} | not measured | | – |")
            return
        show = _percent if percent else _times
        use_cpu = by_cpu or (loaded and r.queries == 0)
        decisive = cpu if use_cpu and cpu is not None else value
        verdict = "met" if decisive >= needed else "MISSED"
        rows.append(f"| {name} | {need} | {show(value)} | {show(cpu)} | {verdict} |")

    def queries_row(config, key, limit):
        r = by.get((config, key))
        q = r.queries if r else None
        verdict = "–" if q is None else "met" if q <= limit else "MISSED"
        rows.append(
            f"| {config} {key} SQL queries | {f'≤ {limit}' if limit else '0'} | {_fmt(q)} | | {verdict} |"
        )

    ratio_row("cold list vs v2 list", "cold", "list", "v2", 2)
    ratio_row("cold detail vs v2 detail", "cold", "detail", "v2", 2)
    for key in ("list", "detail", "resolve"):
        ratio_row(f"warm {key}", "warm", key, "ceiling", 0.4)
    ratio_row("warm list 304", "warm", "list304", "ceiling", 0.6)
    ratio_row("warm detail 304", "warm", "detail304", "ceiling", 0.6)
    ratio_row("warm HTML article", "warm", "html", "ceiling", 0.3)
    queries_row("cold", "list", 8)
    queries_row("cold", "detail", 12)
    for key in ("list", "detail", "resolve", "html"):
        queries_row("warm", key, 0)
    sizes = [v for v in scaling.values() if v is not None]
    if sizes:
        shown = ", ".join(f"{k.split('=')[1]}: {v}" for k, v in scaling.items())
        verdict = "met" if len(set(sizes)) == 1 else "MISSED"
        rows.append(f"| cold list queries at page size 5, 20, 100 | equal | {shown} | | {verdict} |")
    if by_cpu:
        basis = "server CPU per request (the machine was loaded)"
    elif loaded:
        basis = "throughput; server CPU for requests without SQL, the machine was loaded"
    else:
        basis = "throughput"
    header = f"| target | needed | measured | by server CPU | verdict (by {basis}) |\n|---|---|---|---|---|"
    return header + "\n" + "\n".join(rows)


def replace_section(name: str, body: str) -> None:
    start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    block = f"{start}\n{body.strip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def judge_by_cpu(peak_load: float) -> bool:
    """Judge by the app server's CPU per request only when the machine was loaded beyond its
    cores and the database runs inside the app processes (SQLite). With PostgreSQL much of a
    cold request's cost is the database server's CPU, which the app's CPU does not include, so
    its verdicts stay on latency and throughput."""
    return peak_load > (os.cpu_count() or 1) and not os.environ.get("DATABASE_URL")


def database_label() -> str:
    return "PostgreSQL (DATABASE_URL)" if os.environ.get("DATABASE_URL") else "SQLite"


def section_name(kind: str) -> str:
    """Each database keeps its own recorded section, so a PostgreSQL run sits beside SQLite's."""
    return f"{kind}-postgresql" if os.environ.get("DATABASE_URL") else kind


def git_head() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


# --- the run ---------------------------------------------------------------------------


def base_env(n: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"BENCH_CACHE", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_N=str(n),
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        BENCH_CACHE="off",
    )
    return env


def prepare(n: int, log, *, database_per_n: bool = False) -> tuple[dict, dict]:
    env = base_env(n)
    if database_per_n and env.get("DATABASE_URL"):
        env["DATABASE_URL"] = postgres_database_for(env["DATABASE_URL"], n)
    elif env.get("DATABASE_URL"):
        ensure_postgres_database(env["DATABASE_URL"])
    log(f"Database and content (N={n})…")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "bench_seed", "--articles", str(n))
    # Static files first (the HTML error pages need the manifest), again with the ceiling file.
    manage(env, "collectstatic", "--noinput", "-v0")
    info = json.loads(manage(env, "bench_prepare", capture=True).strip().splitlines()[-1])
    manage(env, "collectstatic", "--noinput", "-v0")
    return env, info


def postgres_database_for(url: str, n: int) -> str:
    """DATABASE_URL's database with ``_<n>`` appended, created when missing, so each N keeps
    its content between runs (SQLite has one file per N already)."""
    parts = urlsplit(url)
    return ensure_postgres_database(
        urlunsplit((parts.scheme, parts.netloc, f"{parts.path}_{n}", parts.query, parts.fragment))
    )


def ensure_postgres_database(url: str) -> str:
    """Create DATABASE_URL's database when it is missing (a fresh machine has none)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def warm_env(env: dict, redis_url: str, log) -> tuple[dict, str]:
    env = dict(env)
    if redis_url:
        try:
            import redis

            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except Exception as exc:  # noqa: BLE001 - any failure means: fall back, and say so
            log(f"Redis at {redis_url} unreachable ({exc}); warm runs use a per-process cache.")
            redis_url = ""
    if redis_url:
        # A fresh key prefix per run: starts empty, and nobody else's keys are touched.
        env.update(BENCH_CACHE="redis", REDIS_URL=redis_url, CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}")
        return env, f"Redis ({redis_url})"
    env.update(BENCH_CACHE="locmem")
    return env, "per-process memory (no Redis)"


def clear_prefix(env: dict) -> None:
    if env.get("BENCH_CACHE") != "redis":
        return
    import redis

    client = redis.Redis.from_url(env["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{env['CACHE_KEY_PREFIX']}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


def run_main(args: argparse.Namespace) -> None:
    log = print
    started = time.monotonic()
    stamp = datetime.now(UTC)
    env, info = prepare(args.articles, log)
    plan = targets(info, set(args.only.split(",")) if args.only else None)
    results: list[Result] = []
    wait_for_quiet(args.quiet_load, args.max_wait, log)
    loads = {"before": loadavg()}
    scaling: dict = {}
    configs = [c for c in ("cold", "warm") if c in args.configs.split(",")]
    warm_label = ""
    for offset, config in enumerate(configs):
        config_env = env
        if config == "warm":
            config_env, warm_label = warm_env(env, args.redis_url, log)
        log(f"{config} ({'caches off' if config == 'cold' else warm_label}), port {args.port + offset}:")
        server = Server(config_env, args.port + offset, VAR / f"gunicorn-{config}.log")
        try:
            if config == "cold":
                scaling = query_scaling(server.port)
            results += measure(config, server, plan, args, log)
        finally:
            server.stop()
            clear_prefix(config_env)
        loads[f"after {config}"] = loadavg()
    elapsed = time.monotonic() - started
    rendered = table(results)
    peak = max((float(v.split()[0]) for v in loads.values() if v != "unknown"), default=0.0)
    checks = verdicts(results, scaling, by_cpu=judge_by_cpu(peak), loaded=peak > (os.cpu_count() or 1))
    print("\n" + rendered + "\n\n" + checks)
    record = {
        "date": stamp.isoformat(timespec="seconds"),
        "commit": git_head(),
        "nproc": os.cpu_count(),
        "load": loads,
        "info": info,
        "args": vars(args),
        "query_scaling": scaling,
        "results": [asdict(r) for r in results],
    }
    out = VAR / f"results-{args.articles}-{stamp:%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(record, indent=2))
    print(f"\nRaw results: {out.relative_to(ROOT)}  ({elapsed / 60:.1f} min)")
    if args.no_doc:
        return
    load_text = "; ".join(f"{k}: {v}" for k, v in loads.items())
    replace_section(
        section_name("results"),
        f"""
Run {stamp:%Y-%m-%d %H:%M} UTC, commit {record["commit"]}, `nproc` = {record["nproc"]}, load average
(1/5/15 min) {load_text}. Command: `{args.command}` ({elapsed / 60:.1f} min). N = {info["articles"]}
articles, {database_label()}, gunicorn with {WORKERS} sync workers,
wrk `-t{args.threads} -c{args.connections}`,
{args.warmup} s warm-up, {args.runs} × {args.duration} s per target; warm cache: {warm_label or "not run"}.
Measured article `{info["slug"]}`; ceiling file: the bytes of `{info["ceiling_source"]}`
({info["ceiling_bytes"]} bytes).

{rendered}

{checks}
""",
    )
    print(f"Recorded in {DOC.relative_to(ROOT)}")


SCALE_LIMITS = {"list": 1.5, "topics": 1.5, "rare": 1.5, "search": 3.0}


def scale_table(rows: dict[int, list[Result]], big_n: int, *, by_cpu: bool) -> str:
    """Cold latency and CPU at N=1,000 and ``big_n``; the verdict by CPU ratio when the machine
    was loaded (a p50 then covers only the requests that finished, timeouts aside)."""
    basis = "server CPU" if by_cpu else "p50"
    lines = [
        f"| target (cold) | p50 ms, N=1000 | p50 ms, N={big_n} | ratio | req/s, N=1000 "
        f"| req/s, N={big_n} | server CPU ms/req (1000 / {big_n}) | CPU ratio "
        f"| SQL/req (1000 / {big_n}) | target (by {basis}) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for small, big in zip(rows[1000], rows[big_n], strict=True):
        if not (small.p50_ms and big.p50_ms):
            lines.append(f"| {small.label} | {small.note or '–'} | {big.note or '–'} |" + " |" * 7)
            continue
        a, b = statistics.mean(small.p50_ms), statistics.mean(big.p50_ms)
        cpu = big.cpu_ms / small.cpu_ms if small.cpu_ms and big.cpu_ms else None
        decisive = cpu if by_cpu and cpu is not None else b / a
        errors = f" ({big.errors} errors)" if big.errors else ""
        # A word in every article may cost up to 3× (its exact total counts every match); the
        # detail is the yardstick search is compared with, not a target of its own.
        limit = SCALE_LIMITS.get(small.key)
        verdict = "–" if limit is None else f"≤ {limit}×: {'met' if decisive <= limit else 'MISSED'}"
        lines.append(
            f"| {small.label} | {a:.1f} | {b:.1f}{errors} | {b / a:.2f}× | {small.rps_mean:.1f} | "
            f"{big.rps_mean:.1f} | {_fmt(small.cpu_ms, '.2f')} / {_fmt(big.cpu_ms, '.2f')} | "
            f"{_fmt(cpu, '.2f')}{'×' if cpu else ''} | "
            f"{_fmt(small.queries)} / {_fmt(big.queries)} | {verdict} |"
        )
    at_big = {r.key: r for r in rows[big_n]}
    detail = at_big.get("detail")
    for key in ("search", "rare"):
        search = at_big.get(key)
        if not (detail and search and detail.p50_ms and search.p50_ms):
            continue
        a, b = statistics.mean(search.p50_ms), statistics.mean(detail.p50_ms)
        lines.append(
            f"\n{search.label} at N={big_n}: p50 {a:.1f} ms against the cold article detail's "
            f"{b:.1f} ms: {'met' if a <= b else 'MISSED'} (no slower than the detail)."
        )
    return "\n".join(lines)


def run_scale(args: argparse.Namespace) -> None:
    log = print
    stamp = datetime.now(UTC)
    started = time.monotonic()
    loads = {"before": loadavg()}
    sizes = (1000, args.scale)
    envs, plans = {}, {}
    for n in sizes:
        env, info = prepare(n, log, database_per_n=True)
        envs[n] = env
        plans[n] = targets(info, {"list", "topics", "search", "rare", "detail"})
    wait_for_quiet(args.quiet_load, args.max_wait, log)
    log(f"cold, N={' and N='.join(map(str, sizes))} side by side, runs alternating:")
    servers: dict[int, Server] = {}
    try:
        for offset, n in enumerate(sizes):
            servers[n] = Server(envs[n], args.port + offset, VAR / f"gunicorn-scale-{n}.log")
        rows = measure_interleaved(servers, plans, args, log)
    finally:
        for server in servers.values():
            server.stop()
    loads["after"] = loadavg()
    peak = max((float(v.split()[0]) for v in loads.values() if v != "unknown"), default=0.0)
    rendered = scale_table(rows, args.scale, by_cpu=judge_by_cpu(peak))
    elapsed = time.monotonic() - started
    print("\n" + rendered)
    out = VAR / f"scale-{args.scale}-{stamp:%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps({k: [asdict(r) for r in v] for k, v in rows.items()}, indent=2))
    if args.no_doc:
        return
    load_text = "; ".join(f"{k}: {v}" for k, v in loads.items())
    replace_section(
        section_name("scale"),
        f"""
Run {stamp:%Y-%m-%d %H:%M} UTC, commit {git_head()}, {database_label()}, `nproc` = {os.cpu_count()},
load average {load_text}.
Command: `{args.command}` ({elapsed / 60:.1f} min), caches off, {args.runs} × {args.duration} s per target.

{rendered}
""",
    )
    print(f"Recorded in {DOC.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=int(os.environ.get("N", 1000)))
    parser.add_argument("--duration", type=int, default=10, help="seconds per measured run")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up per target")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--port", type=int, default=8101, help="first port (the warm server uses the next)")
    parser.add_argument("--configs", default="cold,warm")
    parser.add_argument("--only", default="", help="comma-separated target keys, e.g. list,detail,ceiling")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", ""))
    parser.add_argument("--scale", type=int, default=0, help="compare cold list/topic/search at 1,000 and N")
    parser.add_argument("--quiet-load", type=float, default=1.5, help="wait for this 1-min load average")
    parser.add_argument("--max-wait", type=int, default=120, help="seconds to wait for it at most")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--command", default="make bench", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    VAR.mkdir(parents=True, exist_ok=True)
    if args.scale:
        run_scale(args)
    else:
        run_main(args)


if __name__ == "__main__":
    main()
