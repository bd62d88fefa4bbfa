"""Fixtures for readers' comments and consultation requests."""

import logging
import time
import uuid

import pytest

from readers import spam, throttle
from readers.models import Comment


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch):
    """Each test starts with no submissions counted: the cache (locmem, or Redis in CI's
    second pass) outlives tests, so each test counts under its own key prefix."""
    monkeypatch.setattr(throttle, "KEY_PREFIX", f"readers:throttle:test-{uuid.uuid4().hex}")
    throttle.reset_fallback()
    yield
    throttle.reset_fallback()


@pytest.fixture
def article(make_article, practice):
    """A live article that accepts comments."""
    return make_article("Coping with panic", slug="coping-with-panic")


@pytest.fixture
def closed_article(make_article, practice):
    return make_article("Grief at the holidays", slug="grief-at-the-holidays", comments_enabled=False)


@pytest.fixture
def draft_article(make_article, practice):
    return make_article("Draft thoughts", slug="draft-thoughts", live=False)


@pytest.fixture
def make_comment(article):
    def _make(body="A kind comment.", *, status=Comment.Status.APPROVED, on=None, **fields):
        fields.setdefault("name", "Alex")
        fields.setdefault("email", "alex.reader@example.org")
        return Comment.objects.create(article=on or article, body=body, status=status, **fields)

    return _make


@pytest.fixture
def started_token():
    """A fill-time token for an HTML form opened ``seconds_ago``."""

    def _token(form_name: str, seconds_ago: float = 30) -> str:
        return spam.make_started_token(form_name, now=time.time() - seconds_ago)

    return _token


@pytest.fixture
def valid_comment():
    return {
        "name": "Jordan",
        "email": "jordan.private@example.org",
        "website": "",
        "body": "This helped me understand my panic attacks. Thank you.",
    }


@pytest.fixture
def valid_consultation(practice):
    """A complete request; ``practice`` provides the locations (los-angeles, california)."""
    return {
        "name": "Sam Rivera",
        "email": "sam.rivera.private@example.org",
        "phone": "(310) 555-0199",
        "preferred_contact": "phone",
        "location": "los-angeles",
        "message": "I'd like to talk about anxiety at work.",
        "consent": True,
    }


@pytest.fixture
def log_records():
    """Every log record emitted during the test, at every level (works with ``-p no:logging``,
    unlike ``caplog``; test settings only let warnings through by default)."""
    records: list[logging.LogRecord] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    root = logging.getLogger()
    handler, previous = Collect(level=logging.DEBUG), root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield records
    root.removeHandler(handler)
    root.setLevel(previous)
