"""The related-articles ranking (``selectors.related_article_ids``): the editor's picks first,
then visible articles sharing the most topics, newest first among equals; never the article
itself, never a hidden one, however many topics it shares."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from blog import visibility
from blog.models import ArticlePage, ArticleTopic, BlogIndexPage
from blog.selectors import related_article_ids
from tests.conftest import article_maker

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def published_days_ago(article: ArticlePage, days: int) -> None:
    Page.objects.filter(pk=article.pk).update(first_published_at=NOW - timedelta(days=days))


def test_more_shared_topics_rank_first_then_the_newest_and_hidden_articles_never(make_article, home, author):
    article = make_article("Reader", topics=["Anxiety", "Sleep", "Grief"])
    three = make_article("Three shared", topics=["Anxiety", "Sleep", "Grief", "Stress"])
    two_old = make_article("Two shared old", topics=["Anxiety", "Sleep"])
    two_new = make_article("Two shared new", topics=["Sleep", "Grief"])
    one = make_article("One shared", topics=["Grief"])
    make_article("None shared", topics=["Stress"])
    published_days_ago(two_old, 30)
    published_days_ago(two_new, 2)
    # Hidden ones share all three topics: a draft, a scheduled one, one under a restricted parent.
    make_article("Draft", topics=["Anxiety", "Sleep", "Grief"], live=False)
    scheduled = make_article("Scheduled", topics=["Anxiety", "Sleep", "Grief"])
    Page.objects.filter(pk=scheduled.pk).update(go_live_at=NOW + timedelta(days=1))
    members = home.add_child(instance=BlogIndexPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    article_maker(members, author)("Members only", topics=["Anxiety", "Sleep", "Grief"])

    assert related_article_ids(article) == [three.pk, two_new.pk, two_old.pk, one.pk]
    assert related_article_ids(article, limit=2) == [three.pk, two_new.pk]


def test_picks_come_first_in_their_order_and_are_not_ranked_twice(make_article):
    first = make_article("First pick", topics=[])
    sharing = make_article("Shares and is picked", topics=["Anxiety"])
    other = make_article("Shares only", topics=["Anxiety"])
    article = make_article("Reader", topics=["Anxiety"], related=[first, sharing])

    assert related_article_ids(article) == [first.pk, sharing.pk, other.pk]


def test_the_ranking_is_two_queries_however_many_articles_share_a_topic(
    make_article, django_assert_num_queries
):
    article = make_article("Reader", topics=["Anxiety", "Sleep"])
    for number in range(12):
        make_article(f"Sharing {number}", topics=["Anxiety", "Sleep"][: 1 + number % 2])

    with django_assert_num_queries(2):
        ranked = related_article_ids(article)
    assert len(ranked) == 4


def test_the_ranking_agrees_with_the_rule_read_article_by_article(make_article, home, author):
    """Random topics, dates and hidden articles, ranked in the database and by hand from
    ``visibility.is_visible``: the same ids, best first."""
    rng = random.Random(16)
    names = ["Anxiety", "Sleep", "Grief", "Stress", "Trauma"]
    members = home.add_child(instance=BlogIndexPage(title="Members", slug="members"))
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    in_members = article_maker(members, author)
    articles = []
    for number in range(30):
        topics = rng.sample(names, rng.randint(0, 4))
        maker = in_members if number % 9 == 8 else make_article
        article = maker(f"Article {number}", topics=topics, live=number % 7 != 6)
        published_days_ago(article, rng.randint(0, 5))  # ties on the date too
        if number % 11 == 10:
            Page.objects.filter(pk=article.pk).update(expire_at=NOW - timedelta(hours=1))
        articles.append(article)
    topics_of = {
        pk: set(tags)
        for pk, tags in _group(ArticleTopic.objects.values_list("content_object_id", "tag_id")).items()
    }

    for article in articles:
        mine = topics_of.get(article.pk, set())
        candidates = [
            other
            for other in ArticlePage.objects.all()
            if other.pk != article.pk
            and mine & topics_of.get(other.pk, set())
            and visibility.is_visible(other)
        ]
        candidates.sort(
            key=lambda other: (
                -len(mine & topics_of[other.pk]),
                -(other.first_published_at.timestamp() if other.first_published_at else float("-inf")),
                -other.pk,
            )
        )
        assert related_article_ids(article) == [other.pk for other in candidates[:4]], article.title


def _group(pairs) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


def test_a_preview_ranks_by_the_topics_in_the_editor_not_the_stored_ones(make_article):
    sleep = make_article("About sleep", topics=["Sleep"])
    make_article("About anxiety", topics=["Anxiety"])
    article = make_article("Reader", topics=["Anxiety"])
    draft = ArticlePage.objects.get(pk=article.pk)
    draft.topics.set(["Sleep"])  # in the editor's form, not saved

    assert related_article_ids(draft, draft=True) == [sleep.pk]
    draft.topics.set([])
    assert related_article_ids(draft, draft=True) == []
