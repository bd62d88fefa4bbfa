"""Stored live-article counts per topic (``blog.topic_counts``): every change that moves a
count refreshes it, time passing an expiry or go-live date is read exactly, and a missing row
falls back to counting, so the API's ``article_count`` is never wrong."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog import selectors, topic_counts
from blog.models import ArticlePage, LiveArticleCount, Topic, TopicCount

pytestmark = pytest.mark.django_db


def stored() -> dict[str, tuple[int, object]]:
    return {
        c.topic.slug: (c.live_articles, c.valid_until) for c in TopicCount.objects.select_related("topic")
    }


def api_counts(client) -> dict[str, int]:
    return {t["slug"]: t["article_count"] for t in client.get("/api/v1/topics/").json()["results"]}


@pytest.fixture
def topics(db):
    for name in ("Anxiety", "Grief", "Sleep"):
        Topic.objects.create(name=name, slug=name.lower())


def test_publishing_counts_an_article_under_each_of_its_topics(client, topics, make_article, practice):
    make_article("Worry at night", topics=["Anxiety", "Sleep"])
    make_article("Draft grief", topics=["Grief", "Anxiety"], live=False)

    assert stored() == {"anxiety": (1, None), "sleep": (1, None), "grief": (0, None)}
    assert api_counts(client) == {"anxiety": 1, "sleep": 1}


def test_unpublishing_and_deleting_take_the_article_out(client, topics, make_article, practice):
    worry = make_article("Worry at night", topics=["Anxiety", "Sleep"])
    loss = make_article("After a loss", topics=["Grief", "Anxiety"])

    worry.unpublish()
    assert stored()["anxiety"] == (1, None)
    assert stored()["sleep"] == (0, None)

    ArticlePage.objects.get(pk=loss.pk).delete()
    assert stored()["anxiety"] == (0, None)
    assert stored()["grief"] == (0, None)
    assert api_counts(client) == {}


def test_retagging_a_live_article_moves_it_between_topics(client, topics, make_article, practice):
    article = make_article("Worry at night", topics=["Anxiety"])

    page = ArticlePage.objects.get(pk=article.pk)
    page.topics.set(["Sleep"])
    page.save_revision().publish()

    assert stored()["anxiety"] == (0, None)
    assert stored()["sleep"] == (1, None)
    assert api_counts(client) == {"sleep": 1}


def test_a_view_restriction_removes_every_article_under_it_and_lifting_it_restores_them(
    client, topics, make_article, practice, blog_index
):
    make_article("Worry at night", topics=["Anxiety"])
    make_article("After a loss", topics=["Grief"])

    restriction = PageViewRestriction.objects.create(
        page=blog_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert stored() == {"anxiety": (0, None), "grief": (0, None), "sleep": (0, None)}
    assert api_counts(client) == {}

    restriction.delete()
    assert api_counts(client) == {"anxiety": 1, "grief": 1}


def test_an_expiry_date_bounds_the_stored_count_and_passing_it_is_read_exactly(
    client, topics, make_article, practice
):
    make_article("Worry at night", topics=["Anxiety"])
    seasonal = make_article("Holiday stress", topics=["Anxiety"])
    expires = timezone.now() + timedelta(hours=1)
    seasonal.expire_at = expires
    seasonal.save(update_fields=["expire_at"], clean=False)

    assert stored()["anxiety"] == (2, expires)
    assert api_counts(client) == {"anxiety": 2}

    # An hour later, before anything refreshed the count: the API counts exactly.
    TopicCount.objects.filter(topic__slug="anxiety").update(valid_until=timezone.now() - timedelta(seconds=1))
    ArticlePage.objects.filter(pk=seasonal.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert api_counts(client) == {"anxiety": 1}


def test_a_scheduled_go_live_date_bounds_the_stored_count(client, topics, make_article, practice):
    soon = timezone.now() + timedelta(days=2)
    article = make_article("New year sleep", topics=["Sleep"])
    article.go_live_at = soon
    article.save(update_fields=["go_live_at"], clean=False)

    assert stored()["sleep"] == (0, soon)
    assert api_counts(client) == {}

    TopicCount.objects.filter(topic__slug="sleep").update(valid_until=timezone.now() - timedelta(seconds=1))
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=timezone.now() - timedelta(seconds=1))
    assert api_counts(client) == {"sleep": 1}


def test_a_missing_count_is_counted_exactly_in_one_more_query(client, topics, make_article, practice):
    make_article("Worry at night", topics=["Anxiety", "Sleep"])
    TopicCount.objects.filter(topic__slug="sleep").delete()

    with CaptureQueriesContext(connection) as fresh_and_missing:
        listed = selectors.topics_with_live_counts()
    assert [(t.slug, t.article_count) for t in listed] == [("anxiety", 1), ("sleep", 1)]
    assert len(fresh_and_missing) == 2

    topic_counts.refresh()
    with CaptureQueriesContext(connection) as all_fresh:
        selectors.topics_with_live_counts()
    assert len(all_fresh) == 1


def test_saving_a_draft_does_not_recount(topics, make_article):
    article = make_article("Worry at night", topics=["Anxiety"])
    before = TopicCount.objects.get(topic__slug="anxiety").refreshed_at

    page = ArticlePage.objects.get(pk=article.pk)
    page.title = "Worry at night, revisited"
    page.save_revision()

    assert TopicCount.objects.get(topic__slug="anxiety").refreshed_at == before


def test_the_command_recounts_after_writes_that_bypass_saves(topics, make_article):
    article = make_article("Worry at night", topics=["Anxiety"])
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    assert stored()["anxiety"] == (1, None)

    call_command("refresh_topic_counts", verbosity=0)

    assert stored()["anxiety"] == (0, None)


def test_the_article_list_total_comes_from_the_stored_counts_and_stays_exact(
    client, topics, make_article, practice
):
    make_article("Worry at night", topics=["Anxiety", "Sleep"])
    seasonal = make_article("Holiday stress", topics=["Anxiety"])
    make_article("Draft grief", topics=["Grief"], live=False)
    assert stored_total() == (2, None)

    # The stored total is what the list reports (here made different to prove it is read).
    LiveArticleCount.objects.filter(pk=1).update(live_articles=7)
    assert client.get("/api/v1/articles/").json()["count"] == 7
    assert client.get("/api/v1/articles/?topic=sleep").json()["count"] == 1

    # Filters the stored counts do not answer are counted.
    assert client.get("/api/v1/articles/?topic=sleep&topic=anxiety").json()["count"] == 2
    assert client.get("/api/v1/articles/?search=worry").json()["count"] == 1

    # A passed expiry makes the stored total stale: counted exactly again.
    LiveArticleCount.objects.filter(pk=1).update(valid_until=timezone.now() - timedelta(seconds=1))
    ArticlePage.objects.filter(pk=seasonal.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/articles/").json()["count"] == 1


def test_unpublishing_and_deleting_update_the_total(topics, make_article):
    worry = make_article("Worry at night", topics=["Anxiety"])
    loss = make_article("After a loss", topics=["Grief"])

    worry.unpublish()
    assert stored_total() == (1, None)
    ArticlePage.objects.get(pk=loss.pk).delete()
    assert stored_total() == (0, None)


def stored_total() -> tuple[int, object]:
    row = LiveArticleCount.objects.get(pk=1)
    return row.live_articles, row.valid_until


def test_counts_are_taken_again_once_the_writer_commits(
    topics, make_article, django_capture_on_commit_callbacks
):
    # Another process's publish, committed while this one counted, would otherwise be lost
    # when this one writes its (older) count last: here simulated by a count gone wrong.
    with django_capture_on_commit_callbacks(execute=True):
        make_article("Worry at night", topics=["Anxiety"])
        TopicCount.objects.filter(topic__slug="anxiety").update(live_articles=5)
        LiveArticleCount.objects.filter(pk=1).update(live_articles=5)

    assert stored()["anxiety"] == (1, None)
    assert stored_total() == (1, None)
