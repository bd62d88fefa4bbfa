"""A search's total is the number of its results; on PostgreSQL it is counted by our own query
(``blog.selectors.search.postgres_search_total``), which must be the backend's count."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, ArticleTopic, BlogIndexPage, StandardPage
from blog.selectors import search_articles
from tests.conftest import article_maker

pytestmark = pytest.mark.django_db

# query -> slugs found, sorted.
EXPECTED = {
    "kestrels": ["harriers-at-dusk", "kestrels-and-calm"],
    "kestrels dusk": ["harriers-at-dusk"],  # one word in the title, the other in the excerpt
    "calm Kestrels stress": ["kestrels-and-calm"],  # title, title, topic
    "dusk stress": [],
    "nowhere": [],
}
# PostgreSQL's English configuration drops stop words ("the") and stems ("kestrel").
POSTGRESQL = {"the kestrel": ["harriers-at-dusk", "kestrels-and-calm"]}

# (query, narrowing) -> slugs found, sorted: narrowed by topic or author as the API does.
NARROWED = {
    ("kestrels", "stress"): ["kestrels-and-calm"],
    ("kestrels", "daniel-ortiz"): ["harriers-at-dusk"],
    ("kestrels", "maya-chen"): ["kestrels-and-calm"],
    ("dusk", "stress"): [],
}


def narrowing(name: str) -> Q:
    if name == "stress":
        return Q(pk__in=ArticleTopic.objects.filter(tag__slug=name).values("content_object_id"))
    return Q(pk__in=ArticlePage.objects.filter(author__slug=name).values("pk"))


@pytest.fixture
def articles(make_article, reviewer, author, home):
    make_article("Kestrels and calm", topics=["Stress"])
    make_article("Harriers at dusk", excerpt="Kestrels hunt here too.", author=reviewer)
    # Hidden articles with the word, in every way an article can be hidden, and deleted ones:
    # found by neither the results nor the total.
    make_article("Kestrels in draft", live=False, topics=["Stress"])
    scheduled = make_article("Kestrels scheduled", topics=["Stress"])
    expired = make_article("Kestrels expired", author=reviewer)
    restricted = make_article("Kestrels restricted")
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    section = BlogIndexPage(title="Members", slug="members")
    home.add_child(instance=section)
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    article_maker(section, author)("Kestrels for members", topics=["Stress"])
    now = timezone.now()
    ArticlePage.objects.filter(pk=scheduled.pk).update(go_live_at=now + timedelta(days=2))
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=now - timedelta(days=1))
    make_article("Kestrels deleted", topics=["Stress"]).delete()
    gone = BlogIndexPage(title="Gone", slug="gone")
    home.add_child(instance=gone)
    article_maker(gone, author)("Kestrels gone with their section", topics=["Stress"])
    gone.delete()
    # Another page type with the word, indexed by Wagtail: never an article result.
    home.add_child(instance=StandardPage(title="Kestrels we have seen", slug="kestrels-seen"))


def test_the_total_is_the_number_of_results(articles):
    for query, slugs in EXPECTED.items():
        results = search_articles(ArticlePage.objects.searchable(), query)
        assert (sorted(a.slug for a in results), results.count()) == (slugs, len(slugs)), query


def test_a_narrowed_total_is_the_number_of_narrowed_results(articles):
    for (query, name), slugs in NARROWED.items():
        results = search_articles(ArticlePage.objects.searchable(), query, narrowing=narrowing(name))
        assert (sorted(a.slug for a in results), results.count()) == (slugs, len(slugs)), (query, name)


def test_the_api_narrows_results_and_total_alike(client, articles):
    for params, slugs in {
        (("search", "kestrels"), ("topic", "stress")): ["kestrels-and-calm"],
        (("search", "kestrels"), ("author", "daniel-ortiz")): ["harriers-at-dusk"],
        (("search", "kestrels"), ("topic", "stress"), ("author", "daniel-ortiz")): [],
    }.items():
        found = client.get("/api/v1/articles/", dict(params)).json()
        assert (found["count"], sorted(a["slug"] for a in found["results"])) == (len(slugs), slugs), params


def tsquery_text(sql: str) -> str:
    (text,) = re.findall(r"@@ \((?:SELECT )?to_tsquery\(('(?:[^']|'')*')\)", sql)
    return text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend only")
def test_postgresql_counts_the_entries_the_backends_query_matches_on_visible_pages(articles):
    """Our count counts the index entries of the model's content types that match the backend's
    expression and query text, ``to_tsquery(...)`` computed in a scalar subquery (decision
    0002), whose page is visible: the backend's total for every query, narrowed or not, other
    page types aside."""
    cases = {(query, None): slugs for query, slugs in {**EXPECTED, **POSTGRESQL}.items()} | NARROWED
    for (query, name), slugs in cases.items():
        results = search_articles(
            ArticlePage.objects.searchable(), query, narrowing=narrowing(name) if name else None
        )
        with CaptureQueriesContext(connection) as ours:
            total = results.count()
        with CaptureQueriesContext(connection) as backends:
            backend_total = results.results.count()
        assert (total, backend_total) == (len(slugs), len(slugs)), (query, name)
        (our_sql,) = [q["sql"] for q in ours.captured_queries if "COUNT(*)" in q["sql"]]
        (backend_sql,) = [q["sql"] for q in backends.captured_queries if "COUNT(*)" in q["sql"]]
        match = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@ ('
        assert f"{match}to_tsquery(" in backend_sql
        assert f"{match}SELECT to_tsquery(" in our_sql
        assert tsquery_text(our_sql) == tsquery_text(backend_sql), query
        (content_types,) = re.findall(r'"content_type_id" IN \([0-9, ]+\)', backend_sql)
        assert f'"wagtailsearch_indexentry".{content_types}' in our_sql
        assert our_sql.startswith('SELECT COUNT(*) AS "__count" FROM "wagtailsearch_indexentry" WHERE')


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend only")
def test_the_api_total_is_counted_by_our_query_in_the_same_number_of_queries(client, articles):
    with CaptureQueriesContext(connection) as ctx:
        found = client.get("/api/v1/articles/", {"search": "kestrels", "page_size": 1}).json()
    assert (found["count"], [a["slug"] for a in found["results"]]) == (2, ["harriers-at-dusk"])
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    assert "@@ (SELECT to_tsquery('''kestrels''')" in counts[0]


def plan(sql: str, params) -> str:
    """PostgreSQL's plan for ``sql`` with sequential scans priced out: an index the query's
    conditions cannot use still leaves a sequential scan in it."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    return text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes (blog 0016, 0017)")
def test_postgresql_can_read_hidden_pages_and_matched_articles_from_their_indexes(articles):
    """The hidden pages the total excludes are read from the partial index of pages that may
    be hidden (their condition implies its), never by reading the whole page table; the
    backend's results can look each match's article up by its key as text."""
    results = search_articles(ArticlePage.objects.searchable(), "kestrels")
    total_sql, total_params = results.total().query.sql_with_params()
    total_plan = plan(total_sql, total_params)
    assert "blog_page_may_be_hidden" in total_plan
    assert "Seq Scan on wagtailcore_page" not in total_plan.split("One-Time Filter")[0]
    # The backend's page query joins on this expression; the index is on exactly it.
    page_sql, _ = results.results.get_queryset().query.sql_with_params()
    key_as_text = '("blog_articlepage"."page_ptr_id")::varchar(50)'
    assert f'"wagtailsearch_indexentry"."object_id" = {key_as_text}' in page_sql
    lookup = f'SELECT 1 FROM "blog_articlepage" WHERE {key_as_text} = %s'  # noqa: S608
    assert "blog_article_key_as_object_id" in plan(lookup, ["1"])
