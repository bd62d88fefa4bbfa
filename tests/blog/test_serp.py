"""The search-result preview's numbers (blog.serp) and the panel that shows them in the editor."""

import json
import re

import pytest
from django.urls import reverse

from blog import serp
from blog.seo import plain_description


def test_widths_are_arials_at_the_font_size():
    assert serp.text_width("iii", 20) == 13.3  # 3 × 222 / 1000 × 20
    assert serp.text_width("MMM", 20) == 50.0
    assert serp.text_width("é", 10) == 5.6  # not in the table: a digit's width


def test_a_title_that_fits_is_shown_whole():
    result = serp.fit("Emotional numbness | Heal & Thrive", max_px=580, font_px=20)
    assert (result.truncated, result.shown, result.cut_at) == (False, result.text, None)
    assert result.chars == 34


def test_a_title_too_wide_is_cut_at_a_word_with_an_ellipsis_inside_the_limit():
    title = "Psychotherapy for Emotional Numbness and Disconnection: Signs, Causes and Help | Heal & Thrive"
    result = serp.fit(title, max_px=580, font_px=20)
    assert result.truncated
    assert result.width_px > 580
    assert result.shown == "Psychotherapy for Emotional Numbness and Disconnection:…"[:-2] + "…"
    assert serp.text_width(result.shown, 20) <= 580
    assert result.cut_at == len(result.shown) - 1
    assert title.startswith(result.shown[:-1])


def test_the_site_cuts_a_long_description_at_160_characters_and_the_search_result_cuts_it_by_width():
    description = ("Feeling flat, far away from people you love, or unable to cry? " * 4).strip()
    assert len(description) == 251
    site = serp.cut_description(description)
    assert len(site) <= 160 and site.endswith("…")
    assert plain_description(f"<p>{description}</p>") == site
    shown = serp.fit(site, max_px=920, font_px=14)
    assert serp.text_width(shown.shown, 14) <= 920


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Psychotherapy for Emotional Numbness", True),
        ("emotional-numbness", True),  # punctuation separates words, as in a slug
        ("Numbness, emotional", False),
        ("Emotionally numb", False),
        ("EMOTIONAL   numbness!", True),
    ],
)
def test_a_keyphrase_is_found_as_whole_words_in_order(text, expected):
    assert serp.contains_phrase(text, "emotional numbness") is expected


def test_keyphrase_checks_report_each_place():
    checks = serp.keyphrase_checks(
        "emotional numbness",
        title="Psychotherapy for Emotional Numbness",
        slug="emotional-numbness",
        first_paragraph="Do you feel nothing at all?",
        description="Why emotional numbness happens and how therapy helps.",
        headings=["What it feels like", "Causes of emotional numbness"],
    )
    assert [(c["key"], c["passed"]) for c in checks] == [
        ("title", True),
        ("slug", True),
        ("first_paragraph", False),
        ("description", True),
        ("headings", True),
    ]
    assert (
        serp.keyphrase_checks("  ", title="x", slug="x", first_paragraph="", description="", headings=[])
        == []
    )


@pytest.mark.django_db
def test_the_article_editor_shows_the_preview_with_counters_checks_and_warnings(
    admin_client, make_article, practice
):
    title = "Psychotherapy for Emotional Numbness and Disconnection: Signs, Causes and Real Help"
    article = make_article(
        title,
        slug="emotional-numbness",
        excerpt="Why emotional numbness happens and how therapy helps.",
        focus_keyphrase="emotional numbness",
    )
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[article.pk])).content.decode()

    assert "cms/seo-panel.js" in html and "cms/seo-panel.css" in html
    config = json.loads(
        re.search(r'<script id="seo-panel-config" type="application/json">(.*?)</script>', html).group(1)
    )
    assert config["siteName"] == practice.practice_name
    assert config["urlPrefix"] == "https://www.example-practice.test/blog/"
    assert config["title"] == {"fontPx": 20, "maxPx": 580}
    expected = serp.fit(f"{title} | {practice.practice_name}", max_px=580, font_px=20)
    assert expected.truncated
    assert f"cut after {expected.cut_at} characters" in html
    assert f"The title will be cut in search results after {expected.cut_at} characters." in html
    checks = dict(re.findall(r'data-seo-check="(\w+)">([✓✗])', html))
    assert checks == {"title": "✓", "slug": "✓", "first_paragraph": "✗", "description": "✓", "headings": "✗"}
