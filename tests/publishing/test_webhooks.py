"""Webhooks: signed deliveries to a real HTTP server, retries, and publishing that never fails."""

import io
import json

import pytest
from django.core.management import call_command
from wagtail.models import Page

from blog.models import ArticlePage, Author, PracticeSettings, StandardPage
from publishing.models import WebhookDelivery, WebhookEndpoint


def test_a_published_article_reaches_the_receiver_signed_with_its_affected_paths(
    endpoint, receiver, readme_receiver, make_article, publish, reviewer
):
    related = make_article("Sleep and worry")
    article = make_article("Chronic stress", topics=["Stress"], reviewer=reviewer, live=False)
    related.related_picks.create(article=article)
    related.save_revision().publish()
    receiver.requests.clear()

    publish(article.save_revision().publish)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    body = request["body"]
    headers = request["headers"]
    assert readme_receiver["verify_signature"]("s3cret-for-tests", body, headers["X-Webhook-Signature"])
    assert not readme_receiver["verify_signature"]("another-secret", body, headers["X-Webhook-Signature"])
    assert not readme_receiver["verify_signature"](
        "s3cret-for-tests", body + b" ", headers["X-Webhook-Signature"]
    )
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Webhook-Event"] == "page.published"
    payload = json.loads(body)
    assert headers["X-Webhook-Id"] == payload["id"]
    assert payload == {
        "id": payload["id"],
        "event": "page.published",
        "occurred_at": payload["occurred_at"],
        "object": {
            "type": "page",
            "id": article.pk,
            "content_type": "blog.articlepage",
            "title": "Chronic stress",
            "slug": "chronic-stress",
            "path": "/blog/chronic-stress/",
            "previous_path": None,
        },
        "paths": [
            "/",
            "/blog/",
            "/blog/authors/daniel-ortiz/",
            "/blog/authors/maya-chen/",
            "/blog/chronic-stress/",
            "/blog/feed/atom/",
            "/blog/feed/rss/",
            "/blog/sleep-and-worry/",
            "/blog/topics/stress/",
            "/blog/topics/stress/feed/atom/",
            "/blog/topics/stress/feed/rss/",
            "/sitemap.xml",
        ],
    }
    delivery = WebhookDelivery.objects.get(event_id=payload["id"])
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "succeeded",
        1,
        200,
        "",
    )
    assert delivery.endpoint == endpoint


def test_a_delivery_the_receiver_refuses_is_retried_until_accepted(
    endpoint, receiver, make_article, publish, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    article = make_article("Grief", live=False)
    receiver.statuses = [500]

    publish(article.save_revision().publish)

    assert [json.loads(r["body"])["event"] for r in receiver.requests] == ["page.published"] * 2
    assert [r["headers"]["X-Webhook-Attempt"] for r in receiver.requests] == ["1", "2"]
    assert receiver.requests[0]["headers"]["X-Webhook-Id"] == receiver.requests[1]["headers"]["X-Webhook-Id"]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 2, 200)
    assert [(a["attempt"], a["status_code"], a["error"]) for a in delivery.attempt_log] == [
        (1, 500, "HTTP 500 Internal Server Error"),
        (2, 200, ""),
    ]


def test_publishing_never_fails_when_the_receiver_is_down(
    db, closed_port_url, make_article, publish, settings
):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    WebhookEndpoint.objects.create(name="Down", url=closed_port_url, events=["page.published"])
    article = make_article("Burnout", live=False)

    publish(article.save_revision().publish)

    assert ArticlePage.objects.get(pk=article.pk).live
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, None)
    assert delivery.last_error == "The connection failed."
    assert len(delivery.attempt_log) == 3


