"""GET /api/v1/site/."""

import pytest

from tests.api.helpers import BASE

pytestmark = pytest.mark.django_db


def test_site_settings_for_every_page(client, content, make_article):
    practice = content.practice
    draft = content.hidden["draft"]
    practice.navigation = [
        ("link", {"page": content.blog_index, "title": ""}),
        ("link", {"page": draft, "title": "Hidden"}),
        ("link", {"page": content.home, "title": "Start"}),
    ]
    practice.cta_page = content.blog_index
    practice.cta_text = "<p>Free 15-minute call.</p>"
    practice.social_links = [("profile", {"network": "instagram", "url": "https://instagram.com/x"})]
    practice.save()
    assert client.get("/api/v1/site/").json() == {
        "name": "Heal & Thrive Psychotherapy",
        "base_url": BASE,
        "tagline": "Therapy for anxiety, trauma and burnout",
        "crisis_notice": {
            "text": "If you are in crisis or thinking about suicide, call or text 988 to reach the 988 "
            "Suicide & Crisis Lifeline, available 24/7. In an emergency, call 911.",
            "phone": "988",
        },
        "contact": {
            "phone": "(310) 555-0142",
            "email": "hello@example-practice.test",
            "address": {
                "street_address": "100 Wilshire Blvd",
                "city": "Los Angeles",
                "region": "CA",
                "postal_code": "90401",
            },
        },
        "locations": [
            {"slug": "los-angeles", "name": "Los Angeles", "kind": "in_person", "description": None},
            {"slug": "california", "name": "California", "kind": "telehealth", "description": None},
        ],
        # The link to a draft is left out.
        "navigation": [{"title": "Blog", "path": "/blog/"}, {"title": "Start", "path": "/"}],
        "consultation_cta": {
            "heading": "Ready to take the first step?",
            "text": "<p>Free 15-minute call.</p>",
            "button": {"label": "Book a free consultation", "url": f"{BASE}/blog/", "path": "/blog/"},
        },
        "social_links": [{"network": "instagram", "url": "https://instagram.com/x"}],
    }
