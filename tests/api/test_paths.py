"""GET /api/v1/paths/: every public path, so a frontend can build every page statically and
write its own sitemap. Exactly the sitemap's paths, plus the public ones it leaves out
(hidden from search engines, canonical elsewhere), marked; paginated like the other lists."""

from datetime import datetime

import pytest
from django.utils import timezone

from blog.models import ArticlePage, Author, StandardPage
from tests.conftest import clear_cache, republish
from tests.site.conftest import BASE, build_site
from tests.site.helpers import meta, sitemap_locs, soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db):
    clear_cache()  # Wagtail caches site root paths; each test's database is new
    content = build_site()
    fees = content.fees
    fees.canonical_url = "https://elsewhere.example/fees"
    fees.save_revision().publish()
    Author.objects.create(name="Sam Quiet", slug="sam-quiet")  # no article: profile not indexed
    hidden = content.hidden["noindex"]
    hidden.topics.add("Quiet topic")  # its only live article is hidden from search engines
    hidden.save_revision().publish()
    return content


def every_path(client) -> list[dict]:
    response = client.get("/api/v1/paths/", {"page_size": 100})
    assert response.status_code == 200
    data = response.json()
    assert data["next"] is None and data["count"] == len(data["results"])
    return data["results"]


def test_the_sitemap_paths_are_exactly_those_marked_in_sitemap_with_the_same_lastmod(client, site):
    paths = every_path(client)
    sitemap = sitemap_locs(client.get("/sitemap.xml"))
    listed = {p["url"]: p for p in paths if p["in_sitemap"]}
    assert set(listed) == set(sitemap)
    for url, lastmod in sitemap.items():
        modified = listed[url]["last_modified"]
        assert (datetime.fromisoformat(modified).date().isoformat() if modified else None) == lastmod, url
        assert listed[url]["noindex"] is False, url


def test_the_public_paths_the_sitemap_leaves_out_are_listed_and_marked(client, site):
    left_out = [p for p in every_path(client) if not p["in_sitemap"]]
    hidden = site.hidden["noindex"]
    assert left_out == [
        {
            "type": "article",
            "path": "/blog/hidden-from-search-engines/",
            "url": f"{BASE}/blog/hidden-from-search-engines/",
            "last_modified": _iso(ArticlePage.objects.get(pk=hidden.pk).last_published_at),
            "noindex": True,
            "in_sitemap": False,
        },
        {
            "type": "page",
            "path": "/fees/",
            "url": f"{BASE}/fees/",
            "last_modified": _iso(StandardPage.objects.get(pk=site.fees.pk).last_published_at),
            "noindex": False,  # canonical elsewhere: indexable there, not here
            "in_sitemap": False,
        },
        {
            "type": "topic",
            "path": "/blog/topics/quiet-topic/",
            "url": f"{BASE}/blog/topics/quiet-topic/",
            "last_modified": _iso(ArticlePage.objects.get(pk=hidden.pk).last_published_at),
            "noindex": True,
            "in_sitemap": False,
        },
        {
            "type": "author",
            "path": "/blog/authors/sam-quiet/",
            "url": f"{BASE}/blog/authors/sam-quiet/",
            "last_modified": None,
            "noindex": True,
            "in_sitemap": False,
        },
    ]


def _iso(value):
    return timezone.localtime(value).isoformat()


def test_nothing_that_is_not_public_is_listed(client, site):
    urls = {p["path"] for p in every_path(client)}
    for key in ("draft", "restricted", "expired", "future"):
        assert f"/blog/{site.hidden[key].slug}/" not in urls, key
    assert "/blog/topics/secret-topic/" not in urls  # tagged on the draft only


