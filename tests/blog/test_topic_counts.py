"""Stored topic counts (blog.topic_counts, docs/decisions/0002): used while current, forgotten
by every change to public output, stored again after it commits, never wrong."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog import topic_counts
from blog.models import ArticlePage, Topic
from blog.selectors import live_counts, topics_with_live_counts

pytestmark = pytest.mark.django_db


def counts():
    return {t.slug: t.article_count for t in topics_with_live_counts()}


def test_a_publish_stores_the_counts_after_it_commits_and_readers_use_them(make_article, publish, client):
    make_article("Sleep and worry", topics=["Anxiety", "Sleep"])
    publish(make_article, "Panic at night", topics=["Anxiety"])

    stored = {t.slug: (t.counted_articles, t.counted_until is not None) for t in Topic.objects.all()}
    assert stored == {"anxiety": (2, True), "sleep": (1, True)}
    # The stored number is what readers get while it is current (here, made visibly wrong).
    Topic.objects.filter(slug="anxiety").update(counted_articles=7)
    assert counts() == {"anxiety": 7, "sleep": 1}
    topics = client.get("/api/v1/topics/").json()
    assert [(t["slug"], t["article_count"]) for t in topics["results"]] == [("anxiety", 7), ("sleep", 1)]


def test_a_change_forgets_the_counts_at_once_and_readers_count_live_until_the_refresh(make_article, publish):
    article = make_article("Sleep and worry", topics=["Anxiety", "Sleep"])
    publish(make_article, "Panic at night", topics=["Anxiety"])
    Topic.objects.filter(slug="anxiety").update(counted_articles=7)

    # Unpublishing inside a transaction whose commit has not run its callbacks yet.
    ArticlePage.objects.get(pk=article.pk).unpublish()

    assert set(Topic.objects.values_list("counted_until", flat=True)) == {None}
    assert counts() == {"anxiety": 1}
    assert live_counts(Topic.objects.values_list("pk", flat=True)) == {
        Topic.objects.get(slug="anxiety").pk: 1
    }
    topic_counts.refresh()
    assert dict(Topic.objects.values_list("slug", "counted_articles")) == {"anxiety": 1, "sleep": 0}


def test_a_count_computed_before_a_later_change_is_not_stored(make_article, monkeypatch):
    make_article("Sleep and worry", topics=["Sleep"])
    topic_counts.forget()
    real_next_change = topic_counts.next_change

    def change_meanwhile(now):
        topic_counts.forget()  # another transaction's change, between the count and the store
        return real_next_change(now)

    monkeypatch.setattr(topic_counts, "next_change", change_meanwhile)
    topic_counts.refresh()

    assert Topic.objects.get(slug="sleep").counted_until is None
    assert counts() == {"sleep": 1}


def test_a_stored_count_holds_until_the_next_expiry_then_is_counted_live(make_article):
    expires = timezone.now() + timedelta(hours=2)
    make_article("Sleep and worry", topics=["Sleep"], expire_at=expires)
    make_article("Rest", topics=["Sleep"])
    topic_counts.forget()
    topic_counts.refresh()
    topic = Topic.objects.get(slug="sleep")
    assert (topic.counted_articles, topic.counted_until) == (2, expires)

    # Once the expiry has passed, the same rows are counted from the pages (made visible by
    # moving the date back rather than the clock forward).
    ArticlePage.objects.filter(slug="sleep-and-worry").update(expire_at=timezone.now() - timedelta(seconds=1))
    Topic.objects.filter(pk=topic.pk).update(counted_until=timezone.now() - timedelta(seconds=1))
    assert counts() == {"sleep": 1}


def test_without_dates_ahead_a_count_is_recounted_within_a_day(make_article):
    make_article("Rest", topics=["Sleep"])
    topic_counts.forget()
    before = timezone.now()
    topic_counts.refresh()
    until = Topic.objects.get(slug="sleep").counted_until
    assert before + topic_counts.LONGEST <= until <= timezone.now() + topic_counts.LONGEST


def test_the_scheduled_count_topics_job_stores_counts_whose_day_is_over(make_article, settings):
    make_article("Sleep and worry", topics=["Anxiety", "Sleep"])
    make_article("Panic at night", topics=["Anxiety"])
    jobs = {e["name"]: e["command"] for e in settings.SCHEDULED_COMMANDS}
    assert jobs["count_topics"] == "count_topics"
    out = StringIO()
    call_command("count_topics", stdout=out)
    assert out.getvalue() == "Stored the counts of 2 topic(s).\n"
    assert dict(Topic.objects.values_list("slug", "counted_articles")) == {"anxiety": 2, "sleep": 1}
    assert all(until > timezone.now() for until in Topic.objects.values_list("counted_until", flat=True))

    out = StringIO()
    call_command("count_topics", stdout=out)
    assert out.getvalue() == "Every topic count is current.\n"
