"""Every block type renders as semantic HTML through its own template (templates/blocks/)."""

import pytest

from blog.blocks import ArticleStreamBlock
from tests.site.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def article(module_site):
    """The parsed HTML of the article that uses every block type, and ids it points at."""

    def use(client, content):
        response = client.get("/blog/emotional-numbness/")
        assert response.status_code == 200
        return soup(response)

    return module_site(use)


@pytest.fixture
def body(article):
    return article.select_one(".article__body")


def test_every_block_type_has_a_template():
    for name, block in ArticleStreamBlock().child_blocks.items():
        assert block.meta.template == f"blocks/{name}.html", name


def test_headings_render_at_their_level_with_the_table_of_contents_anchor(article, body):
    h2 = body.find("h2", id="what-it-feels-like")
    assert h2.get_text() == "What it feels like"
    h3 = body.find("h3", id="why")
    assert h3.get_text() == "Why it happens"
    toc = article.select_one("nav.toc")
    assert [(a["href"], a.get_text()) for a in toc.find_all("a")] == [
        ("#what-it-feels-like", "What it feels like"),
        ("#why", "Why it happens"),
    ]
    # The sub-section nests under its section.
    section = toc.find("ol").find("li", recursive=False)
    assert section.find("ol").find("a")["href"] == "#why"


def test_a_paragraph_renders_its_rich_text_with_page_links_resolved(body):
    paragraph = body.select_one(".block-paragraph")
    link = paragraph.find("a")
    assert link["href"] == "/blog/chronic-stress/"
    assert "linktype" not in str(paragraph)
    assert paragraph.get_text(" ", strip=True).startswith("Numbness is protective.")


def test_a_symptom_list_renders_a_titled_checklist(body):
    section = body.select_one(".block-symptom-list")
    assert "block-symptom-list--checklist" in section["class"]
    assert section.find("h3").get_text() == "People describe it as"
    assert section.select_one(".block-intro").get_text(strip=True) == "In their own words:"
    items = section.select("ul.checklist > li")
    assert [li.get_text() for li in items] == [
        "Going through life on autopilot",
        "Feeling far from people you love",
    ]


def test_an_approach_summary_renders_the_shared_approach(body):
    section = body.select_one(".block-approach")
    # Under the h3 "Why it happens", so its own title is an h4.
    assert section.find("h4").get_text() == "Cognitive Behavioral Therapy (CBT)"
    assert section.select_one(".block-approach__summary").get_text(strip=True) == (
        "Helps you notice and change unhelpful thought patterns."
    )
    assert section.select_one(".block-approach__evidence").get_text() == "One of the most studied therapies."


def test_a_call_to_action_renders_a_heading_text_and_button_link(article, body):
    cta = body.select_one(".block-cta")
    assert cta.find(["h2", "h3", "h4"]).get_text() == "Ready to feel again?"
    button = cta.select_one("a.button")
    assert (button["href"], button.get_text()) == ("/about/", "Book a free consultation")
    # The article has its own call to action, so the site-wide one is not added.
    assert article.find(id="consultation-heading") is None


def test_a_related_article_block_links_live_articles_only(body):
    cards = body.select(".block-related")
    assert len(cards) == 1  # the second block points at a draft and renders nothing
    assert cards[0].find("p").get_text() == "Stress can wear you down too."
    link = cards[0].select_one(".block-related__link a")
    assert (link["href"], link.get_text()) == ("/blog/chronic-stress/", "Chronic stress")
    assert "Not ready yet." not in body.get_text()


def test_a_quote_renders_a_blockquote_with_its_attribution(body):
    figure = body.select_one("figure.block-quote")
    assert figure.find("blockquote").get_text(strip=True) == "You're not broken. You're protecting yourself."
    assert figure.find("figcaption").get_text() == "— A client"


def test_an_image_renders_a_responsive_lazy_picture_with_its_alt_text_and_caption(body):
    figure = body.select_one("figure.block-image")
    source = figure.find("source")
    assert source["type"] == "image/webp"
    assert [part.split()[1] for part in source["srcset"].split(", ")] == ["400w", "800w", "1200w"]
    assert all(".webp" in part for part in source["srcset"].split(", "))
    img = figure.find("img")
    assert img["alt"] == "A person by a window"
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["loading"] == "lazy"
    assert img["sizes"] and img["srcset"].count("w,") == 2
    assert figure.find("figcaption").get_text() == "Morning light"


def test_the_hero_image_loads_eagerly_with_high_priority(article):
    img = article.select_one(".article__hero img")
    assert img["loading"] == "eager" and img["fetchpriority"] == "high"
    assert img["alt"] == "A person looking out at the sea"


def test_an_faq_renders_questions_as_headings_with_their_answers(body):
    faq = body.select_one(".block-faq")
    assert faq.find("h4").get_text() == "Frequently asked questions"
    questions = [h.get_text() for h in faq.select(".block-faq__question")]
    assert questions == ["Is numbness a sign of depression?", "Can therapy help?"]
    assert all(q.name == "h5" for q in faq.select(".block-faq__question"))
    assert [a.decode_contents().strip() for a in faq.select(".block-faq__answer")] == [
        "<p>Not always.</p>",
        "<p>Yes, <b>gently</b>.</p>",
    ]


def test_the_article_shows_author_reviewer_review_date_and_topics(article):
    meta = {dt.get_text(): dt.find_next_sibling("dd") for dt in article.select(".article__meta dt")}
    assert meta["Written by"].find("a")["href"] == "/blog/authors/maya-chen/"
    assert meta["Written by"].find("a").get_text() == "Maya Chen, LMFT"
    assert meta["Clinically reviewed by"].find("a").get_text() == "Daniel Ortiz, PsyD"
    assert meta["Last reviewed"].find("time")["datetime"] == "2026-10-15"
    topics = article.find("ul", attrs={"aria-label": "Topics"})
    assert [(a["href"], a.get_text()) for a in topics.find_all("a")] == [
        ("/blog/topics/anxiety/", "Anxiety"),
        ("/blog/topics/trauma/", "Trauma"),
    ]


def test_the_article_lists_related_articles_and_leaves_a_spot_for_comments(article):
    related = article.select_one("section.related")
    assert [a.get_text() for a in related.select(".card__title a")] == ["Chronic stress"]
    assert related.find("h2").get_text() == "Related articles"
