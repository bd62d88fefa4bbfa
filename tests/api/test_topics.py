"""GET /api/v1/topics/ and /api/v1/topics/{slug}/."""

import pytest

from tests.api.helpers import BASE, topic_json

pytestmark = pytest.mark.django_db


def test_topics_are_listed_by_name_with_live_article_counts_only(client, content):
    # Every hidden article has Anxiety and Trauma: none of them is counted.
    assert client.get("/api/v1/topics/").json() == {
        "count": 3,
        "results": [
            topic_json("anxiety", "Anxiety", 2),
            topic_json("stress", "Stress", 2),
            topic_json("trauma", "Trauma", 1),
        ],
    }


def test_a_topic_has_its_description_and_listing_seo(client, content):
    data = client.get("/api/v1/topics/anxiety/").json()
    seo = data.pop("seo")
    assert data == {**topic_json("anxiety", "Anxiety", 2), "description": "Worry that will not switch off."}
    assert seo["canonical_url"] == f"{BASE}/blog/topics/anxiety/"
    assert seo["title"] == "Anxiety | Heal & Thrive Psychotherapy"
    assert [ld["@type"] for ld in seo["json_ld"]] == ["CollectionPage", "BreadcrumbList"]


def test_a_topic_without_live_articles_is_not_found(client, content, make_article):
    from blog.models import Topic

    Topic.objects.create(name="Grief", slug="grief")
    make_article("Draft grief", topics=["Grief"], live=False)
    assert client.get("/api/v1/topics/grief/").status_code == 404
    assert client.get("/api/v1/topics/nope/").json() == {
        "error": {"code": "not_found", "message": "No topic with slug 'nope'."}
    }
    assert "grief" not in client.get("/api/v1/topics/").content.decode()
