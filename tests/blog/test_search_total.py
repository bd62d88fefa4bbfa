"""A search's total is the number of its results; on PostgreSQL it is counted by our own query
(``blog.selectors.search.postgres_search_total``), which must be the backend's count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import ArticlePage
from blog.selectors import search_articles

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


@pytest.fixture
def articles(make_article):
    make_article("Kestrels and calm", topics=["Stress"])
    make_article("Harriers at dusk", excerpt="Kestrels hunt here too.")
    make_article("Kestrels in draft", live=False)


def test_the_total_is_the_number_of_results(articles):
    for query, slugs in EXPECTED.items():
        results = search_articles(ArticlePage.objects.searchable(), query)
        assert (sorted(a.slug for a in results), results.count()) == (slugs, len(slugs)), query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend only")
def test_postgresql_counts_with_the_backends_query_computed_once_before_planning(articles):
    """Our count is the backend's count query with one difference: ``to_tsquery(...)`` is a
    scalar subquery, so the planner takes the matches from the GIN index instead of testing
    every entry (decision 0002). Same SQL otherwise, hence the same total."""
    for query, slugs in {**EXPECTED, **POSTGRESQL}.items():
        results = search_articles(ArticlePage.objects.searchable(), query)
        with CaptureQueriesContext(connection) as ours:
            total = results.count()
        with CaptureQueriesContext(connection) as backends:
            backend_total = results.results.count()
        assert (total, backend_total) == (len(slugs), len(slugs)), query
        (our_sql,) = [q["sql"] for q in ours.captured_queries if "COUNT(*)" in q["sql"]]
        (backend_sql,) = [q["sql"] for q in backends.captured_queries if "COUNT(*)" in q["sql"]]
        assert "@@ (to_tsquery(" in backend_sql
        assert our_sql == backend_sql.replace("@@ (to_tsquery(", "@@ (SELECT to_tsquery("), query


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search backend only")
def test_the_api_total_is_counted_by_our_query_in_the_same_number_of_queries(client, articles):
    with CaptureQueriesContext(connection) as ctx:
        found = client.get("/api/v1/articles/", {"search": "kestrels", "page_size": 1}).json()
    assert (found["count"], [a["slug"] for a in found["results"]]) == (2, ["harriers-at-dusk"])
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"]]
    assert len(counts) == 1
    assert "@@ (SELECT to_tsquery('''kestrels''')" in counts[0]
