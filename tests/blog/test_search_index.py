"""The search index of public articles (``blog.search_index``, SQLite) and the
``PublicArticle`` rows it follows (``blog.topic_counts``, every database): what a search
finds and counts follows every publish, unpublish, restriction, deletion and reindex, and
time passing an expiry or go-live date is counted exactly."""

from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.search.index import insert_or_update_object

from blog import search_index, selectors, topic_counts
from blog.models import ArticlePage, LiveArticleCount, PublicArticle

pytestmark = pytest.mark.django_db

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the index of public articles is SQLite's (FTS5)"
)


def index_rows() -> dict[str, str]:
    """Title → state of every row of the index of public articles."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT title, state FROM {search_index.TABLE}")  # noqa: S608
        return dict(cursor.fetchall())


def public_titles() -> set[str]:
    return set(
        ArticlePage.objects.filter(pk__in=PublicArticle.objects.values("pk")).values_list("title", flat=True)
    )


def found(client, query: str) -> tuple[int, list[str]]:
    data = client.get("/api/v1/articles/", {"search": query}).json()
    return data["count"], [a["title"] for a in data["results"]]


def test_public_articles_are_the_published_unexpired_unrestricted_ones(make_article, blog_index):
    make_article("Worry at night")
    make_article("Draft on grief", live=False)
    make_article("Old seasonal piece", expire_at=timezone.now() - timedelta(days=1))

    assert public_titles() == {"Worry at night"}


@sqlite_only
def test_publishing_makes_an_article_public_in_the_index_and_unpublishing_hides_it(
    client, make_article, practice
):
    worry = make_article("Worry at night")
    make_article("Draft on worry", live=False)

    assert index_rows() == {"Worry at night": "public", "Draft on worry": "hidden"}
    assert found(client, "worry") == (1, ["Worry at night"])

    worry.unpublish()
    assert index_rows() == {"Worry at night": "hidden", "Draft on worry": "hidden"}
    assert found(client, "worry") == (0, [])

    ArticlePage.objects.get(pk=worry.pk).save_revision().publish()
    assert index_rows()["Worry at night"] == "public"
    assert found(client, "worry") == (1, ["Worry at night"])


@sqlite_only
def test_republished_text_replaces_the_old_text(client, make_article, practice):
    article = make_article("Worry at night")
    page = ArticlePage.objects.get(pk=article.pk)
    page.title, page.excerpt = "Sleepless thoughts", "When the mind will not rest."
    page.save_revision().publish()

    assert index_rows() == {"Sleepless thoughts": "public"}
    assert found(client, "sleepless") == (1, ["Sleepless thoughts"])
    assert found(client, "worry") == (0, [])


@sqlite_only
def test_an_index_entry_written_by_the_worker_reaches_the_index(make_article):
    """Wagtail writes its index from a task with ``update()``, which sends no signal: the
    triggers follow the entry itself."""
    article = make_article("Worry at night")
    ArticlePage.objects.filter(pk=article.pk).update(title="Night worries, revisited")

    insert_or_update_object(ArticlePage.objects.get(pk=article.pk))

    assert index_rows() == {"Night worries, revisited": "public"}


@sqlite_only
def test_a_view_restriction_hides_its_section_and_lifting_it_shows_it_again(
    client, make_article, practice, blog_index
):
    make_article("Worry at night")
    restriction = PageViewRestriction.objects.create(
        page=blog_index, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert index_rows() == {"Worry at night": "hidden"}
    assert found(client, "worry") == (0, [])

    restriction.delete()
    assert index_rows() == {"Worry at night": "public"}
    assert found(client, "worry") == (1, ["Worry at night"])


@sqlite_only
def test_a_deleted_article_leaves_the_index(make_article):
    worry = make_article("Worry at night")
    make_article("After a loss")

    ArticlePage.objects.get(pk=worry.pk).delete()

    assert index_rows() == {"After a loss": "public"}
    assert public_titles() == {"After a loss"}


@sqlite_only
def test_the_total_is_one_query_while_the_public_rows_are_exactly_the_visible_articles(make_article):
    for title in ("Worry at night", "Worry at work", "After a loss"):
        make_article(title)

    with CaptureQueriesContext(connection) as queries:
        total = selectors.search_total("worry")

    assert total == 2
    assert len(queries) == 1
    assert "count(*)" in queries[0]["sql"]


def test_an_expiry_passing_is_counted_exactly_before_anything_refreshes(client, make_article, practice):
    make_article("Worry at night")
    seasonal = make_article("Holiday worry")
    expires = timezone.now() + timedelta(hours=1)
    seasonal.expire_at = expires
    seasonal.save(update_fields=["expire_at"], clean=False)

    assert LiveArticleCount.objects.get().public_exact_until == expires
    assert found(client, "worry")[0] == 2

    # Two hours later, before ``publish_scheduled`` unpublished it: still a public row, but
    # neither counted nor listed.
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert found(client, "worry") == (1, ["Worry at night"])
        assert selectors.search_total("worry") == 1


def test_a_published_article_scheduled_for_later_is_counted_once_its_date_passes(
    client, make_article, practice
):
    make_article("Worry at night")
    soon = timezone.now() + timedelta(days=2)
    scheduled = make_article("New year worry")
    scheduled.go_live_at = soon
    scheduled.save(update_fields=["go_live_at"], clean=False)

    # A public row already (time alone will show it), but not visible yet.
    assert public_titles() == {"Worry at night", "New year worry"}
    assert LiveArticleCount.objects.get().public_exact_from == soon
    assert found(client, "worry") == (1, ["Worry at night"])

    with mock.patch("django.utils.timezone.now", return_value=soon + timedelta(minutes=1)):
        assert found(client, "worry") == (2, ["New year worry", "Worry at night"])
        with CaptureQueriesContext(connection) as queries:
            assert selectors.search_total("worry") == 2
        if connection.vendor == "sqlite":
            assert len(queries) == 1  # exact again: the stored bounds say so


def test_a_missing_count_row_still_counts_exactly(client, make_article, practice):
    make_article("Worry at night")
    make_article("Draft on worry", live=False)
    LiveArticleCount.objects.all().delete()

    assert found(client, "worry") == (1, ["Worry at night"])


@sqlite_only
def test_migrating_an_existing_site_fills_the_index_from_wagtails(make_article):
    make_article("Worry at night")
    make_article("Draft on worry", live=False)
    editor = SimpleNamespace(connection=connection, execute=lambda sql: connection.cursor().execute(sql))

    search_index.drop(None, editor)
    search_index.create(None, editor)

    assert index_rows() == {"Worry at night": "public", "Draft on worry": "hidden"}


def test_refreshing_writes_only_the_rows_that_changed(make_article):
    make_article("Worry at night")
    make_article("After a loss")
    make_article("Draft on worry", live=False)

    with CaptureQueriesContext(connection) as queries:
        topic_counts.refresh_total(after_commit=False)

    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "DELETE"))]
    # Nothing changed: only the count row is written (an upsert).
    assert not any("blog_publicarticle" in sql for sql in writes)
    assert public_titles() == {"Worry at night", "After a loss"}


def test_a_search_is_words_of_letters_and_digits_never_query_syntax():
    assert selectors.search_words('Self_care "after" 2 AND*  Trauma-informed') == [
        "self",
        "care",
        "after",
        "2",
        "and",
        "trauma",
        "informed",
    ]
    assert selectors.search_words("_ * ()") == []
    assert len(selectors.search_words(" ".join(f"w{i}" for i in range(40)))) == selectors.MAX_SEARCH_WORDS


@sqlite_only
def test_words_joined_by_an_underscore_are_searched_as_words_not_as_a_phrase(client, make_article, practice):
    """The index keeps no word positions: a phrase would be an FTS5 error (a 500)."""
    make_article("Self care after a loss")

    assert found(client, "self_care") == (1, ["Self care after a loss"])
    assert found(client, "care_self") == (1, ["Self care after a loss"])
