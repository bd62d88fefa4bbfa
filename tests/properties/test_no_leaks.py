"""No-leak property: for random trees of articles in every visibility state, every public
surface shows exactly what should be public, and personal data shows nowhere.

Hypothesis draws a handful of articles, each in one state (live, draft, unpublished,
password- or login-restricted, scheduled for the future, expired, or live but "hide from
search engines"), with random topics, authors, reviewers, editor's related picks and inline
``related_article`` pointers, plus comments (approved, pending, rejected) and consultation
requests. Then it reads every surface and compares with an oracle computed from the states:

- API: list and count, details, related lists (exact order), inline pointers, topic list and
  counts, topic filter, author counts and filter, resolve, search, comments;
- rendered site: article pages, blog index, topic and author pages, RSS/Atom feeds (site-wide
  and per topic) and the sitemap. "Hide from search engines" articles are public (API, their
  own page) but left out of the sitemap, feeds and HTML listings (docs/site.md);
- no response at all contains a non-public article's title, a commenter's email, a pending
  or rejected comment, an approved comment of a non-public article, or any field of a
  consultation request.

Each example runs in a savepoint that is rolled back, on a cleared cache. Derandomized, and
bounded (``NO_LEAK_MAX_EXAMPLES``, 10 by default) to stay within about a minute in make test.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, Author
from readers.models import Comment, ConsultationRequest
from tests.conftest import body_json

MAX_EXAMPLES = int(os.environ.get("NO_LEAK_MAX_EXAMPLES", "10"))

STATES = ["live", "noindex", "draft", "unpublished", "password", "login", "scheduled", "expired"]
PUBLIC = {"live", "noindex"}
LISTED = {"live"}
TOPICS = ["anxiety", "burnout", "grief", "sleep"]
SEARCH_WORD = "kestrel"


@dataclass
class Spec:
    state: str
    topics: list[str]
    author: int  # index into the authors
    reviewer: int | None
    picks: list[int]  # indexes of earlier articles
    pointers: list[int]  # indexes of earlier articles, as inline related_article blocks
    comments: list[str]  # statuses of comments on it


@st.composite
def trees(draw):
    n = draw(st.integers(min_value=2, max_value=7))
    specs = []
    for i in range(n):
        earlier = st.lists(st.integers(0, i - 1), max_size=3, unique=True) if i else st.just([])
        specs.append(
            Spec(
                state=draw(st.sampled_from(STATES)),
                topics=draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
                author=draw(st.integers(0, 1)),
                reviewer=draw(st.none() | st.integers(0, 1)),
                picks=draw(earlier),
                pointers=draw(earlier),
                comments=draw(st.lists(st.sampled_from(["approved", "pending", "rejected"]), max_size=2)),
            )
        )
    consultations = draw(st.integers(0, 2))
    # After a first full read (which fills the API's response cache), hide some articles the
    # way editors do, and read everything again: nothing may be served from a stale cache.
    hide = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.sampled_from(["unpublish", "restrict"])), max_size=2)
    )
    return specs, consultations, hide


@dataclass
class Built:
    articles: list[ArticlePage]
    specs: list[Spec]
    authors: list[Author]
    public: set[int] = field(default_factory=set)  # indexes
    listed: set[int] = field(default_factory=set)
    secrets: list[str] = field(default_factory=list)  # never in any response
    approved: dict[int, list[str]] = field(default_factory=dict)  # index -> comment bodies

    def title(self, i):
        return self.articles[i].title

    def slugs(self, indexes):
        return {self.articles[i].slug for i in indexes}


def build(make_article, authors, specs, consultations) -> Built:
    now = timezone.now()
    articles: list[ArticlePage] = []
    built = Built(articles=articles, specs=specs, authors=authors)
    for i, spec in enumerate(specs):
        blocks = [("paragraph", f"<p>About {SEARCH_WORD} number {i}.</p>")]
        blocks += [
            ("related_article", {"lead_in": f"See also {j}", "article": articles[j].pk})
            for j in spec.pointers
        ]
        article = make_article(
            f"Article {i} token{i}zq {SEARCH_WORD}",
            slug=f"article-{i}",
            topics=spec.topics,
            author=authors[spec.author],
            reviewer=authors[spec.reviewer] if spec.reviewer is not None else None,
            related=[articles[j] for j in spec.picks],
            body=body_json(*blocks),
            live=spec.state != "draft",
            noindex=spec.state == "noindex",
        )
        if spec.state == "unpublished":
            article.unpublish()
        elif spec.state in ("password", "login"):
            PageViewRestriction.objects.create(
                page=article,
                restriction_type=spec.state,
                password="secret" if spec.state == "password" else "",
            )
        elif spec.state == "scheduled":
            # Live in the database but not due yet (an editor's go-live date in the future).
            # Saved, not QuerySet.update(): stored topic counts follow saves (blog.topic_counts).
            article.go_live_at = now + timedelta(days=3)
            article.save(update_fields=["go_live_at"], clean=False)
        elif spec.state == "expired":
            # Past its expiry date, before the expiry job has unpublished it.
            article.expire_at = now - timedelta(minutes=5)
            article.save(update_fields=["expire_at"], clean=False)
        article.refresh_from_db()
        articles.append(article)
        if spec.state in PUBLIC:
            built.public.add(i)
        else:
            built.secrets.append(f"token{i}zq")
        if spec.state in LISTED:
            built.listed.add(i)
        for c, status in enumerate(spec.comments):
            body = f"Comment {c} on {i} says cmt{i}x{c}q"
            Comment.objects.create(
                article=article,
                name=f"Reader {i}-{c}",
                email=f"reader{i}x{c}@mail.example",
                body=body,
                status=status,
            )
            built.secrets.append(f"reader{i}x{c}@mail.example")
            if status == "approved" and i in built.public:
                built.approved.setdefault(i, []).append(body)
            else:
                built.secrets.append(f"cmt{i}x{c}q")
    for k in range(consultations):
        ConsultationRequest.objects.create(
            name=f"Client cname{k}q",
            email=f"client{k}@private.example",
            phone=f"(213) 555-01{k:02d}",
            message=f"I need help with cmsg{k}q",
            consent=True,
        )
        built.secrets += [f"cname{k}q", f"client{k}@private.example", f"555-01{k:02d}", f"cmsg{k}q"]
    return built


def expected_related(built: Built, i: int) -> list[str]:
    """The oracle for ``related``: live picks in order, then live articles sharing the most
    topics, newest first among equals; never itself; at most 4."""
    spec = built.specs[i]
    picks = [j for j in dict.fromkeys(spec.picks) if j in built.public and j != i]
    others = [
        j for j in built.public if j != i and j not in picks and set(built.specs[j].topics) & set(spec.topics)
    ]
    others.sort(
        key=lambda j: (
            -len(set(built.specs[j].topics) & set(spec.topics)),
            -built.articles[j].first_published_at.timestamp(),
            -built.articles[j].pk,
        )
    )
    return [built.articles[j].slug for j in (picks + others)[:4]]


class Reader:
    """A client that keeps every response body, to search them all at the end."""

    def __init__(self):
        self.client = Client()
        self.seen: list[tuple[str, bytes]] = []

    def get(self, url, **params):
        response = self.client.get(url, params)
        assert response.status_code < 500, (url, response.status_code)
        self.seen.append((url, response.content))
        return response

    def json(self, url, **params):
        response = self.get(url, **params)
        assert response.status_code == 200, (url, params, response.content[:300])
        return response.json()


def slugs_in(items) -> set[str]:
    return {item["slug"] for item in items}


ARTICLE_LINK = re.compile(r"/blog/(article-\d+)/")


def linked_articles(content: bytes) -> set[str]:
    return set(ARTICLE_LINK.findall(unescape(content.decode())))


@pytest.fixture
def two_authors(author, reviewer):
    return [author, reviewer]


@pytest.mark.django_db
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tree=trees())
def test_every_public_surface_shows_exactly_the_public_articles_and_no_personal_data(
    tree, make_article, two_authors, practice
):
    specs, consultations, hide = tree
    with transaction.atomic():
        cache.clear()
        built = build(make_article, two_authors, specs, consultations)
        check_surfaces(built)
        event(f"{len(built.public)} of {len(specs)} public")
        if any(i in built.public for i, _ in hide):
            event("some hidden after the first read")
            for i, how in hide:
                hide_article(built, i, how)
            check_surfaces(built)
        transaction.set_rollback(True)


def hide_article(built: Built, i: int, how: str) -> None:
    """Unpublish an article or put it behind a password, as an editor does in the admin
    (through Wagtail's own calls, so its signals fire)."""
    if i not in built.public:
        return
    article = built.articles[i]
    if how == "unpublish":
        article.unpublish()
        built.specs[i].state = "unpublished"
    else:
        PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
        built.specs[i].state = "password"
    built.public.discard(i)
    built.listed.discard(i)
    built.secrets.append(f"token{i}zq")
    built.secrets += [body.rsplit(" says ", 1)[1] for body in built.approved.pop(i, [])]


def check_surfaces(built: Built):  # noqa: C901 - one oracle comparison per surface
    reader = Reader()
    public, listed = built.public, built.listed
    arts, specs = built.articles, built.specs

    # --- API -------------------------------------------------------------------------------
    listing = reader.json("/api/v1/articles/", page_size=100)
    assert listing["count"] == len(public)
    assert slugs_in(listing["results"]) == built.slugs(public)

    found = reader.json("/api/v1/articles/", search=SEARCH_WORD, page_size=100)
    assert slugs_in(found["results"]) == built.slugs(public)

    for i, article in enumerate(arts):
        detail = reader.get(f"/api/v1/articles/{article.slug}/")
        comments = reader.get(f"/api/v1/articles/{article.slug}/comments/")
        resolved = reader.get("/api/v1/resolve/", path=f"/blog/{article.slug}/")
        if i not in public:
            assert (detail.status_code, comments.status_code, resolved.status_code) == (404, 404, 404)
            continue
        data = detail.json()
        assert [r["slug"] for r in data["related"]] == expected_related(built, i), i
        pointers = [b["value"]["article"] for b in data["body"] if b["type"] == "related_article"]
        assert [p["slug"] if p else None for p in pointers] == [
            arts[j].slug if j in public else None for j in specs[i].pointers
        ]
        assert data["comment_count"] == len(built.approved.get(i, []))
        assert [c["body"] for c in comments.json()["results"]] == built.approved.get(i, [])
        assert resolved.status_code == 200 and resolved.json()["data"]["slug"] == article.slug

    counts = {t: sum(1 for i in public if t in specs[i].topics) for t in TOPICS}
    topic_items = reader.json("/api/v1/topics/")["results"]
    assert {t["slug"]: t["article_count"] for t in topic_items} == {t: n for t, n in counts.items() if n}
    for topic, n in counts.items():
        detail = reader.get(f"/api/v1/topics/{topic}/")
        by_topic = reader.json("/api/v1/articles/", topic=topic, page_size=100)
        assert slugs_in(by_topic["results"]) == built.slugs(i for i in public if topic in specs[i].topics)
        if n:
            assert detail.status_code == 200 and detail.json()["article_count"] == n
        else:
            assert detail.status_code == 404

    listed_authors = {x["slug"] for x in reader.json("/api/v1/authors/")["results"]}
    for a, person in enumerate(built.authors):
        assert person.slug in listed_authors
        detail = reader.json(f"/api/v1/authors/{person.slug}/")
        assert detail["article_count"] == sum(1 for i in public if specs[i].author == a)
        assert detail["reviewed_count"] == sum(1 for i in public if specs[i].reviewer == a)
        by_author = reader.json("/api/v1/articles/", author=person.slug, page_size=100)
        assert slugs_in(by_author["results"]) == built.slugs(i for i in public if specs[i].author == a)

    # --- Rendered site ---------------------------------------------------------------------
    for i, article in enumerate(arts):
        page = reader.get(f"/blog/{article.slug}/")
        if i in public:
            assert page.status_code == 200
            assert article.title.encode() in page.content
        else:
            assert page.status_code in (302, 404) or specs[i].state == "password", (i, page.status_code)

    assert linked_articles(reader.get("/blog/").content) == built.slugs(listed)
    sitemap = reader.get("/sitemap.xml").content
    assert linked_articles(sitemap) == built.slugs(listed)
    for feed in ("/blog/feed/rss/", "/blog/feed/atom/"):
        assert linked_articles(reader.get(feed).content) == built.slugs(listed)
    for topic in TOPICS:
        expected = built.slugs(i for i in listed if topic in specs[i].topics)
        page = reader.get(f"/blog/topics/{topic}/")
        if page.status_code == 200:
            assert linked_articles(page.content) == expected
        else:
            assert page.status_code == 404 and not expected
        feed = reader.get(f"/blog/topics/{topic}/feed/rss/")
        if feed.status_code == 200:
            assert linked_articles(feed.content) == expected
        else:
            assert feed.status_code == 404 and not expected
    for a, person in enumerate(built.authors):
        expected = built.slugs(i for i in listed if a in (specs[i].author, specs[i].reviewer))
        page = reader.get(f"/blog/authors/{person.slug}/")
        assert page.status_code == 200
        assert linked_articles(page.content) == expected

    # --- Nothing secret anywhere -----------------------------------------------------------
    for url, content in reader.seen:
        text = unescape(content.decode("utf-8", "replace")).lower()
        for secret in built.secrets:
            assert secret.lower() not in text, f"{secret!r} leaked in {url}"
