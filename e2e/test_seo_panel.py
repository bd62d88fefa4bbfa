"""The editor's search and sharing tools on the seed article, in the real admin.

The "Search and sharing preview" panel shows the search result with the numbers blog.serp
computes (the test imports it: it needs no Django), ticks the focus keyphrase checks as the
editor types, previews the social card, and asks before publishing a title that will be cut.
Wagtail's Checks panel shows real content metrics, since the preview carries the userbar. The
admin raises no CSP error. Screenshots: seo-panel.png, checks-panel.png, editor-phone.png.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from blog import serp
from e2e.conftest import save_screenshot

SITE_NAME = "Heal & Thrive Psychotherapy"
LONG_TITLE = "Psychotherapy for Emotional Numbness and Disconnection: Signs, Causes and Real Help"


@pytest.fixture
def seed_article_edit_url(editor: Page) -> str:
    article = editor.request.get("/api/v1/articles/emotional-numbness/").json()
    return f"/admin/pages/{article['id']}/edit/"


@pytest.fixture
def console_errors(editor: Page) -> list[str]:
    errors: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            errors.append(message.text)

    editor.on("console", keep)
    return errors


def open_promote_tab(editor: Page, url: str):
    editor.goto(url)
    editor.get_by_role("tab", name="Promote").click()
    panel = editor.locator("[data-seo-panel]")
    expect(panel).to_be_visible()
    return panel


def test_the_search_preview_counts_cuts_and_checks_the_keyphrase_live(
    editor: Page, seed_article_edit_url: str, artifacts_dir, console_errors
):
    panel = open_promote_tab(editor, seed_article_edit_url)

    editor.get_by_role("textbox", name="Focus keyphrase").fill("emotional numbness")
    for key in ("title", "slug", "description", "headings"):
        expect(panel.locator(f'[data-seo-check="{key}"]')).to_have_class(re.compile("seo-check--pass"))
    editor.get_by_role("textbox", name="Focus keyphrase").fill("grief counselling")
    expect(panel.locator('[data-seo-check="title"]')).to_have_class(re.compile("seo-check--fail"))
    editor.get_by_role("textbox", name="Focus keyphrase").fill("emotional numbness")

    editor.get_by_role("textbox", name=re.compile("^Title tag")).fill(LONG_TITLE)
    expected = serp.fit(f"{LONG_TITLE} | {SITE_NAME}", max_px=serp.TITLE_MAX_PX, font_px=serp.TITLE_FONT_PX)
    assert expected.truncated
    expect(panel.locator("[data-seo-title]")).to_have_text(expected.shown)
    expect(panel.locator("[data-seo-title-count]")).to_have_text(
        f"{expected.chars} characters · {serp.whole_px(expected.width_px)} of {serp.TITLE_MAX_PX} px"
        f" · cut after {expected.cut_at} characters"
    )
    expect(panel.locator("[data-seo-warnings]")).to_contain_text(
        f"The title will be cut in search results after {expected.cut_at} characters"
    )
    expect(panel.locator("[data-seo-url]")).to_contain_text("› blog › emotional-numbness")
    expect(panel.locator("[data-seo-card-title]")).to_have_text(
        LONG_TITLE[: serp.SOCIAL_TITLE_MAX_CHARS - 1] + "…"
    )
    expect(panel.locator("[data-seo-card-image] img")).to_have_count(1)
    save_screenshot(editor, artifacts_dir / "seo-panel.png", full_page=True)
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def test_publishing_a_title_that_will_be_cut_asks_first(editor: Page, seed_article_edit_url: str):
    open_promote_tab(editor, seed_article_edit_url)
    editor.get_by_role("textbox", name=re.compile("^Title tag")).fill(LONG_TITLE)
    messages: list[str] = []

    def dismiss(dialog) -> None:
        messages.append(dialog.message)
        dialog.dismiss()

    editor.once("dialog", dismiss)
    # The seed article's next publish goes through the clinical review: submitting is the
    # editor's publish.
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name="Submit to Clinical review", exact=True).click()

    expect(editor).to_have_url(re.compile(r"/edit/(#[\w-]*)?$"))
    assert len(messages) == 1
    assert "The title will be cut in search results" in messages[0]
    assert messages[0].endswith("Publish anyway?")
    # Nothing was published: the live page keeps its title tag.
    html = editor.request.get("/blog/emotional-numbness/").text()
    assert LONG_TITLE not in html


def test_wagtails_checks_panel_shows_real_numbers_for_the_seed_article(
    editor: Page, seed_article_edit_url: str, artifacts_dir, console_errors
):
    editor.goto(seed_article_edit_url)
    editor.locator('[data-side-panel-toggle="checks"]').click()
    checks = editor.locator('[data-side-panel="checks"]')
    words = checks.locator("[data-content-word-count]")
    expect(words).to_have_text(re.compile(r"^\d[\d,]*$"), timeout=60_000)
    assert int(words.inner_text().replace(",", "")) > 500
    expect(checks.locator("[data-content-reading-time]")).to_have_text(re.compile(r"\d+ min"))
    expect(checks.locator("[data-content-readability-score]")).not_to_have_text("-")
    save_screenshot(editor, artifacts_dir / "checks-panel.png", full_page=False)
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def test_the_editor_works_at_phone_width(editor: Page, seed_article_edit_url: str, artifacts_dir):
    editor.set_viewport_size({"width": 390, "height": 844})
    panel = open_promote_tab(editor, seed_article_edit_url)
    box = panel.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 + 1
    save_screenshot(editor, artifacts_dir / "editor-phone.png", full_page=False)


def test_the_admin_loads_nothing_the_csp_blocks(editor: Page, console_errors):
    editor.goto("/admin/")
    expect(editor.get_by_role("heading", level=1)).to_be_visible()
    avatar_sources = editor.locator("img.avatar, .avatar img").evaluate_all("els => els.map(e => e.src)")
    assert all("gravatar" not in src for src in avatar_sources)
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def test_staff_can_open_the_editor_from_the_live_article(editor: Page, page: Page, console_errors):
    editor.goto("/blog/emotional-numbness/")
    editor.locator("wagtail-userbar").get_by_role("button", name="View Wagtail quick actions").click()
    edit = editor.locator("wagtail-userbar").get_by_role("menuitem", name="Edit this page")
    expect(edit).to_be_visible()
    assert [e for e in console_errors if "Content Security Policy" in e] == []
    edit.click()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))

    page.goto("/blog/emotional-numbness/")
    expect(page.locator("wagtail-userbar")).to_have_count(0)
