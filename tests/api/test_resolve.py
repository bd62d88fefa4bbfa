"""GET /api/v1/resolve/?path=…: the data is what the matching endpoint returns."""

import pytest
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_an_article_path_resolves_to_the_article_detail(client, content):
    resolved = client.get("/api/v1/resolve/?path=/blog/emotional-numbness/").json()
    assert resolved == {"type": "article", "data": client.get("/api/v1/articles/emotional-numbness/").json()}


def test_a_path_without_trailing_slash_or_with_a_query_resolves_too(client, content):
    assert client.get("/api/v1/resolve/?path=/blog/chronic-stress").json()["type"] == "article"
    assert client.get("/api/v1/resolve/?path=/blog/chronic-stress/%3Fref%3Dx").json()["type"] == "article"


def test_topic_and_author_paths_resolve_to_their_details(client, content):
    topic = client.get("/api/v1/resolve/?path=/blog/topics/stress/").json()
    assert topic == {"type": "topic", "data": client.get("/api/v1/topics/stress/").json()}
    author = client.get("/api/v1/resolve/?path=/blog/authors/maya-chen/").json()
    assert author == {"type": "author", "data": client.get("/api/v1/authors/maya-chen/").json()}


def test_home_and_blog_index_resolve_to_pages(client, content):
    home = client.get("/api/v1/resolve/?path=/").json()
    assert home["type"] == "home"
    seo = home["data"].pop("seo")
    assert home["data"] == {
        "id": content.home.pk,
        "page_type": "blog.HomePage",
        "title": "Heal & Thrive Psychotherapy",
        "path": "/",
        "url": "https://www.example-practice.test/",
        "intro": "Therapy in LA and online.",
        "hero_image": None,
        "body": [],
        "breadcrumbs": [{"title": "Heal & Thrive Psychotherapy", "path": "/"}],
    }
    assert seo["canonical_url"] == "https://www.example-practice.test/"
    index = client.get("/api/v1/resolve/?path=/blog/").json()
    assert (index["type"], index["data"]["page_type"], index["data"]["path"]) == (
        "article_index",
        "blog.BlogIndexPage",
        "/blog/",
    )


def test_a_standard_page_resolves_with_its_typed_body(client, content):
    from blog.models import StandardPage
    from tests.conftest import body_json

    page = StandardPage(title="Fees", slug="fees", intro="What sessions cost.")
    page.body = body_json(("quote", {"text": "Worth it.", "attribution": ""}))
    content.home.add_child(instance=page)
    page.save_revision().publish()
    data = client.get("/api/v1/resolve/?path=/fees/").json()
    assert data["type"] == "page"
    assert data["data"]["body"] == [
        {"type": "quote", "id": "block-0", "value": {"text": "Worth it.", "attribution": None}}
    ]


def test_hidden_articles_do_not_resolve(client, content):
    for article in content.hidden.values():
        response = client.get(f"/api/v1/resolve/?path=/blog/{article.slug}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_a_managed_redirect_resolves_to_its_location(client, content):
    Redirect.objects.create(old_path="/old-numbness", redirect_page=content.numbness, is_permanent=True)
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/x", is_permanent=False)
    assert client.get("/api/v1/resolve/?path=/old-numbness/").json() == {
        "type": "redirect",
        "data": {
            "location": "/blog/emotional-numbness/",
            "permanent": True,
            "path": "/blog/emotional-numbness/",
            "url": "https://www.example-practice.test/blog/emotional-numbness/",
        },
    }
    assert client.get("/api/v1/resolve/?path=/elsewhere").json()["data"] == {
        "location": "https://example.org/x",
        "permanent": False,
        "path": None,
        "url": "https://example.org/x",
    }


def test_unknown_paths_are_404_and_bad_paths_400(client, content):
    assert client.get("/api/v1/resolve/?path=/nothing/here/").json() == {
        "error": {"code": "not_found", "message": "Nothing is published at '/nothing/here/'."}
    }
    for bad in ["", "blog/", "//evil.example/", " /blog/", "http://x"]:
        response = client.get("/api/v1/resolve/", {"path": bad})
        assert response.status_code == 400, bad
        assert list(response.json()["error"]["fields"]) == ["path"]
    # What the schema's pattern accepts is never a 400; decoded, these lead nowhere.
    for nowhere in ["/%00/", "/%2Fevil.example/"]:
        assert client.get("/api/v1/resolve/", {"path": nowhere}).json() == {
            "error": {"code": "not_found", "message": f"Nothing is published at '{nowhere}'."}
        }
    assert client.get("/api/v1/resolve/").json()["error"]["fields"] == {
        "path": ["This parameter is required, e.g. path=/blog/."]
    }


def test_the_consultation_page_resolves_with_its_intro_privacy_note_and_thank_you_text(client, content):
    from readers.models import ConsultationPage

    page = ConsultationPage(
        title="Book a free consultation",
        slug="consultation",
        intro="A short call to see if we fit.",
        privacy_note="No health details here, please.",
        thank_you_heading="Thanks!",
        thank_you_text="We will call you within a day.",
    )
    content.home.add_child(instance=page)
    page.save_revision().publish()
    resolved = client.get("/api/v1/resolve/?path=/consultation/").json()
    assert resolved["type"] == "page"
    data = resolved["data"]
    seo = data.pop("seo")
    assert data == {
        "id": page.pk,
        "page_type": "readers.ConsultationPage",
        "title": "Book a free consultation",
        "path": "/consultation/",
        "url": "https://www.example-practice.test/consultation/",
        "intro": "A short call to see if we fit.",
        "hero_image": None,
        "body": [],
        "breadcrumbs": [
            {"title": "Heal & Thrive Psychotherapy", "path": "/"},
            {"title": "Book a free consultation", "path": "/consultation/"},
        ],
        "consultation": {
            "privacy_note": "No health details here, please.",
            "thank_you_heading": "Thanks!",
            "thank_you_text": "We will call you within a day.",
            "submit_url": "https://cms.example-practice.test/api/v1/consultation-requests/",
        },
    }
    assert seo["canonical_url"] == "https://www.example-practice.test/consultation/"


def test_pages_other_than_the_consultation_page_carry_no_consultation_texts(client, content):
    home = client.get("/api/v1/resolve/?path=/").json()
    assert "consultation" not in home["data"]
