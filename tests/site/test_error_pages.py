"""Error pages outside the API: HTML with the crisis notice; the 500 page needs nothing."""

import pytest
from django.template.loader import render_to_string

from tests.site.helpers import soup


def test_an_unknown_page_gets_the_html_404_with_the_crisis_notice(client, home, practice):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    doc = soup(response)
    assert doc.title.get_text() == "Page not found | Heal & Thrive Psychotherapy"
    assert doc.find("meta", attrs={"name": "robots"})["content"] == "noindex,follow"
    assert doc.find("link", rel="canonical") is None
    assert doc.find("h1").get_text() == "We can’t find that page"
    assert doc.find("aside", attrs={"aria-label": "Crisis support"}).find("a", href="tel:988")
    assert doc.find("footer").find("a", href="tel:3105550142")


@pytest.mark.django_db
def test_the_500_page_renders_without_context_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    doc = soup_html(html)
    assert doc.title.get_text() == "Something went wrong"
    assert doc.html["lang"] == "en"
    assert doc.find("h1").get_text() == "Something went wrong on our side"
    notice = doc.find("aside", attrs={"aria-label": "Crisis support"})
    assert "988 Suicide & Crisis Lifeline" in notice.get_text()
    assert notice.find("a", href="tel:988")


def soup_html(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")
