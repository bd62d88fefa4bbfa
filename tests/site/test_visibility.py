"""Drafts, hidden-from-search, view-restricted, expired and future-scheduled articles never
appear in the sitemap, the feeds or any HTML listing (blog index, topic and author pages)."""

from xml.etree import ElementTree

import pytest

from tests.site.helpers import BASE, sitemap_locs, soup

pytestmark = pytest.mark.django_db

HIDDEN_KINDS = ("draft", "noindex", "restricted", "expired", "future")
LISTINGS = ("/blog/", "/blog/?page=2", "/blog/topics/anxiety/", "/blog/authors/maya-chen/", "/")
FEEDS = (
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/blog/topics/anxiety/feed/rss/",
    "/blog/topics/anxiety/feed/atom/",
)


@pytest.fixture(scope="module")
def seen(module_site):
    """What a visitor sees on every listing, feed and the sitemap, plus the site's content."""

    def use(client, content):
        return {
            "content": {
                "hidden": {
                    kind: (a.title, a.url_path.replace("/home", "")) for kind, a in content.hidden.items()
                },
                "listed": {a.title for a in content.listed_articles},
            },
            "sitemap": sitemap_locs(client.get("/sitemap.xml")),
            "listings": {path: client.get(path) for path in LISTINGS},
            "feeds": {path: client.get(path) for path in FEEDS},
            "secret_topic": client.get("/blog/topics/secret-topic/"),
            "noindex_page": client.get("/blog/hidden-from-search-engines/"),
            "draft_page": client.get("/blog/unpublished-draft-thoughts/"),
        }

    return module_site(use)


def _card_titles(response) -> set[str]:
    return {h.get_text(strip=True) for h in soup(response).select(".card__title")}


def test_hidden_articles_are_not_in_the_sitemap(seen):
    locs = set(seen["sitemap"])
    for kind in HIDDEN_KINDS:
        _, path = seen["content"]["hidden"][kind]
        assert BASE + path not in locs, kind
    assert BASE + "/blog/topics/secret-topic/" not in locs


def test_hidden_articles_are_not_in_any_feed(seen):
    hidden_titles = {title for title, _ in seen["content"]["hidden"].values()}
    for path, response in seen["feeds"].items():
        assert response.status_code == 200, path
        text = response.content.decode()
        for title in hidden_titles:
            assert title not in text, (path, title)
        ElementTree.fromstring(response.content)  # noqa: S314 (our own output)
    assert "Emotional numbness" in seen["feeds"]["/blog/topics/anxiety/feed/rss/"].content.decode()


def test_hidden_articles_are_not_in_any_html_listing(seen):
    hidden_titles = {title for title, _ in seen["content"]["hidden"].values()}
    listed = set()
    for path, response in seen["listings"].items():
        assert response.status_code == 200, path
        titles = _card_titles(response)
        assert titles, path
        assert titles.isdisjoint(hidden_titles), (path, titles & hidden_titles)
        listed |= titles
    # Every listed article shows up somewhere across the blog index's pages.
    blog_titles = _card_titles(seen["listings"]["/blog/"]) | _card_titles(seen["listings"]["/blog/?page=2"])
    assert blog_titles == seen["content"]["listed"]
    assert _card_titles(seen["listings"]["/blog/topics/anxiety/"]) == {"Emotional numbness", "Chronic stress"}


def test_a_page_hidden_from_search_engines_stays_reachable_but_says_noindex(seen):
    response = seen["noindex_page"]
    assert response.status_code == 200
    doc = soup(response)
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex,follow"


def test_a_draft_is_not_served(seen):
    assert seen["draft_page"].status_code == 404


def test_a_topic_with_only_hidden_articles_is_empty_and_noindex(seen):
    response = seen["secret_topic"]
    assert response.status_code == 200
    doc = soup(response)
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex,follow"
    assert doc.select(".card") == []
    assert doc.select_one(".empty").get_text(strip=True) == "No articles here yet."
