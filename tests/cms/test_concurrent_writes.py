"""Writes never fail on the embedded default: real processes, one SQLite file, all at once.

The project runs as `make run` runs it (``cms.devrun``: the dev server, the task worker and the
scheduler, each its own process on one SQLite database). While an editor submits articles
through the admin's own form and a clinician approves each one (which publishes it: the
clinical review), readers post comments through the API and the worker delivers a webhook for
every publish to a receiver in this test. Afterwards nothing said "database is
locked" (not in an answer, not in any process's output) and everything written is there: every
article live, every comment stored, every webhook delivered exactly once, no task failed.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.devrun import Launcher

REPO = Path(__file__).resolve().parents[2]
ARTICLES = 8
READERS = 4
COMMENTS_PER_READER = 12
SETTLE_TIMEOUT_S = 90
CLINICIAN = "daniel-ortiz"  # a demo clinician, in the Clinicians group
CLINICIAN_PASSWORD = "a-long-clinician-password"  # noqa: S105

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="tests the embedded SQLite default (its processes ignore DATABASE_URL): the SQLite pass runs it",
)


def free_port() -> int:
    """A free port: in TEST_PORT_RANGE (e.g. "8600-8619") when set, else one the OS picks."""
    ports = os.environ.get("TEST_PORT_RANGE")
    candidates = range(int(ports.split("-")[0]), int(ports.split("-")[1]) + 1) if ports else [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"No free port in {ports}.")


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver: remembers every delivery's event id and payload, answers 204."""

    received: list[dict] = []
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with self.lock:
            self.received.append({"id": self.headers["X-Webhook-Id"], "body": body})
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.received = []
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


PREPARE = """
import json
from django.core.management import call_command as run
run('migrate', interactive=False, verbosity=0)
run('load_demo_content', stdout=open('/dev/null', 'w'))
run('ensure_admin', stdout=open('/dev/null', 'w'))
from blog.models import Author, BlogIndexPage
from publishing.models import WebhookEndpoint
WebhookEndpoint.objects.create(name='Test receiver', url={url!r}, events=['page.published'])
print(json.dumps({{'blog': BlogIndexPage.objects.get().pk, 'author': Author.objects.order_by('pk')[0].pk}}))
"""