def test_pages_come_in_tree_order_then_topics_then_authors_with_their_types(client, site):
    paths = every_path(client)
    kinds = [p["type"] if p["type"] in ("topic", "author") else "page" for p in paths]
    assert kinds == sorted(kinds, key=["page", "topic", "author"].index)
    pages = [(p["type"], p["path"]) for p in paths if p["type"] not in ("topic", "author")]
    assert pages == [
        ("home", "/"),
        ("article_index", "/blog/"),
        ("article", "/blog/chronic-stress/"),
        *(("article", f"/blog/coping-skills-{n}/") for n in range(1, 12)),
        ("article", "/blog/hidden-from-search-engines/"),
        ("article", "/blog/emotional-numbness/"),
        ("page", "/about/"),
        ("page", "/fees/"),
    ]
    topics = [p["path"] for p in paths if p["type"] == "topic"]
    assert topics == sorted(topics)
    authors = [p["path"] for p in paths if p["type"] == "author"]
    assert authors == ["/blog/authors/daniel-ortiz/", "/blog/authors/maya-chen/", "/blog/authors/sam-quiet/"]


def test_every_listed_path_resolves_and_renders_with_its_type_and_robots(client, site):
    for entry in every_path(client):
        resolved = client.get("/api/v1/resolve/", {"path": entry["path"]})
        assert resolved.status_code == 200, entry
        assert resolved.json()["type"] == entry["type"], entry
        assert resolved.json()["data"]["seo"]["image"] is not None, entry
        page = client.get(entry["path"])
        assert page.status_code == 200, entry
        robots = meta(soup(page), name="robots")
        assert robots == (["noindex,follow"] if entry["noindex"] else ["index,follow"]), entry


def test_pages_of_paths_add_up_to_the_whole_list(client, site):
    everything = every_path(client)
    first = client.get("/api/v1/paths/", {"page_size": 7}).json()
    assert first["count"] == len(everything)
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/paths/?page=2&page_size=7"
    collected, url = list(first["results"]), first["next"]
    while url:
        page = client.get(url.removeprefix("http://testserver")).json()
        collected += page["results"]
        url = page["next"]
    assert collected == everything
    default = client.get("/api/v1/paths/").json()
    assert default["results"] == everything[:12]


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ({"page": "0"}, {"page": ["Must be at least 1, got 0."]}),
        ({"page_size": "101"}, {"page_size": ["Must be between 1 and 100, got 101."]}),
        (
            {"type": "article"},
            {"type": ["Unknown query parameter 'type'. Known parameters: page, page_size."]},
        ),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, blog_index, practice, query, fields):
    response = client.get("/api/v1/paths/", query)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields


def test_a_page_past_the_last_one_is_a_404_in_the_error_shape(client, blog_index, practice):
    response = client.get("/api/v1/paths/", {"page": "99"})
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Page 99 does not exist; there are 1 pages."}
    }


def test_the_list_costs_the_same_queries_for_few_or_many_articles(
    client, blog_index, practice, make_article, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.get("/api/v1/paths/", {"page_size": 100})  # warms Wagtail's site root paths
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/paths/", {"page_size": 100})
        assert response.status_code == 200
        return len(queries)

    # One of each kind of path from the start: listed and unlisted articles, topics, authors.
    make_article("First", topics=["Calm"])
    make_article("Hidden", topics=["Quiet"], noindex=True)
    Author.objects.create(name="Sam Quiet", slug="sam-quiet")
    few = count()
    for n in range(12):
        make_article(f"More {n}", topics=["Calm", f"Topic {n}"], noindex=n % 3 == 0)
    assert count() == few
    assert few <= 12
    # home and blog, 14 articles, 14 topics (Calm, Quiet, Topic 0-11), 2 authors
    assert client.get("/api/v1/paths/").json()["count"] == 2 + 14 + 14 + 2


def test_publishing_an_article_updates_the_cached_list(client, shared_cache, make_article, practice, publish):
    article = make_article("Chronic stress")
    assert client.get("/api/v1/paths/").json()["count"] == 4  # home, blog, article, author
    assert client.get("/api/v1/paths/")["X-Cache"] == "HIT"

    draft = make_article("Grief", live=False)
    publish(republish, draft, title="Grief")
    publish(ArticlePage.objects.get(pk=article.pk).unpublish)

    paths = [p["path"] for p in client.get("/api/v1/paths/").json()["results"]]
    assert paths == ["/", "/blog/", "/blog/grief/", "/blog/authors/maya-chen/"]
