"""Page-number pagination (``api.pagination``): the total, the links and the pages past the
last, whether the total comes from the page itself (a short page is the last) or from a
count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LIST = "/api/v1/articles/"


@pytest.fixture
def five_articles(make_article, practice):
    return [make_article(f"Article {i}") for i in range(5)]


def page(client, query):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{LIST}?{query}")
    counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    return response, len(counts)


def test_every_page_carries_the_same_total_and_links(client, five_articles):
    first, counted = page(client, "page_size=2&ordering=title")
    assert first.status_code == 200 and counted == 1  # a full page: the total is counted
    assert {k: v for k, v in first.json().items() if k != "results"} == {
        "count": 5,
        "next": "http://testserver/api/v1/articles/?ordering=title&page=2&page_size=2",
        "previous": None,
    }
    second, _ = page(client, "page_size=2&ordering=title&page=2")
    assert {k: v for k, v in second.json().items() if k != "results"} == {
        "count": 5,
        "next": "http://testserver/api/v1/articles/?ordering=title&page=3&page_size=2",
        "previous": "http://testserver/api/v1/articles/?ordering=title&page_size=2",
    }
    last, counted = page(client, "page_size=2&ordering=title&page=3")
    assert counted == 0  # one article on a page of two: the last page, 2 × 2 + 1 in all
    assert last.json() == {
        "count": 5,
        "next": None,
        "previous": "http://testserver/api/v1/articles/?ordering=title&page=2&page_size=2",
        "results": [last.json()["results"][0]],
    }
    assert last.json()["results"][0]["title"] == "Article 4"


def test_a_full_last_page_is_counted_and_has_no_next_link(client, five_articles):
    response, counted = page(client, "page_size=5")
    assert counted == 1
    body = response.json()
    assert (body["count"], body["next"], body["previous"], len(body["results"])) == (5, None, None, 5)


def test_a_page_past_the_last_is_a_404_naming_how_many_pages_there_are(client, five_articles):
    response, counted = page(client, "page_size=2&page=4")
    assert response.status_code == 404
    assert counted == 1
    assert response.json() == {
        "error": {"code": "not_found", "message": "Page 4 does not exist; there are 3 pages."}
    }
    response, _ = page(client, "page_size=5&page=2")
    assert response.json()["error"]["message"] == "Page 2 does not exist; there are 1 pages."


def test_no_articles_is_an_empty_first_page_and_a_404_after_it(client, practice, blog_index):
    response, counted = page(client, "")
    assert counted == 0
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    response, _ = page(client, "page=2")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Page 2 does not exist; there are 1 pages."


def test_a_search_with_a_few_matches_is_not_counted(client, five_articles, make_article):
    make_article("Kestrel watching")
    response, counted = page(client, "search=kestrel")
    assert counted == 0
    body = response.json()
    assert (body["count"], [a["title"] for a in body["results"]]) == (1, ["Kestrel watching"])