@pytest.fixture
def project(tmp_path, receiver):
    """The project as `make run` starts it, on a fresh SQLite database with the demo content."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    base = f"http://127.0.0.1:{port}"
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        VAR_DIR=str(tmp_path / "var"),
        PUBLIC_BASE_URL=base,
        WAGTAILADMIN_BASE_URL=base,
        TASKS_BACKEND="database",
        ADMIN_USERNAME="editor",
        ADMIN_PASSWORD="a-long-test-password",  # noqa: S106
        DEMO_CLINICIAN_PASSWORD=CLINICIAN_PASSWORD,
        COMMENT_THROTTLE_RATE="100000/60",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PYTHONUNBUFFERED="1",
    )
    prepared = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", PREPARE.format(url=receiver)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    ids = json.loads(prepared.stdout.strip().splitlines()[-1])
    output: list[str] = []
    launcher = Launcher(host="127.0.0.1", port=port, reload=False, env=env, out=output.append)
    try:
        launcher.start()
        yield {"base": base, "db": tmp_path / "var" / "db.sqlite3", "output": output, **ids}
    finally:
        launcher.stop()


class Editor:
    """The admin through HTTP, as a browser uses it: the login form, then the add-page form."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects()
        )

    def csrf(self) -> str:
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def log_in(self, username: str, password: str) -> None:
        self.request("/admin/login/")
        status, location, _ = self.request("/admin/login/", {"username": username, "password": password})
        assert (status, location) == (302, "/admin/"), "the editor could not log in"

    def submit_article(self, blog_id: int, author_id: int, number: int) -> tuple[int, str, str]:
        form = nested_form_data(
            {
                "title": f"Concurrent article {number}",
                "slug": f"concurrent-article-{number}",
                "excerpt": "Written while readers comment and webhooks go out.",
                "author": str(author_id),
                "body": streamfield(
                    [
                        ("heading", {"text": "Why it matters", "level": "2", "anchor": ""}),
                        ("paragraph", rich_text(f"<p>Paragraph of article {number}.</p>")),
                    ]
                ),
                "topics": "Stress",
                "related_picks": inline_formset([]),
                "comments_enabled": "on",
                "action-submit": "action-submit",
            }
        )
        return self.request(f"/admin/pages/add/blog/articlepage/{blog_id}/", form)

    def approve(self, db: Path, number: int) -> tuple[int, str, str]:
        """Approve the submitted article's clinical review task, as the dashboard's button does."""
        in_review = query(
            db,
            "SELECT p.slug, p.id, ws.current_task_state_id FROM wagtailcore_page p "
            "JOIN wagtailcore_workflowstate ws ON ws.object_id = CAST(p.id AS TEXT) "
            "WHERE ws.status = 'in_progress'",
        )
        [(page_id, task_state_id)] = [
            (p, t) for slug, p, t in in_review if slug == f"concurrent-article-{number}"
        ]
        return self.request(
            f"/admin/pages/workflow/action/{page_id}/approve/{task_state_id}/", {"comment": ""}
        )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post_comment(base: str, reader: int, number: int) -> tuple[int, str]:
    payload = {
        "name": f"Reader {reader}",
        "email": f"reader{reader}@example.org",
        "website": "",
        "body": f"Comment {number} from reader {reader}: this article helped me.",
    }
    request = urllib.request.Request(  # noqa: S310
        base + "/api/v1/articles/emotional-numbness/comments/",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def query(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(sql).fetchall()


def wait_for_the_worker(db: Path) -> None:
    """Until no task is waiting or running and no webhook is pending."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        busy = query(
            db, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
        )
        pending = query(db, "SELECT count(*) FROM publishing_webhookdelivery WHERE status = 'pending'")
        if busy == [(0,)] and pending == [(0,)]:
            return
        time.sleep(0.5)
    raise AssertionError(f"The worker did not finish within {SETTLE_TIMEOUT_S} s.")


def test_an_editor_readers_the_worker_and_the_scheduler_write_at_once_and_nothing_is_locked_or_lost(project):
    base, db = project["base"], project["db"]
    comments_before = query(db, "SELECT count(*) FROM readers_comment")[0][0]
    editor = Editor(base)
    editor.log_in("editor", "a-long-test-password")
    clinician = Editor(base)
    clinician.log_in(CLINICIAN, CLINICIAN_PASSWORD)

    def edit():
        answers = []
        for n in range(1, ARTICLES + 1):
            answers.append(editor.submit_article(project["blog"], project["author"], n))
            answers.append(clinician.approve(db, n))
        return answers

    def read_and_comment(reader):
        return [post_comment(base, reader, n) for n in range(COMMENTS_PER_READER)]

    with ThreadPoolExecutor(max_workers=1 + READERS) as pool:
        published = pool.submit(edit)
        commented = [pool.submit(read_and_comment, reader) for reader in range(READERS)]
        publish_answers = published.result()
        comment_answers = [answer for future in commented for answer in future.result()]

    for status, location, body in publish_answers[::2]:
        assert "database is locked" not in body
        # The admin's answer to a successful submission: back to the blog's page listing.
        assert (status, location) == (302, f"/admin/pages/{project['blog']}/"), body[:2000]
    for status, location, body in publish_answers[1::2]:
        assert "database is locked" not in body
        # The answer to an approval: the article's edit view.
        assert status == 302 and re.fullmatch(r"/admin/pages/\d+/edit/", location), (location, body[:2000])
    assert [status for status, _ in comment_answers] == [202] * READERS * COMMENTS_PER_READER, [
        body[:300] for status, body in comment_answers if status != 202
    ]
    wait_for_the_worker(db)

    # Nothing lost: every article live, every comment stored, every webhook delivered once.
    live = query(db, "SELECT slug FROM wagtailcore_page WHERE slug LIKE 'concurrent-article-%' AND live = 1")
    assert sorted(slug for (slug,) in live) == sorted(
        f"concurrent-article-{n}" for n in range(1, ARTICLES + 1)
    )
    comments = query(db, "SELECT count(*) FROM readers_comment")[0][0] - comments_before
    assert comments == READERS * COMMENTS_PER_READER
    deliveries = query(db, "SELECT event_id, status, attempts FROM publishing_webhookdelivery")
    assert len(deliveries) == ARTICLES
    assert {(status, attempts) for _, status, attempts in deliveries} == {("succeeded", 1)}
    received_ids = sorted(uuid.UUID(delivery["id"]) for delivery in Receiver.received)
    assert received_ids == sorted(uuid.UUID(event_id) for event_id, _, _ in deliveries)
    assert sorted(d["body"]["object"]["slug"] for d in Receiver.received) == sorted(slug for (slug,) in live)
    assert query(
        db, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status != 'SUCCESSFUL'"
    ) == [(0,)]
    # The scheduler ran beside them and recorded a run of every job.
    assert query(db, "SELECT name, last_succeeded FROM publishing_scheduledjobrun ORDER BY name") == [
        *sorted((job["name"], 1) for job in settings.SCHEDULED_COMMANDS),
    ]

    output = "\n".join(project["output"])
    assert not re.search(r"database (table )?is locked", output, re.IGNORECASE), output[-5000:]
    assert "Traceback" not in output, output[-5000:]
