"""Error reporting (ops/sentry.py): an error in a request reaches a real Sentry-protocol
receiver on 127.0.0.1 without the reader's email, body, cookies or address."""

from __future__ import annotations

import gzip
import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from wsgiref.util import setup_testing_defaults

import pytest
import sentry_sdk
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from ops.sentry import EMAIL_REPLACEMENT, init_sentry, scrub_event
from tests.ops.conftest import free_port

READER_EMAIL = "jane.reader@example.org"


@csrf_exempt
def failing_view(request):
    raise RuntimeError(f"Could not send the confirmation to {READER_EMAIL}")


def fine_view(request):
    return HttpResponse("ok")


urlpatterns = [path("boom/", failing_view), path("fine/", fine_view)]


class Receiver(BaseHTTPRequestHandler):
    """Sentry's envelope endpoint: keeps every event item it is sent."""

    events: list[dict] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        lines = body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                Receiver.events.append(json.loads(payload))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_receiver():
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    Receiver.events = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    init_sentry(
        dsn=f"http://publickey@127.0.0.1:{server.server_port}/1",
        environment="test",
        release="",
        traces_sample_rate=0.0,
    )
    yield Receiver.events
    sentry_sdk.get_client().close()
    # Reporting off again for the rest of the run, as when SENTRY_DSN is unset.
    sentry_sdk.get_global_scope().set_client(None)
    server.shutdown()
    server.server_close()


def wsgi_post(url: str, body: bytes, headers: dict[str, str]) -> str:
    """POST through Django's WSGI handler, as gunicorn calls it (where Sentry hooks in)."""
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "localhost",
        "REMOTE_ADDR": "203.0.113.9",
        **headers,
    }
    setup_testing_defaults(environ)
    statuses = []
    WSGIHandler()(environ, lambda status, response_headers, exc_info=None: statuses.append(status))
    return statuses[0]


@pytest.mark.urls("tests.ops.test_sentry")
@pytest.mark.django_db
def test_an_error_is_reported_without_personal_data(sentry_receiver):
    status = wsgi_post(
        "/boom/?email=jane.reader%40example.org",
        json.dumps({"email": READER_EMAIL, "message": "I feel numb"}).encode(),
        {
            "HTTP_COOKIE": "sessionid=secret-session",
            "HTTP_X_FORWARDED_FOR": "198.51.100.7",
            "HTTP_AUTHORIZATION": "Bearer token-123",
            "HTTP_USER_AGENT": "Firefox",
        },
    )
    sentry_sdk.flush(timeout=5)

    assert status.startswith("500")
    assert len(sentry_receiver) == 1
    event = sentry_receiver[0]
    sent = json.dumps(event)
    secrets = (READER_EMAIL, "jane.reader", "I feel numb", "secret-session", "203.0.113.9", "198.51.100.7")
    for secret in (*secrets, "token-123"):
        assert secret not in sent
    exception = event["exception"]["values"][-1]
    assert exception["value"] == f"Could not send the confirmation to {EMAIL_REPLACEMENT}"
    assert event["request"] == {
        "method": "POST",
        "url": "http://localhost/boom/",
        "headers": {
            "Content-Length": event["request"]["headers"]["Content-Length"],
            "Content-Type": "application/json",
            "Host": "localhost",
            "User-Agent": "Firefox",
        },
        "cookies": "[Filtered]",
        "query_string": "[Filtered]",
        "env": "[Filtered]",
    }
    assert "user" not in event
    assert all("vars" not in frame for frame in exception["stacktrace"]["frames"])


def test_the_scrubber_replaces_emails_anywhere_and_drops_bodies_and_cookies():
    event = {
        "message": "Signup by a.b+c@example.co.uk failed",
        "user": {"email": "x@example.com", "ip_address": "198.51.100.1"},
        "request": {
            "method": "POST",
            "url": "https://cms.example.org/api/v1/comments/",
            "data": {"email": "x@example.com"},
            "cookies": {"sessionid": "abc"},
            "query_string": "q=x@example.com",
            "env": {"REMOTE_ADDR": "198.51.100.1"},
            "headers": {"Cookie": "sessionid=abc", "User-Agent": "Firefox", "X-Real-Ip": "198.51.100.1"},
        },
        "extra": {"nested": [{"to": "x@example.com"}]},
        "breadcrumbs": {"values": [{"message": "mail to x@example.com"}]},
    }

    assert scrub_event(event) == {
        "message": "Signup by [email] failed",
        "request": {
            "method": "POST",
            "url": "https://cms.example.org/api/v1/comments/",
            "headers": {"User-Agent": "Firefox"},
            "data": "[Filtered]",
            "cookies": "[Filtered]",
            "query_string": "[Filtered]",
            "env": "[Filtered]",
        },
        "extra": {"nested": [{"to": "[email]"}]},
        "breadcrumbs": {"values": [{"message": "mail to [email]"}]},
    }


def test_reporting_is_off_without_a_dsn(settings):
    assert settings.SENTRY_DSN == ""
    assert sentry_sdk.get_client().is_active() is False
