"""Rendered pages cost a fixed number of queries, however many articles they list."""

import pytest

# Measured with the crawl fixture's content (12 articles a page); a listing that queried per
# article would need 12+ more.
BUDGETS = {
    "/": 12,
    "/blog/": 14,
    "/blog/?page=2": 14,
    # One more than a list needs: the hero of its newest article, the picture it is shared with.
    "/blog/topics/coping/": 9,
    "/blog/authors/maya-chen/": 10,
    "/about/": 8,
    # Related cards: the editor's picks and the best sharing articles are two queries, then
    # the rows (the one ranking shared with the API); rich text links checked for visibility.
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
    with django_assert_num_queries(9):
        client.get("/blog/topics/coping/")
    for article in site_content.fillers[2:]:
        article.unpublish()
    client.get("/blog/topics/coping/")
    with django_assert_num_queries(9):
        response = client.get("/blog/topics/coping/")
    assert len(response.context["articles"]) == 2


def _article_with_blocks(make_article, approach, targets, images, copies: int):
    from tests.conftest import body_json

    blocks = []
    for n in range(copies):
        blocks += [
            ("related_article", {"lead_in": f"Lead {n}.", "article": targets[n % len(targets)].pk}),
            ("image", {"image": images[n % len(images)].pk, "alt_text": f"Picture {n}", "caption": ""}),
            ("approach_summary", {"approach": approach.pk, "summary_override": ""}),
        ]
    return make_article(f"Article with {copies} of each block", body=body_json(*blocks))


def _render_queries(client, path) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # first request warms per-process caches (site root paths, renditions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_an_article_costs_the_same_with_2_or_8_related_image_and_approach_blocks(
    client, practice, make_article, approach
):
    from tests.conftest import make_image

    targets = [make_article(f"Target {n}") for n in range(4)]
    draft = make_article("Unfinished", live=False)
    images = [make_image(f"Image {n}") for n in range(4)]
    few = _article_with_blocks(make_article, approach, [*targets[:1], draft], images[:2], 2)
    many = _article_with_blocks(make_article, approach, [*targets, draft], images, 8)

    few_queries = _render_queries(client, "/blog/article-with-2-of-each-block/")
    many_queries = _render_queries(client, "/blog/article-with-8-of-each-block/")

    assert many_queries == few_queries
    html = client.get("/blog/article-with-8-of-each-block/").content.decode()
    assert html.count('class="block-related"') == 7  # the block pointing at the draft shows nothing
    assert "Unfinished</a>" not in html
    assert html.count('alt="Picture ') == 8
    assert few.pk != many.pk
