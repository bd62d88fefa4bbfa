"""blog.prepared: a queryset compiled once, run with each call's values."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import CharField, DateTimeField, F, IntegerField
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog import selectors
from blog.models import ArticlePage
from blog.prepared import ListParam, PreparedQuery

pytestmark = pytest.mark.django_db


def by_slug_query():
    return PreparedQuery(
        lambda p: (
            selectors.live_articles(now=p.now).select_related("author").filter(slug=p.slug).order_by("pk")[:1]
        ),
        now=DateTimeField(),
        slug=CharField(),
    )


def test_each_call_binds_its_own_values(make_article):
    first, second = make_article("First"), make_article("Second")
    query = by_slug_query()
    now = timezone.now()

    assert query.first(now=now, slug=first.slug) == first
    found = query.first(now=now, slug=second.slug)
    assert found == second
    assert isinstance(found, ArticlePage)
    assert query.first(now=now, slug="no-such-article") is None


def test_select_related_objects_come_with_the_row(make_article, author, django_assert_num_queries):
    article = make_article("Joined")
    query = by_slug_query()
    with django_assert_num_queries(1):
        found = query.first(now=timezone.now(), slug=article.slug)
        assert found.author.name == author.name


def test_the_sql_is_compiled_once(make_article):
    article = make_article("Compiled")
    query = by_slug_query()
    query.first(now=timezone.now(), slug=article.slug)
    template = query._template()
    query.first(now=timezone.now(), slug=article.slug)
    assert query._template() is template


def test_time_is_a_parameter_not_frozen_into_the_sql(make_article):
    """An article going live after the first call is found by a later one: ``now`` is bound
    per call, not compiled in."""
    article = make_article("Scheduled")
    article.go_live_at = timezone.now() + timedelta(hours=1)
    article.save(update_fields=["go_live_at"], clean=False)
    query = by_slug_query()

    assert query.first(now=timezone.now(), slug=article.slug) is None
    assert query.first(now=timezone.now() + timedelta(hours=2), slug=article.slug) == article


def test_list_parameters_expand_to_as_many_placeholders(make_article):
    articles = [make_article(f"Listed {n}") for n in range(3)]
    query = PreparedQuery(
        lambda p: ArticlePage.objects.filter(pk__in=p.ids).order_by("pk").values_list("slug", flat=True),
        ids=ListParam(IntegerField()),
    )
    assert query.all(ids=[articles[2].pk]) == [articles[2].slug]
    assert query.all(ids=[a.pk for a in articles]) == [a.slug for a in articles]
    assert query.all(ids=[articles[0].pk, 10**9]) == [articles[0].slug]


def test_an_empty_list_is_refused_rather_than_sent_as_bad_sql():
    query = PreparedQuery(lambda p: ArticlePage.objects.filter(pk__in=p.ids), ids=ListParam(IntegerField()))
    with pytest.raises(ValueError, match="'ids' is an empty list"):
        query.all(ids=[])


def test_a_missing_value_is_refused():
    with pytest.raises(TypeError, match="Missing prepared query parameters: slug"):
        by_slug_query().first(now=timezone.now())


def test_literal_percent_signs_are_not_placeholders(make_article):
    """A pattern lookup against a column compiles to ``LIKE '%%' || … || '%%'``: those are
    escaped percent signs, not parameters."""
    article = make_article("Percent")
    query = PreparedQuery(
        lambda p: ArticlePage.objects.filter(title__contains=F("title"), pk__in=p.ids).values_list(
            "pk", flat=True
        ),
        ids=ListParam(IntegerField()),
    )
    assert "%%" in query._template().sql
    assert query.all(ids=[article.pk, article.pk + 1000]) == [article.pk]


def test_runs_on_the_current_connection_and_counts_as_one_query(make_article):
    article = make_article("Counted")
    query = by_slug_query()
    with CaptureQueriesContext(connection) as captured:
        query.first(now=timezone.now(), slug=article.slug)
        query.first(now=timezone.now(), slug=article.slug)
    assert len(captured) == 2
    assert all(article.slug in q["sql"] for q in captured.captured_queries)
