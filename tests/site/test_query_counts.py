"""Rendered pages cost a fixed number of queries, however many articles they list."""

import pytest

# Measured with the crawl fixture's content (12 articles a page); a listing that queried per
# article would need 12+ more.
BUDGETS = {
    "/": 12,
    "/blog/": 14,
    "/blog/?page=2": 14,
    "/blog/topics/coping/": 8,
    "/blog/authors/maya-chen/": 10,
    "/about/": 8,
    "/blog/emotional-numbness/": 31,
    "/sitemap.xml": 8,
    "/blog/feed/rss/": 6,
    "/robots.txt": 0,
}


@pytest.mark.parametrize(("path", "budget"), BUDGETS.items())
def test_pages_stay_within_their_query_budget(
    client, site_content, django_assert_max_num_queries, path, budget
):
    client.get(path)  # first request warms per-process caches (site root paths, renditions)
    with django_assert_max_num_queries(budget):
        response = client.get(path)
    assert response.status_code == 200


def test_a_listing_costs_the_same_for_2_or_11_articles(client, site_content, django_assert_num_queries):
    client.get("/blog/topics/coping/")
    with django_assert_num_queries(8):
        client.get("/blog/topics/coping/")
    for article in site_content.fillers[2:]:
        article.unpublish()
    client.get("/blog/topics/coping/")
    with django_assert_num_queries(8):
        response = client.get("/blog/topics/coping/")
    assert len(response.context["articles"]) == 2
