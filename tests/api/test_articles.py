"""GET /api/v1/articles/ and /api/v1/articles/{slug}/ against the known content."""

from datetime import date

import pytest
from django.utils import timezone

from tests.api.helpers import BASE, author_json, image_json, summary_json, topic_json

pytestmark = pytest.mark.django_db

ANXIETY = topic_json("anxiety", "Anxiety", 2)
STRESS = topic_json("stress", "Stress", 2)
TRAUMA = topic_json("trauma", "Trauma", 1)


def summaries(content):
    return {
        "numbness": summary_json(
            content.numbness,
            published="2026-11-01T09:00:00-08:00",
            topics=[ANXIETY, TRAUMA],
            author=author_json(content.author),
            hero_image=image_json(content.image, "A calm lake at dawn"),
        ),
        "stress": summary_json(
            content.stress,
            published="2026-10-01T09:00:00-07:00",
            topics=[ANXIETY, STRESS],
            author=author_json(content.author),
        ),
        "burnout": summary_json(
            content.burnout,
            published="2026-09-01T09:00:00-07:00",
            topics=[STRESS],
            author=author_json(content.reviewer),
        ),
    }


def test_the_list_is_every_live_article_newest_first_and_nothing_else(client, content):
    s = summaries(content)
    response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [s["numbness"], s["stress"], s["burnout"]],
    }


