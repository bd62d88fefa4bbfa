"""A view restriction on a PARENT page, a go-live date and an expiry date, read through every
public surface: the API (list, count, filters, search, detail, related, inline pointers,
resolve, topics, authors), the rendered site (article pages, blog index, topic and author
pages, feeds, sitemap) and what a change tells webhooks and CDN purges (``publishing.affected``).

The restricted article carries no restriction itself: its section (a second index page under
home) does. Wagtail's rule is that a restriction covers every descendant.
"""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import BlogIndexPage, TherapeuticApproach
from publishing import affected
from tests.conftest import article_maker, body_json

pytestmark = pytest.mark.django_db

SECRET_WORD = "zebrafinch"  # in the hidden articles' bodies and titles only
ARTICLE_LIST = "/api/v1/articles/"
FEEDS = (
    "/blog/feed/rss/",
    "/blog/feed/atom/",
    "/blog/topics/anxiety/feed/rss/",
    "/blog/topics/anxiety/feed/atom/",
)
LISTINGS = ("/", "/blog/", "/blog/topics/anxiety/", "/blog/authors/maya-chen/")


@pytest.fixture
def site(make_article, home, author, practice):
    """An open article pointing at three hidden ones (picks, inline pointers, rich text links):
    one under a password-restricted section, one scheduled in three days, one expired an hour
    ago (both still ``live`` in the database, as before ``publish_scheduled`` runs)."""
    section = BlogIndexPage(title="Members", slug="members")
    home.add_child(instance=section)
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    in_section = article_maker(section, author)
    now = timezone.now()
    hidden = {
        "sectioned": in_section(f"Sectioned {SECRET_WORD}", slug="sectioned", topics=["Anxiety"]),
        "scheduled": make_article(f"Scheduled {SECRET_WORD}", slug="scheduled", topics=["Anxiety"]),
        "expired": make_article(f"Expired {SECRET_WORD}", slug="expired", topics=["Anxiety"]),
    }
    for article in hidden.values():
        article.body = body_json(("paragraph", f"<p>Only {SECRET_WORD} readers.</p>"))
        article.save_revision().publish()
    hidden["scheduled"].go_live_at = now + timedelta(days=3)
    hidden["scheduled"].save(update_fields=["go_live_at"], clean=False)
    hidden["expired"].expire_at = now - timedelta(hours=1)
    hidden["expired"].save(update_fields=["expire_at"], clean=False)
    links = "".join(f'<a linktype="page" id="{a.pk}">link {a.slug}</a> ' for a in hidden.values())
    # Approaches whose "read more" page is hidden; the last one also has an external URL.
    approaches = [
        TherapeuticApproach.objects.create(name=f"Approach {a.slug}", summary="<p>Helps.</p>", link_page=a)
        for a in hidden.values()
    ]
    approaches[-1].link_url = "https://example.org/about-it"
    approaches[-1].save()
    open_article = make_article(
        "Open door",
        slug="open-door",
        topics=["Anxiety"],
        related=list(hidden.values()),
        body=body_json(
            ("paragraph", f"<p>{links}</p>"),
            *[("related_article", {"lead_in": "See", "article": a.pk}) for a in hidden.values()],
            *[("approach_summary", {"approach": a.pk, "summary_override": ""}) for a in approaches],
        ),
    )
    return {"open": open_article, "section": section, **hidden}


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code < 500, (url, response.status_code)
    return response


def visible_text(response) -> str:
    return unescape(response.content.decode()).lower()


def test_api_lists_counts_and_search_show_only_the_open_article(site, client):
    listing = get(client, ARTICLE_LIST, page_size=100).json()
    assert (listing["count"], [a["slug"] for a in listing["results"]]) == (1, ["open-door"])
    by_topic = get(client, ARTICLE_LIST, topic="anxiety").json()
    assert (by_topic["count"], [a["slug"] for a in by_topic["results"]]) == (1, ["open-door"])
    by_author = get(client, ARTICLE_LIST, author="maya-chen").json()
    assert (by_author["count"], [a["slug"] for a in by_author["results"]]) == (1, ["open-door"])
    found = get(client, ARTICLE_LIST, search=SECRET_WORD).json()
    assert (found["count"], found["results"]) == (0, [])
    assert [[(t["slug"], t["article_count"]) for t in a["topics"]] for a in listing["results"]] == [
        [("anxiety", 1)]
    ]


def test_api_topic_and_author_counts_leave_hidden_articles_out(site, client):
    topics = get(client, "/api/v1/topics/").json()["results"]
    assert [(t["slug"], t["article_count"]) for t in topics] == [("anxiety", 1)]
    assert get(client, "/api/v1/topics/anxiety/").json()["article_count"] == 1
    person = get(client, "/api/v1/authors/maya-chen/").json()
    assert (person["article_count"], person["reviewed_count"]) == (1, 0)


def test_api_detail_and_resolve_answer_404_for_hidden_articles_and_the_restricted_section(site, client):
    for slug in ("sectioned", "scheduled", "expired"):
        assert get(client, f"/api/v1/articles/{slug}/").status_code == 404, slug
        assert get(client, f"/api/v1/articles/{slug}/comments/").status_code == 404, slug
    for path in ("/members/", "/members/sectioned/", "/blog/scheduled/", "/blog/expired/"):
        response = get(client, "/api/v1/resolve/", path=path)
        assert response.status_code == 404, path
        assert SECRET_WORD not in visible_text(response)
    assert get(client, "/api/v1/resolve/", path="/blog/open-door/").json()["data"]["slug"] == "open-door"


