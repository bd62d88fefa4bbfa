"""blog.seo: the one helper behind the rendered head and the API's seo object."""

import json

import pytest
from wagtail.models import PreviewableMixin

from blog import seo
from blog.models import PracticeSettings
from tests.conftest import body_json
from tests.site.helpers import BASE, canonicals, json_ld, meta, soup


def test_the_canonical_override_wins_in_the_head_and_structured_data(client, make_article, practice):
    make_article("Moved here", canonical_url="https://original.example/post")
    doc = soup(client.get("/blog/moved-here/"))
    assert canonicals(doc) == ["https://original.example/post"]
    assert meta(doc, prop="og:url") == ["https://original.example/post"]
    assert json_ld(doc)[0]["url"] == "https://original.example/post"


def test_noindex_pages_say_so_in_the_robots_meta(client, make_article, practice):
    make_article("Private note", noindex=True)
    doc = soup(client.get("/blog/private-note/"))
    assert meta(doc, name="robots") == ["noindex,follow"]


def test_the_seo_description_wins_over_the_excerpt(client, make_article, practice):
    make_article("Described", search_description="Written for search results.")
    doc = soup(client.get("/blog/described/"))
    assert meta(doc, name="description") == ["Written for search results."]
    make_article("Excerpted", excerpt="The excerpt, as a fallback.")
    assert meta(soup(client.get("/blog/excerpted/")), name="description") == ["The excerpt, as a fallback."]


def test_a_long_description_is_cut_at_a_word_boundary():
    text = "word " * 60
    result = seo.plain_description(f"<p>{text}</p>")
    assert len(result) <= seo.DESCRIPTION_MAX_CHARS
    assert result.endswith("word…")


def test_json_ld_cannot_break_out_of_its_script_element(client, make_article, practice):
    make_article("Why </script><b>tags</b> & more matter", slug="script-title")
    html = client.get("/blog/script-title/").content.decode()
    assert "</script><b>" not in html
    assert "\\u003C/script\\u003E\\u003Cb\\u003Etags" in html
    [post] = [item for item in json_ld(soup_from(html)) if item["@type"] == "BlogPosting"]
    assert post["headline"] == "Why </script><b>tags</b> & more matter"


def soup_from(html):
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_json_ld_script_escapes_angle_brackets_and_ampersands():
    rendered = seo.json_ld_script({"name": "<b>&</b>"})
    assert (
        rendered
        == '<script type="application/ld+json">{"name":"\\u003Cb\\u003E\\u0026\\u003C/b\\u003E"}</script>'
    )
    payload = rendered.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(payload) == {"name": "<b>&</b>"}


def test_page_two_of_a_listing_has_its_own_title_description_and_canonical(practice):
    base = seo.listing_seo(
        title="Anxiety",
        description="Articles about anxiety.",
        path="/blog/topics/anxiety/",
        crumbs=[],
        practice=practice,
    )
    second = seo.paginated(base, 2)
    assert second["title"] == "Anxiety (page 2) | Heal & Thrive Psychotherapy"
    assert second["description"] == "Articles about anxiety. (Page 2.)"
    assert second["canonical_url"] == BASE + "/blog/topics/anxiety/?page=2"
    assert second["open_graph"]["og:url"] == second["canonical_url"]
    assert second["json_ld"][0]["url"] == second["canonical_url"]
    assert seo.paginated(base, 1) is base


def test_an_article_without_an_faq_has_no_faq_structured_data(make_article, practice):
    article = make_article("Plain", body=body_json(("paragraph", "<p>Words.</p>")))
    types = [item["@type"] for item in seo.page_seo(article, practice=practice)["json_ld"]]
    assert types == ["BlogPosting", "BreadcrumbList"]


@pytest.mark.django_db
def test_the_seo_object_keeps_its_keys_for_the_api(home, practice):
    data = seo.page_seo(home, practice=PracticeSettings.load())
    assert set(data) == {
        "title",
        "description",
        "canonical_url",
        "robots",
        "image",
        "open_graph",
        "twitter",
        "json_ld",
    }
    assert data["title"] == "Heal & Thrive Psychotherapy"
    assert data["description"] == "Therapy in LA and online."
    assert [item["@type"] for item in data["json_ld"]] == ["MedicalBusiness", "WebSite"]


def test_a_draft_rendered_as_a_preview_is_never_indexable(rf, make_article, practice):
    article = make_article("Previewed")
    request = rf.get("/blog/previewed/")
    request.is_preview = True  # what Wagtail sets before rendering a preview
    # Wagtail's own preview rendering with the page's template (publishing may wrap it).
    response = PreviewableMixin.serve_preview(article, request, "")
    response.render()
    assert meta(soup(response), name="robots") == ["noindex,follow"]
