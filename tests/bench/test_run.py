"""The runner's parsing and reporting, and that nothing of the bench leaks into the project."""

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from bench import run
from bench.middleware import QueryCountMiddleware

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8101/api/v1/articles/?page_size=20
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    21.50ms    3.20ms  50.00ms   80.00%
    Req/Sec   186.00     20.00   220.00     70.00%
  Latency Distribution
     50%  850.00us
     75%   22.00ms
     90%   30.00ms
     99%    1.20s
  1860 requests in 10.01s, 1.20MB read
  Socket errors: connect 0, read 1860, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    185.82
Transfer/sec:    122.00KB
"""


def test_wrk_output_gives_throughput_percentiles_in_ms_and_real_errors_only():
    # read errors are gunicorn's sync workers closing connections, not failed requests
    assert run.parse_wrk(WRK_OUTPUT) == {
        "rps": 185.82,
        "p50": 0.85,
        "p99": 1200.0,
        "errors": 5,
        "requests": 1860,
    }


def _result(key, config, rps, cpu_ms=None, **extra):
    timings = {"rps": [rps, rps], "p50_ms": [2.0, 4.0], "p99_ms": [9.0, 12.0]}
    return run.Result(key, key, config, "/", 200, cpu_ms=cpu_ms, **timings, **extra)


def test_the_table_gives_ratios_to_v2_and_to_the_ceiling_by_throughput_and_by_cpu():
    results = [
        _result("list", "cold", 300.0, 10.0, bytes_raw=1000, bytes_gzip=200, queries=7),
        _result("v2list", "cold", 50.0, 40.0, queries=46),
        _result("ceiling", "cold", 3000.0, 0.5),
        _result("list", "warm", 1500.0, 2.0, queries=0),
        _result("ceiling", "warm", 2000.0, 0.5),
    ]
    lines = run.table(results).splitlines()
    assert lines[2] == (
        "| list | cold | **300** (300 / 300) | 3.0 | 12.0 | 1000 | 200 | 7 | 10.00 "
        "| 6.0× | 4.0× | 10.0% | 5.0% |"
    )
    assert (
        lines[3]
        == "| v2list | cold | **50** (50 / 50) | 3.0 | 12.0 | – | – | 46 | 40.00 | – | – | 1.7% | 1.2% |"
    )
    assert (
        lines[5]
        == "| list | warm | **1500** (1500 / 1500) | 3.0 | 12.0 | – | – | 0 | 2.00 | – | – | 75.0% | 25.0% |"
    )
    scaling = {"list page_size=5": 7, "list page_size=20": 7}
    by_throughput = run.verdicts(results, scaling)
    assert "| cold list vs v2 list | ≥ 2× v2 | 6.0× | 4.0× | met |" in by_throughput
    assert "| warm list | ≥ 40% of ceiling | 75.0% | 25.0% | met |" in by_throughput
    assert "| cold detail vs v2 detail | ≥ 2× v2 | not measured | | – |" in by_throughput
    assert "| cold list SQL queries | ≤ 8 | 7 | | met |" in by_throughput
    assert "| cold list queries at page size 5, 20, 100 | equal | 5: 7, 20: 7 | | met |" in by_throughput
    by_cpu = run.verdicts(results, scaling, by_cpu=True)
    assert "| warm list | ≥ 40% of ceiling | 75.0% | 25.0% | MISSED |" in by_cpu
    assert "verdict (by server CPU per request (the machine was loaded))" in by_cpu
    # PostgreSQL on a loaded machine: warm hits (no SQL) by CPU, the cold list by throughput.
    loaded = run.verdicts(results, scaling, loaded=True)
    assert "| warm list | ≥ 40% of ceiling | 75.0% | 25.0% | MISSED |" in loaded
    assert "| cold list vs v2 list | ≥ 2× v2 | 6.0× | 4.0× | met |" in loaded
    assert "server CPU for requests without SQL" in loaded


def fake_load(events: list, event, *, rps: float, cpu_s: float, requests: int):
    """A stand-in for ``run.load``: notes ``event(server, target)`` in ``events`` and adds one
    run's figures to the target's result; returns the server CPU seconds and requests."""

    def load(server, target, headers, result, args):
        events.append(event(server, target))
        result.rps.append(rps)
        result.p50_ms.append(2.0)
        result.p99_ms.append(9.0)
        return cpu_s, requests

    return load


def test_targets_are_measured_in_rounds_after_every_warm_up(monkeypatch):
    # run 1 of every target, then run 2 of every target: a target and the references it is
    # compared with share every stretch of the configuration's time
    events = []

    def probe(config, server, target, etags, result, args, log):
        events.append(("probe", target.key))
        return None if target.key == "detail304" else {}  # a target that cannot be measured

    monkeypatch.setattr(run, "probe", probe)
    load = fake_load(events, lambda server, target: ("load", target.key), rps=100.0, cpu_s=0.5, requests=100)
    monkeypatch.setattr(run, "load", load)
    plan = [run.Target(key, key, "/") for key in ("list", "detail304", "v2list", "ceiling")]
    args = type("Args", (), {"runs": 2})()

    results = run.measure("warm", server=None, plan=plan, args=args, log=lambda line: None)

    measured = ["list", "v2list", "ceiling"]
    assert events == [
        *(("probe", key) for key in ("list", "detail304", "v2list", "ceiling")),
        *(("load", key) for key in measured),
        *(("load", key) for key in measured),
    ]
    assert [(r.key, r.rps, r.cpu_ms) for r in results] == [
        ("list", [100.0, 100.0], 5.0),
        ("detail304", [], None),
        ("v2list", [100.0, 100.0], 5.0),
        ("ceiling", [100.0, 100.0], 5.0),
    ]


def test_the_scale_comparison_alternates_its_servers_run_by_run(monkeypatch):
    events = []

    def probe(config, server, target, etags, result, args, log):
        return {}

    monkeypatch.setattr(run, "probe", probe)
    load = fake_load(events, lambda server, target: (server, target.key), rps=10.0, cpu_s=1.0, requests=10)
    monkeypatch.setattr(run, "load", load)
    plans = {n: [run.Target(key, key, "/") for key in ("list", "search")] for n in (1000, 10000)}
    args = type("Args", (), {"runs": 2})()

    rows = run.measure_interleaved({1000: "small", 10000: "large"}, plans, args, log=lambda line: None)

    assert events == [
        ("small", "list"), ("large", "list"), ("small", "list"), ("large", "list"),
        ("small", "search"), ("large", "search"), ("small", "search"), ("large", "search"),
    ]  # fmt: skip
    assert {n: [(r.key, r.config, r.cpu_ms) for r in results] for n, results in rows.items()} == {
        1000: [("list", "cold, N=1000", 100.0), ("search", "cold, N=1000", 100.0)],
        10000: [("list", "cold, N=10000", 100.0), ("search", "cold, N=10000", 100.0)],
    }


def test_recording_replaces_only_the_generated_section(tmp_path, monkeypatch):
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\nNotes.\n\n<!-- bench:results:start -->\nold\n<!-- bench:results:end -->\n\nMore.\n"
    )
    monkeypatch.setattr(run, "DOC", doc)
    run.replace_section("results", "new table")
    run.replace_section("scale", "scale table")
    assert doc.read_text() == (
        "# Benchmarks\n\nNotes.\n\n<!-- bench:results:start -->\nnew table\n<!-- bench:results:end -->\n\n"
        "More.\n\n<!-- bench:scale:start -->\nscale table\n<!-- bench:scale:end -->\n"
    )


def test_postgresql_runs_keep_their_own_sections_and_verdicts_by_latency(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert (run.section_name("results"), run.database_label()) == ("results", "SQLite")
    assert run.judge_by_cpu(peak_load=99.0) is True
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench")
    assert run.section_name("results") == "results-postgresql"
    assert run.section_name("scale") == "scale-postgresql"
    assert run.database_label() == "PostgreSQL (DATABASE_URL)"
    # The app server's CPU leaves out PostgreSQL's, so a loaded machine does not switch to it.
    assert run.judge_by_cpu(peak_load=99.0) is False


def test_the_query_counter_reports_every_query_of_the_request(db):
    def view(request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.execute("SELECT 2")
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Bench-Queries"] == "2"


def test_the_project_itself_has_neither_api_v2_nor_the_query_header():
    assert "wagtail.api.v2" not in settings.INSTALLED_APPS
    assert "bench" not in settings.INSTALLED_APPS
    assert not any(m.startswith("bench.") for m in settings.MIDDLEWARE)
    try:
        match = resolve("/bench-v2/pages/")
    except Resolver404:
        return
    assert not match.func.__module__.startswith("wagtail.api")  # only Wagtail's page catch-all
