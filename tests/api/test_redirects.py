"""GET /api/v1/redirects/."""

import pytest
from wagtail.contrib.redirects.models import Redirect

pytestmark = pytest.mark.django_db


def test_every_managed_redirect_is_listed_except_those_to_hidden_pages(client, content):
    Redirect.objects.create(old_path="/old-numbness", redirect_page=content.numbness, is_permanent=True)
    Redirect.objects.create(old_path="/elsewhere", redirect_link="https://example.org/x", is_permanent=False)
    Redirect.objects.create(old_path="/to-a-draft", redirect_page=content.hidden["draft"])
    assert client.get("/api/v1/redirects/").json() == {
        "count": 2,
        "results": [
            {
                "location": "https://example.org/x",
                "permanent": False,
                "path": None,
                "url": "https://example.org/x",
                "old_path": "/elsewhere",
            },
            {
                "location": "/blog/emotional-numbness/",
                "permanent": True,
                "path": "/blog/emotional-numbness/",
                "url": "https://www.example-practice.test/blog/emotional-numbness/",
                "old_path": "/old-numbness",
            },
        ],
    }
