"""An article is indexed for search once per save, after its topics are stored."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch import index

from blog.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_publishing_indexes_the_article_once_with_the_topics_it_was_given(make_article, client, monkeypatch):
    indexed = []
    original = index.insert_or_update_object

    def record(instance):
        if isinstance(instance, ArticlePage):
            indexed.append(sorted(t.name for t in instance.topics.all()))
        return original(instance)

    monkeypatch.setattr(index, "insert_or_update_object", record)
    article = make_article("Chronic stress", topics=["Burnout"], live=False)
    indexed.clear()

    page = ArticlePage.objects.get(pk=article.pk)
    page.topics.add("Insomnia")
    page.save_revision().publish()

    assert indexed == [["Burnout", "Insomnia"]]
    found = client.get("/api/v1/articles/", {"search": "insomnia"}).json()
    assert [a["slug"] for a in found["results"]] == ["chronic-stress"]


def test_a_deleted_article_leaves_the_search_index(make_article):
    entries = apps.get_model("wagtailsearch", "IndexEntry").objects
    article = make_article("Chronic stress", topics=["Burnout"])
    assert entries.filter(object_id=str(article.pk)).exists()

    ArticlePage.objects.get(pk=article.pk).delete()

    assert not entries.filter(object_id=str(article.pk)).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend only")
def test_postgresql_search_filters_on_the_indexed_expression(make_article):
    """The backend filters on ``(title || body) @@ query``; migration blog 0013 indexes exactly
    that expression, so matches come from the index instead of a scan of every entry. If a
    backend upgrade changes the expression, this fails and the index must follow it."""
    from blog.selectors import search_articles

    make_article("Kestrels and calm", topics=["Stress"])
    with CaptureQueriesContext(connection) as ctx:
        found = [a.slug for a in search_articles(ArticlePage.objects.searchable(), "kestrels")]
    assert found == ["kestrels-and-calm"]
    search_sql = next(q["sql"] for q in ctx.captured_queries if "@@" in q["sql"])
    assert '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@' in search_sql
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'blog_search_title_body_gin'")
        (definition,) = cursor.fetchone()
        cursor.execute(
            "SELECT attstattarget FROM pg_attribute"
            " WHERE attrelid = 'blog_search_title_body_gin'::regclass AND attnum = 1"
        )
        (statistics_target,) = cursor.fetchone()
    assert definition.endswith("ON public.wagtailsearch_indexentry USING gin (((title || body)))")
    assert statistics_target == 10000
