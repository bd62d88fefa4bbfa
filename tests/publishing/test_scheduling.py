"""Scheduled go-live and expiry: invisible until ``publish_scheduled`` runs after the time."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog.models import ArticlePage


@pytest.fixture
def clock(monkeypatch):
    """Move "now" forward (every timezone.now() caller sees it: Wagtail, selectors, the API)."""
    real_now = timezone.now

    def advance(delta: timedelta):
        target = real_now() + delta
        monkeypatch.setattr(timezone, "now", lambda: target)

    return advance


def publish_scheduled() -> str:
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue()


def api_slugs(client) -> list[str]:
    return [a["slug"] for a in client.get("/api/v1/articles/").json()["results"]]


def test_an_article_scheduled_to_go_live_is_invisible_until_publish_scheduled_runs(
    client, make_article, clock, django_capture_on_commit_callbacks, endpoint, receiver
):
    make_article("Already live")
    article = make_article("Coming soon", live=False)
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save_revision().publish()  # approved, scheduled: not live yet
    receiver.requests.clear()

    assert not ArticlePage.objects.get(pk=article.pk).live
    assert api_slugs(client) == ["already-live"]
    assert client.get("/api/v1/articles/coming-soon/").status_code == 404
    assert client.get("/blog/coming-soon/").status_code == 404

    clock(timedelta(minutes=30))  # not yet
    publish_scheduled()
    assert api_slugs(client) == ["already-live"]

    clock(timedelta(hours=1, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled()

    assert ArticlePage.objects.get(pk=article.pk).live
    assert api_slugs(client) == ["coming-soon", "already-live"]
    detail = client.get("/api/v1/articles/coming-soon/")
    assert (detail.status_code, detail.json()["title"]) == (200, "Coming soon")
    assert client.get("/blog/coming-soon/").status_code == 200
    assert [(p["event"], p["object"]["path"]) for p in receiver.payloads()] == [
        ("page.published", "/blog/coming-soon/")
    ]


def test_an_expired_article_disappears_and_publish_scheduled_unpublishes_it(
    client, make_article, clock, django_capture_on_commit_callbacks, endpoint, receiver
):
    article = make_article("Seasonal stress", expire_at=timezone.now() + timedelta(hours=1))
    receiver.requests.clear()
    assert api_slugs(client) == ["seasonal-stress"]

    clock(timedelta(hours=2))
    # Hidden from the public the moment it expires, before any command has run.
    assert api_slugs(client) == []
    assert client.get("/api/v1/articles/seasonal-stress/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled()

    stored = ArticlePage.objects.get(pk=article.pk)
    assert (stored.live, stored.expired) == (False, True)
    assert client.get("/blog/seasonal-stress/").status_code == 404
    [payload] = receiver.payloads()
    assert payload["event"] == "page.unpublished"
    assert payload["object"]["previous_path"] == "/blog/seasonal-stress/"
    assert {"/blog/", "/blog/seasonal-stress/"} <= set(payload["paths"])