def test_api_related_inline_pointers_and_links_never_show_hidden_articles(site, client):
    response = get(client, "/api/v1/articles/open-door/")
    data = response.json()
    assert data["related"] == []
    pointers = [b["value"]["article"] for b in data["body"] if b["type"] == "related_article"]
    assert pointers == [None, None, None]
    read_more = [b["value"]["link"] for b in data["body"] if b["type"] == "approach_summary"]
    assert read_more == [
        None,
        None,
        {"label": "More about Approach expired", "url": "https://example.org/about-it", "path": None},
    ]
    text = visible_text(response)
    assert SECRET_WORD not in text
    for slug in ("sectioned", "scheduled", "expired"):
        assert f"/{slug}/" not in text, slug


def test_rendered_pages_listings_feeds_and_sitemap_never_show_hidden_articles(site, client):
    pages = {path: get(client, path) for path in (*LISTINGS, *FEEDS, "/sitemap.xml", "/blog/open-door/")}
    for path, response in pages.items():
        assert response.status_code == 200, path
        text = visible_text(response)
        assert SECRET_WORD not in text, path
        for where in ("/members/sectioned/", "/blog/scheduled/", "/blog/expired/"):
            assert where not in text, (path, where)
    assert "/members/" not in visible_text(pages["/sitemap.xml"])
    article = pages["/blog/open-door/"].content.decode()
    assert article.count("More about Approach") == 1
    assert '<a href="https://example.org/about-it" rel="noopener">More about Approach expired</a>' in article
    assert "open door" in visible_text(pages["/blog/topics/anxiety/feed/rss/"])


def test_serving_a_hidden_article_shows_none_of_its_content(site, client):
    sectioned = get(client, "/members/sectioned/")
    assert SECRET_WORD not in visible_text(sectioned)
    assert 'name="password"' in sectioned.content.decode()  # Wagtail's password form
    for path in ("/blog/scheduled/", "/blog/expired/"):
        assert get(client, path).status_code == 404, path


def test_a_change_to_a_hidden_article_names_no_path_for_webhooks_or_purges(site, author):
    # Scheduled and expired articles are still ``live``: purging their paths is harmless (a
    # cache may hold them), but a restricted section's pages are never named.
    assert affected.snapshot_page(site["sectioned"]) is None
    assert affected.snapshot_page(site["section"], include_descendants=True) is None
    for impact in (affected.author_change(author), affected.everything()):
        assert "/blog/open-door/" in impact.paths
        assert not {p for p in impact.paths if p.startswith("/members/")}, impact.paths


def test_a_scheduled_article_appears_everywhere_once_its_go_live_date_passes(site, client, monkeypatch):
    later = timezone.now() + timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    listing = get(client, ARTICLE_LIST).json()
    assert sorted(a["slug"] for a in listing["results"]) == ["open-door", "scheduled"]
    assert listing["count"] == 2
    assert get(client, "/api/v1/topics/anxiety/").json()["article_count"] == 2
    assert get(client, "/api/v1/articles/scheduled/").status_code == 200
    open_door = get(client, "/api/v1/articles/open-door/").json()
    assert [a["slug"] for a in open_door["related"]] == ["scheduled"]
    assert [b["value"]["link"] for b in open_door["body"] if b["type"] == "approach_summary"][1] == {
        "label": "More about Approach scheduled",
        "url": "https://www.example-practice.test/blog/scheduled/",
        "path": "/blog/scheduled/",
    }
    assert (
        '<a href="/blog/scheduled/">More about Approach scheduled</a>'
        in get(client, "/blog/open-door/").content.decode()
    )
    assert get(client, "/blog/scheduled/").status_code == 200
    assert "/blog/scheduled/" in visible_text(get(client, "/sitemap.xml"))
    found = get(client, ARTICLE_LIST, search=SECRET_WORD).json()
    assert [a["slug"] for a in found["results"]] == ["scheduled"]


def test_removing_the_parent_restriction_shows_the_section_s_article_everywhere(site, client):
    PageViewRestriction.objects.filter(page=site["section"]).delete()
    listing = get(client, ARTICLE_LIST).json()
    assert sorted(a["slug"] for a in listing["results"]) == ["open-door", "sectioned"]
    assert listing["count"] == 2
    assert get(client, "/api/v1/topics/anxiety/").json()["article_count"] == 2
    assert get(client, "/api/v1/articles/sectioned/").status_code == 200
    assert get(client, "/api/v1/resolve/", path="/members/sectioned/").status_code == 200
    found = get(client, ARTICLE_LIST, search=SECRET_WORD).json()
    assert [a["slug"] for a in found["results"]] == ["sectioned"]
    assert "/members/sectioned/" in visible_text(get(client, "/sitemap.xml"))
    assert affected.snapshot_page(site["sectioned"]) is not None


@pytest.fixture
def client():
    return Client()