def test_retries_are_deferred_with_exponential_backoff(db, closed_port_url, settings):
    from publishing.tasks import retry_delay

    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_queued_webhooks(endpoint, receiver, make_article, publish, settings):
    """With django-tasks-db (dev and production), publishing only queues; the worker sends."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    article = make_article("Panic attacks", live=False)
    receiver.requests.clear()
    receiver.statuses = [503]

    WebhookDelivery.objects.all().delete()  # earlier events of the fixtures (author created…)

    publish(article.save_revision().publish)

    assert receiver.requests == []
    assert WebhookDelivery.objects.get().status == "pending"
    call_command("db_worker", batch=True, startup_delay=False, queue_name="*", verbosity=0)

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    assert [r["headers"]["X-Webhook-Attempt"] for r in receiver.requests] == ["1", "2"]


def test_endpoints_receive_only_the_events_they_chose_and_only_while_active(
    db, receiver, make_article, publish
):
    WebhookEndpoint.objects.create(name="Unpublish only", url=receiver.url, events=["page.unpublished"])
    WebhookEndpoint.objects.create(name="Paused", url=receiver.url, events=["page.published"], active=False)
    article = make_article("Loneliness", live=False)

    publish(article.save_revision().publish)
    assert receiver.requests == []

    publish(ArticlePage.objects.get(pk=article.pk).unpublish)
    assert [p["event"] for p in receiver.payloads()] == ["page.unpublished"]
    assert receiver.payloads()[0]["object"]["previous_path"] == "/blog/loneliness/"
    assert "/blog/loneliness/" in receiver.payloads()[0]["paths"]


def test_a_slug_change_on_publish_sends_the_old_and_new_paths(endpoint, receiver, make_article, publish):
    article = make_article("Emotional numbness")
    receiver.requests.clear()

    article.slug = "feeling-numb"
    publish(article.save_revision().publish)

    events = {p["event"]: p for p in receiver.payloads()}
    assert sorted(events) == ["page.published", "page.slug_changed"]
    changed = events["page.slug_changed"]
    assert changed["object"]["path"] == "/blog/feeling-numb/"
    assert changed["object"]["previous_path"] == "/blog/emotional-numbness/"
    assert {"/blog/feeling-numb/", "/blog/emotional-numbness/"} <= set(changed["paths"])


def test_deleting_a_live_article_sends_page_deleted(endpoint, receiver, make_article, publish):
    article = make_article("Perfectionism", topics=["Anxiety"])
    receiver.requests.clear()

    publish(Page.objects.get(pk=article.pk).delete)

    [payload] = receiver.payloads()
    assert payload["event"] == "page.deleted"
    assert payload["object"]["previous_path"] == "/blog/perfectionism/"
    assert {"/blog/perfectionism/", "/blog/", "/blog/topics/anxiety/"} <= set(payload["paths"])


def test_moving_a_page_sends_page_moved_with_its_descendants(endpoint, receiver, home, publish):
    about = home.add_child(instance=StandardPage(title="About", slug="about"))
    team = about.add_child(instance=StandardPage(title="Team", slug="team"))
    fees = home.add_child(instance=StandardPage(title="Fees", slug="fees"))
    receiver.requests.clear()

    publish(Page.objects.get(pk=about.pk).move, fees, pos="last-child")

    [payload] = receiver.payloads()
    assert payload["event"] == "page.moved"
    assert payload["object"]["path"] == "/fees/about/"
    assert payload["object"]["previous_path"] == "/about/"
    assert {"/about/", "/about/team/", "/fees/about/", "/fees/about/team/"} <= set(payload["paths"])
    assert team.pk


def test_saving_an_author_sends_snippet_updated_with_their_pages(
    endpoint, receiver, make_article, publish, author
):
    make_article("Chronic stress")
    receiver.requests.clear()

    author.role = "Clinical Director"
    publish(author.save)

    [payload] = receiver.payloads()
    assert payload["event"] == "snippet.updated"
    assert payload["object"] == {
        "type": "snippet",
        "model": "blog.author",
        "id": author.pk,
        "slug": "maya-chen",
        "name": "Maya Chen",
        "action": "updated",
    }
    assert {"/blog/authors/maya-chen/", "/blog/chronic-stress/", "/blog/"} <= set(payload["paths"])
    assert Author.objects.count() == 1


def test_saving_site_settings_sends_settings_updated_for_every_path(
    endpoint, receiver, make_article, practice, publish
):
    make_article("Chronic stress")
    receiver.requests.clear()

    practice.tagline = "Therapy that meets you where you are"
    publish(practice.save)

    [payload] = receiver.payloads()
    assert payload["event"] == "settings.updated"
    assert payload["object"] == {"type": "settings", "model": "blog.practicesettings", "id": practice.pk}
    assert {"/", "/blog/", "/blog/chronic-stress/", "/blog/authors/maya-chen/"} <= set(payload["paths"])
    assert PracticeSettings.objects.count() == 1


def test_a_rolled_back_publish_sends_nothing(
    endpoint, receiver, make_article, django_capture_on_commit_callbacks
):
    article = make_article("Not for today", live=False)
    receiver.requests.clear()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article.save_revision().publish()

    # The callbacks exist but were never run (no commit): nothing was sent or recorded.
    assert callbacks
    assert receiver.requests == []
    assert WebhookDelivery.objects.count() == 0


def test_retry_webhooks_sends_pending_deliveries_the_queue_lost(endpoint, receiver):
    from datetime import timedelta

    from django.utils import timezone

    payload = {"id": "5d0f6c1e-0000-4000-8000-000000000001", "event": "page.published", "paths": ["/"]}
    old = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=payload["id"],
        event="page.published",
        payload=payload,
        created_at=timezone.now() - timedelta(minutes=10),
    )
    recent = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id=payload["id"], event="page.published", payload=payload
    )

    out = io.StringIO()
    call_command("retry_webhooks", stdout=out)

    assert receiver.payloads() == [payload]
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("succeeded", "pending")
    assert out.getvalue() == "Queued 1 pending deliveries.\n"


def test_a_delivery_to_a_refused_destination_is_not_sent_and_logs_no_probe_results(
    endpoint, receiver, make_article, publish, settings
):
    """An endpoint saved before the rules (or by code) to a loopback URL: production rules refuse
    it at delivery, and the log says why without a status, a socket error or a duration."""
    settings.OUTBOUND_HTTPS_ONLY = False
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    article = make_article("Loneliness", live=False)

    publish(article.save_revision().publish)

    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    message = "Destination refused: 127.0.0.1 is a loopback address, not a public internet address."
    assert (delivery.status, delivery.attempts, delivery.last_status_code, delivery.last_error) == (
        "failed",
        2,
        None,
        message,
    )
    assert [(a["status_code"], a["error"], a["duration_ms"]) for a in delivery.attempt_log] == [
        (None, message, None),
        (None, message, None),
    ]
