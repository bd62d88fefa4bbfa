"""GET /api/v1/authors/ and /api/v1/authors/{slug}/."""

import pytest

from tests.api.helpers import BASE, author_json, image_json

pytestmark = pytest.mark.django_db


def test_authors_are_listed_by_name(client, content):
    assert client.get("/api/v1/authors/").json() == {
        "count": 2,
        "results": [author_json(content.reviewer), author_json(content.author)],
    }


def test_an_author_profile_counts_only_live_articles(client, content):
    data = client.get("/api/v1/authors/maya-chen/").json()
    seo = data.pop("seo")
    # Maya wrote numbness, stress and the four hidden articles: only two are live.
    assert data == {
        **author_json(content.author),
        "url": f"{BASE}/blog/authors/maya-chen/",
        "bio": None,
        "license_number": None,
        "article_count": 2,
        "reviewed_count": 0,
    }
    assert seo["canonical_url"] == f"{BASE}/blog/authors/maya-chen/"
    assert client.get("/api/v1/authors/daniel-ortiz/").json()["reviewed_count"] == 1


def test_an_author_photo_is_a_full_image(client, content):
    content.author.photo = content.image
    content.author.save()
    photo = client.get("/api/v1/authors/").json()["results"][1]["photo"]
    assert photo == image_json(content.image, "Maya Chen")


def test_an_unknown_author_is_not_found(client, content):
    assert client.get("/api/v1/authors/nobody/").json() == {
        "error": {"code": "not_found", "message": "No author with slug 'nobody'."}
    }
