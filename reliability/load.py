"""A small closed-loop load generator: N threads, each with one kept-alive HTTP connection,
issuing a weighted mix of reads and submissions against the app on the loopback interface.

Every request is recorded (start, end, method, kind, status) so the phases can say exactly
what happened around a fault; every submission carries a unique marker so the database can be
checked afterwards for each one answered 202/201 (nothing lost, nothing duplicated).
"""

from __future__ import annotations

import http.client
import itertools
import json
import random
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Result:
    start: float
    end: float
    kind: str
    status: int  # 0: no HTTP answer (connection reset, timeout)
    marker: str = ""


@dataclass
class Target:
    host: str
    port: int
    articles: list[str]  # slugs of live articles
    commentable: list[str]  # slugs of live articles with comments on
    locations: list[str]  # location slugs for consultation requests
    run_id: str
    pages: int = 1  # pages of the article list at the default page size


# (kind, weight): what readers and the frontend do, with submissions over-represented so a
# minute of load writes a few thousand rows.
MIX = [
    ("api-list", 22),
    ("api-detail", 22),
    ("api-topics", 8),
    ("api-site", 5),
    ("api-comments", 8),
    ("api-resolve", 5),
    ("html-article", 10),
    ("comment", 17),
    ("consultation", 3),
]

_client_numbers = itertools.count(1)
_markers = itertools.count(1)


def fresh_client_address() -> str:
    """A distinct client address per submission (sent as X-Forwarded-For, as a load balancer
    would), so the per-client throttle does not turn the load test into a throttle test."""
    n = next(_client_numbers)
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def request(conn: http.client.HTTPConnection, method: str, path: str, body: dict | None, headers: dict):
    data = json.dumps(body).encode() if body is not None else None
    hdrs = {"Accept": "application/json", **headers}
    if data is not None:
        hdrs["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=hdrs)
    response = conn.getresponse()
    payload = response.read()
    return response.status, payload


def build(kind: str, target: Target, rng: random.Random) -> tuple[str, str, dict | None, dict, str]:
    """(method, path, body, headers, marker) for one request of ``kind``."""
    slug = rng.choice(target.articles)
    if kind == "api-list":
        # Only existing pages: a page past the last one is a 400 by contract.
        return "GET", f"/api/v1/articles/?page={rng.randint(1, target.pages)}", None, {}, ""
    if kind == "api-detail":
        return "GET", f"/api/v1/articles/{slug}/", None, {}, ""
    if kind == "api-topics":
        return "GET", "/api/v1/topics/", None, {}, ""
    if kind == "api-site":
        return "GET", "/api/v1/site/", None, {}, ""
    if kind == "api-comments":
        return "GET", f"/api/v1/articles/{slug}/comments/", None, {}, ""
    if kind == "api-resolve":
        return "GET", f"/api/v1/resolve/?path=/blog/{slug}/", None, {}, ""
    if kind == "html-article":
        return "GET", f"/blog/{slug}/", None, {"Accept": "text/html"}, ""
    marker = f"{target.run_id}m{next(_markers)}z"
    headers = {"X-Forwarded-For": fresh_client_address()}
    if kind == "comment":
        body = {
            "name": "Load test reader",
            "email": f"reader-{marker}@load.example",
            "body": f"Thank you, this helped me a lot. Reference {marker}.",
        }
        return "POST", f"/api/v1/articles/{rng.choice(target.commentable)}/comments/", body, headers, marker
    body = {
        "name": "Load test client",
        "email": f"client-{marker}@load.example",
        "consent": True,
        "preferred_contact": "email",
        "location": rng.choice(target.locations) if target.locations else None,
        "message": f"I would like to talk about anxiety. Reference {marker}.",
    }
    if body["location"] is None:
        del body["location"]
    return "POST", "/api/v1/consultation-requests/", body, headers, marker


@dataclass
class Load:
    """Runs the mix from ``connections`` threads until ``stop()``; results in ``results``."""

    target: Target
    connections: int
    seed: int = 1
    results: list[Result] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        for n in range(self.connections):
            rng = random.Random(self.seed * 1000 + n)
            thread = threading.Thread(target=self._worker, args=(rng, kinds, weights), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _worker(self, rng: random.Random, kinds: list[str], weights: list[int]) -> None:
        conn = http.client.HTTPConnection(self.target.host, self.target.port, timeout=30)
        while not self._stop.is_set():
            kind = rng.choices(kinds, weights)[0]
            method, path, body, headers, marker = build(kind, self.target, rng)
            start = time.monotonic()
            try:
                status, _ = request(conn, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(self.target.host, self.target.port, timeout=30)
            with self._lock:
                self.results.append(Result(start, time.monotonic(), kind, status, marker))
        conn.close()

    def stop(self) -> list[Result]:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return self.results