def test_drafts_scheduled_expired_and_restricted_articles_are_absent_everywhere(client, content):
    hidden_slugs = {a.slug for a in content.hidden.values()}
    urls = [
        "/api/v1/articles/?page_size=100",
        "/api/v1/articles/?search=anxiety",
        "/api/v1/articles/?topic=anxiety",
        f"/api/v1/articles/{content.numbness.slug}/",
        f"/api/v1/articles/{content.stress.slug}/",
        "/api/v1/topics/",
        "/api/v1/authors/maya-chen/",
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for slug in hidden_slugs:
            assert slug not in body, (url, slug)
    for article in content.hidden.values():
        assert client.get(f"/api/v1/articles/{article.slug}/").json() == {
            "error": {"code": "not_found", "message": f"No article with slug '{article.slug}'."}
        }


def test_topic_filter_is_any_of_and_repeatable(client, content):
    s = summaries(content)
    trauma = client.get("/api/v1/articles/?topic=trauma").json()
    assert trauma["results"] == [s["numbness"]]
    both = client.get("/api/v1/articles/?topic=trauma&topic=stress").json()
    assert [a["slug"] for a in both["results"]] == ["emotional-numbness", "chronic-stress", "burnout-at-work"]
    assert client.get("/api/v1/articles/?topic=unknown-topic").json()["count"] == 0


def test_author_filter_lists_what_the_author_wrote(client, content):
    response = client.get("/api/v1/articles/?author=daniel-ortiz").json()
    assert [a["slug"] for a in response["results"]] == ["burnout-at-work"]


def test_search_finds_words_in_title_excerpt_and_body_of_live_articles_only(client, content):
    def slugs(query):
        return [a["slug"] for a in client.get(f"/api/v1/articles/?search={query}").json()["results"]]

    assert slugs("burnout") == ["burnout-at-work"]  # title
    assert slugs("empties") == ["burnout-at-work"]  # excerpt
    assert slugs("autopilot") == ["emotional-numbness"]  # body (symptom list item)
    assert slugs("anxiety") == ["emotional-numbness", "chronic-stress"]  # topic names count too
    for word in ("draft", "scheduled", "expired", "restricted"):  # only in hidden articles
        assert slugs(word) == []
    assert slugs("%22unbalanced%20AND%20*") == []  # query syntax is not an error


def test_a_search_counts_only_the_live_public_matches(client, content):
    """The four hidden articles are titled "… anxiety" too: the count (taken on the matches
    side of the search backend) must leave them out as the results do."""
    first = client.get("/api/v1/articles/?search=anxiety&page_size=1").json()
    assert first["count"] == 2
    assert [a["slug"] for a in first["results"]] == ["emotional-numbness"]
    assert first["next"] == "http://testserver/api/v1/articles/?page=2&page_size=1&search=anxiety"
    for word in ("draft", "scheduled", "expired", "restricted"):
        assert client.get(f"/api/v1/articles/?search={word}").json()["count"] == 0
    with_topic = client.get("/api/v1/articles/?search=anxiety&topic=stress").json()
    assert (with_topic["count"], [a["slug"] for a in with_topic["results"]]) == (1, ["chronic-stress"])


def test_ordering_by_title_and_oldest_first(client, content):
    def slugs(ordering):
        return [a["slug"] for a in client.get(f"/api/v1/articles/?ordering={ordering}").json()["results"]]

    assert slugs("title") == ["burnout-at-work", "chronic-stress", "emotional-numbness"]
    assert slugs("-title") == ["emotional-numbness", "chronic-stress", "burnout-at-work"]
    assert slugs("published_at") == ["burnout-at-work", "chronic-stress", "emotional-numbness"]


def test_pagination_links_keep_the_filters(client, content):
    first = client.get("/api/v1/articles/?page_size=2&ordering=title").json()
    assert first["count"] == 3
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/articles/?ordering=title&page=2&page_size=2"
    second = client.get(first["next"]).json()
    assert [a["slug"] for a in second["results"]] == ["emotional-numbness"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/articles/?ordering=title&page_size=2"


def test_article_detail_has_body_toc_related_breadcrumbs_review_and_seo(client, content):
    s = summaries(content)
    data = client.get("/api/v1/articles/emotional-numbness/").json()
    image = image_json(content.image, "A lake")
    assert {k: data[k] for k in s["numbness"]} == s["numbness"]
    assert data["body"] == [
        {
            "type": "heading",
            "id": "block-0",
            "value": {"text": "What it feels like", "level": 2, "anchor": "what-it-feels-like"},
        },
        {
            "type": "paragraph",
            "id": "block-1",
            "value": {"html": '<p>See <a href="/blog/chronic-stress/">chronic stress</a> too.</p>'},
        },
        {
            "type": "symptom_list",
            "id": "block-2",
            "value": {
                "title": "People describe it as",
                "intro": "<p>Often:</p>",
                "items": ["Autopilot", "Flat"],
                "style": "checklist",
            },
        },
        {
            "type": "approach_summary",
            "id": "block-3",
            "value": {
                "name": "Cognitive Behavioral Therapy",
                "abbreviation": "CBT",
                "summary": "<p>Helps you notice and change unhelpful thought patterns.</p>",
                "evidence_note": "One of the most studied therapies.",
                "link": None,
            },
        },
        {
            "type": "call_to_action",
            "id": "block-4",
            "value": {
                "heading": "Ready?",
                "text": "<p>Talk to us.</p>",
                "button": {"label": "Book", "url": f"{BASE}/blog/", "path": "/blog/"},
            },
        },
        {
            "type": "related_article",
            "id": "block-5",
            "value": {"lead_in": "Stress goes deeper.", "article": s["stress"]},
        },
        {
            "type": "quote",
            "id": "block-6",
            "value": {"text": "You're not broken.", "attribution": "A client"},
        },
        {"type": "heading", "id": "block-7", "value": {"text": "Getting help", "level": 3, "anchor": "help"}},
        {"type": "image", "id": "block-8", "value": {"image": image, "caption": "Calm"}},
        {
            "type": "faq",
            "id": "block-9",
            "value": {"title": "FAQ", "items": [{"question": "Is it permanent?", "answer": "<p>No.</p>"}]},
        },
    ]
    assert data["table_of_contents"] == [
        {"id": "what-it-feels-like", "text": "What it feels like", "level": 2},
        {"id": "help", "text": "Getting help", "level": 3},
    ]
    # Shares Anxiety with chronic stress only; hidden articles share both topics but never show.
    assert data["related"] == [s["stress"]]
    assert data["breadcrumbs"] == [
        {"title": "Heal & Thrive Psychotherapy", "path": "/"},
        {"title": "Blog", "path": "/blog/"},
        {"title": "Emotional numbness", "path": "/blog/emotional-numbness/"},
    ]
    assert data["reviewed_by"] == author_json(content.reviewer)
    assert data["last_reviewed"] == "2026-10-01"
    assert data["review"] == {
        "reviewer": author_json(content.reviewer),
        "reviewed_at": "2026-10-01",
        "next_review_due": "2027-10-01",
        "status": "current" if timezone.localdate() < date(2027, 10, 1) else "due",
    }
    assert data["comments_enabled"] is True
    seo = data["seo"]
    assert seo["title"] == "Emotional numbness | Heal & Thrive Psychotherapy"
    assert seo["canonical_url"] == f"{BASE}/blog/emotional-numbness/"
    assert seo["robots"] == "index,follow"
    # Shared as a 1.91:1 JPEG crop of the hero (1600 × 900), 1200 wide.
    assert seo["image"] == {
        "url": seo["open_graph"]["og:image"],
        "width": 1200,
        "height": 628,
        "alt": "A calm lake at dawn",
        "type": "image/jpeg",
    }
    assert seo["open_graph"]["og:image"].startswith("https://cms.example-practice.test/media/images/")
    assert seo["open_graph"]["og:image"].endswith(".fill-1200x628.format-jpeg.jpg")
    assert seo["twitter"]["twitter:image"] == seo["open_graph"]["og:image"]
    assert [ld["@type"] for ld in seo["json_ld"]] == ["BlogPosting", "FAQPage", "BreadcrumbList"]


def test_the_seo_object_is_the_one_the_html_page_uses(client, content):
    from blog import seo
    from blog.models import ArticlePage, PracticeSettings

    page = ArticlePage.objects.get(pk=content.numbness.pk)
    expected = seo.page_seo(page, practice=PracticeSettings.load())
    assert client.get("/api/v1/articles/emotional-numbness/").json()["seo"] == expected


def test_related_puts_editor_picks_first_and_never_the_article_or_hidden_ones(client, content, make_article):
    pick = make_article("Picked first", topics=[], related=())
    hidden = content.hidden["draft"]
    article = make_article(
        "With picks", topics=["Anxiety"], related=[hidden, pick, content.burnout], excerpt="x"
    )
    data = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert [a["slug"] for a in data["related"]] == [
        "picked-first",
        "burnout-at-work",
        "emotional-numbness",
        "chronic-stress",
    ]


def test_an_inline_pointer_to_an_article_that_is_not_live_gives_null(client, content, make_article):
    from tests.conftest import body_json

    article = make_article(
        "Pointer",
        body=body_json(
            ("related_article", {"lead_in": "Read on.", "article": content.hidden["restricted"].pk})
        ),
    )
    body = client.get(f"/api/v1/articles/{article.slug}/").json()["body"]
    assert body == [
        {"type": "related_article", "id": "block-0", "value": {"lead_in": "Read on.", "article": None}}
    ]


def test_rich_text_links_to_hidden_pages_lose_their_href(client, content, make_article):
    from tests.conftest import body_json

    draft = content.hidden["draft"]
    article = make_article(
        "Links", body=body_json(("paragraph", f'<p><a linktype="page" id="{draft.pk}">secret</a></p>'))
    )
    body = client.get(f"/api/v1/articles/{article.slug}/").json()["body"]
    assert body[0]["value"] == {"html": "<p><a>secret</a></p>"}


def test_rich_text_saved_by_the_admin_editor_loses_its_block_keys(client, content, make_article):
    """Draftail stores ``data-block-key`` on every block; the API's HTML is without them."""
    from tests.conftest import body_json

    html = '<h3 data-block-key="a1b2c">Signs</h3><p data-block-key="d3e4f">Feeling <b>flat</b>.</p>'
    article = make_article("Keys", body=body_json(("paragraph", html)))
    body = client.get(f"/api/v1/articles/{article.slug}/").json()["body"]
    assert body[0]["value"] == {"html": "<h3>Signs</h3><p>Feeling <b>flat</b>.</p>"}


def test_the_comment_count_leaves_out_approved_replies_under_a_hidden_comment(
    client, make_article, blog_index
):
    from readers.models import Comment

    article = make_article("Talked about")

    def comment(status, parent=None):
        return Comment.objects.create(
            article=article,
            name="A reader",
            email="reader@example.test",
            body="Thanks.",
            status=status,
            parent=parent,
        )

    shown = comment(Comment.Status.APPROVED)
    comment(Comment.Status.APPROVED, parent=shown)
    hidden = comment(Comment.Status.PENDING)
    comment(Comment.Status.APPROVED, parent=hidden)  # approved, but its parent is not shown
    detail = client.get(f"/api/v1/articles/{article.slug}/").json()
    resolved = client.get(f"/api/v1/resolve/?path=/blog/{article.slug}/").json()
    assert detail["comment_count"] == 2
    assert resolved["data"]["comment_count"] == 2
    Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.APPROVED)
    assert client.get(f"/api/v1/articles/{article.slug}/").json()["comment_count"] == 4
