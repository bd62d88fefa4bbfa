"""Fixtures for publishing tests: a real HTTP receiver on 127.0.0.1 and webhook endpoints."""

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from publishing.models import EVENT_NAMES, WebhookEndpoint
from tests.conftest import closed_port

API_DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


class Receiver:
    """Records every POST and answers with scripted status codes (then 200)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/revalidate"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def payloads(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def closed_port_url():
    """A URL on 127.0.0.1 where nothing listens."""
    return f"http://127.0.0.1:{closed_port()}/hooks"


@pytest.fixture
def endpoint(db, receiver):
    return WebhookEndpoint.objects.create(
        name="Frontend revalidation", url=receiver.url, secret="s3cret-for-tests", events=EVENT_NAMES
    )


@pytest.fixture
def readme_receiver():
    """The Python receiver sample from docs/api.md, executed, so the docs cannot rot."""
    text = API_DOCS.read_text()
    match = re.search(r"```python\n(# Sample webhook receiver.*?)```", text, re.S)
    assert match, "docs/api.md must contain the Python webhook receiver sample"
    namespace: dict = {}
    exec(compile(match.group(1), "docs/api.md", "exec"), namespace)  # noqa: S102 - our own docs
    return namespace


@pytest.fixture
def fake_dns(monkeypatch):
    """Answers for chosen host names (a list per name: one answer per lookup, the last repeats);
    other names go to the real resolver. Records every lookup of a chosen name."""
    answers: dict[str, list[list[str]]] = {}
    lookups: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            lookups.append(host)
            queue = answers[host]
            current = queue.pop(0) if len(queue) > 1 else queue[0]
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    socket.IPPROTO_TCP,
                    "",
                    (a, port or 0, 0, 0) if ":" in a else (a, port or 0),
                )
                for a in current
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


@pytest.fixture
def public_dns(fake_dns):
    """The test domains the admin tests type in resolve to a public address."""
    answers, _ = fake_dns
    for host in ("www.example-practice.test", "example.org", "frontend.example-practice.test"):
        answers[host] = [["93.184.215.14"]]
    return answers
