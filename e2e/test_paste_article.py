"""The marketing person's fast path: the seed article, open as a WordPress page, is selected
and copied in the browser, pasted into "Create article from a document", and published. The
article has a heading block for every heading and a symptom list for every list, and the
whole path takes at most 30 of the editor's actions (a click, a key chord, a field filled),
counted as they happen. Signing in is counted too."""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from e2e.conftest import ACTION_TIMEOUT_MS, DEFAULT_VIEWPORT, save_screenshot
from e2e.wagtail_admin import (
    AUTOSAVE_WATCH_SCRIPT,
    CLINICIAN,
    StreamFieldEditor,
    clinician_password,
    footer_action,
    list_items,
    log_in,
    wait_for_autosave_to_settle,
)
from tests.blog.wordpress_seed import seed_structure, seed_wordpress_html

MAX_ACTIONS = 30
SLUG = "psychotherapy-for-emotional-numbness-and-disconnection"


@dataclass
class Editor:
    """Performs and counts what the person does with mouse and keyboard."""

    page: Page
    actions: list[str] = field(default_factory=list)

    def click(self, target: Locator, what: str) -> None:
        target.click()
        self.actions.append(f"click {what}")

    def fill(self, target: Locator, value: str, what: str) -> None:
        target.fill(value)
        self.actions.append(f"fill {what}")

    def chord(self, page: Page, keys: str, what: str) -> None:
        page.keyboard.press(keys)
        self.actions.append(f"keys {keys} ({what})")


@pytest.fixture
def fresh_tab(browser: Browser, live_project):
    context = browser.new_context(
        base_url=live_project.base_url,
        viewport=DEFAULT_VIEWPORT,
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(AUTOSAVE_WATCH_SCRIPT)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def clipboard_editor(browser: Browser, live_project, editor_state: str):
    """A logged-in admin tab whose page may write to the clipboard (the test's copy step)."""
    context = browser.new_context(
        base_url=live_project.base_url,
        viewport=DEFAULT_VIEWPORT,
        storage_state=editor_state,
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(AUTOSAVE_WATCH_SCRIPT)
    yield context.new_page()
    context.close()


def api_json(base_url: str, path: str) -> dict:
    with urllib.request.urlopen(f"{base_url}{path}", timeout=30) as response:  # noqa: S310 - local server
        return json.load(response)


def test_the_seed_article_goes_from_a_wordpress_page_to_published_in_at_most_30_actions(
    fresh_tab: Page, live_project, artifacts_dir
):
    title, parts = seed_structure()
    editor = Editor(fresh_tab)
    admin = fresh_tab

    # The WordPress page, open in another tab of the same browser.
    wordpress = admin.context.new_page()
    wordpress.set_content(f"<!doctype html><html><body>{seed_wordpress_html()}</body></html>")

    # Sign in.
    admin.goto("/admin/login/")
    editor.fill(admin.get_by_label("Username"), live_project.username, "username")
    editor.fill(admin.get_by_label("Password"), live_project.password, "password")
    editor.click(admin.get_by_role("button", name="Sign in"), "Sign in")
    expect(admin).to_have_url(re.compile(r"/admin/$"))

    # Select the whole post on the WordPress page and copy it, as a browser copies it.
    wordpress.bring_to_front()
    editor.click(wordpress.locator(".entry-content p").first, "into the WordPress page")
    editor.chord(wordpress, "ControlOrMeta+a", "select all")
    editor.chord(wordpress, "ControlOrMeta+c", "copy")

    # Open the import screen from the admin menu and paste.
    admin.bring_to_front()
    editor.click(admin.get_by_role("link", name="Import a document"), "menu: Import a document")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Create article from a document")
    paste_area = admin.get_by_role("textbox", name="Paste the article here")
    editor.click(paste_area, "paste area")
    editor.chord(admin, "ControlOrMeta+v", "paste")
    summary = admin.locator("[data-document-import-summary]")
    headings = [text for kind, text in parts if kind in {"h2", "h3"}]
    lists = [items for kind, items in parts if kind == "ul"]
    expect(summary).to_contain_text(f"{len(headings) + 1} headings, {len(lists)} lists")
    expect(paste_area.locator("h2").first).to_have_text(title)
    assert admin.locator("input[name='html']").input_value().count("<h2") >= 9
    save_screenshot(admin, artifacts_dir / "paste-import" / "pasted.png")
    editor.click(admin.get_by_role("button", name="Create draft article"), "Create draft article")

    # The normal edit view of the new draft, title and excerpt filled in.
    expect(admin).to_have_url(re.compile(r"/admin/pages/\d+/edit/$"))
    edit_url = admin.url
    expect(admin.locator(".messages .success")).to_contain_text(f"'{title}' was created as a draft")
    expect(admin.get_by_placeholder("Page title*")).to_have_value(title)
    expect(admin.get_by_role("textbox", name=re.compile("^Excerpt"))).to_have_value(
        re.compile(r"^Have you ever felt like you’re watching your own life")
    )
    save_screenshot(admin, artifacts_dir / "paste-import" / "draft-in-editor.png", full_page=False)

    # Submit to the clinical review from the footer's menu (confirming once if Wagtail's
    # editing-session check asks): health articles go live only once a clinician approves.
    wait_for_autosave_to_settle(admin)

    def accept_seo_warning(dialog) -> None:
        # The SEO panel asks before a title or description that search results will cut.
        editor.actions.append(f"click OK ({dialog.message.splitlines()[0]})")
        dialog.accept()

    admin.on("dialog", accept_seo_warning)
    editor.click(admin.get_by_role("button", name="More actions"), "More actions")
    editor.click(admin.get_by_role("button", name="Submit to Clinical review", exact=True), "Submit")
    submitted = admin.locator(".messages .success").filter(has_text="has been submitted for moderation")
    conflict = admin.get_by_role("dialog").filter(has_text="saved a new version in another window")
    expect(submitted.or_(conflict)).to_be_visible()
    if conflict.is_visible():
        editor.click(
            conflict.get_by_role("button", name="Submit to Clinical review", exact=True), "confirm Submit"
        )
        expect(submitted).to_be_visible()

    print(f"\n{len(editor.actions)} editor actions:\n  " + "\n  ".join(editor.actions))
    assert len(editor.actions) <= MAX_ACTIONS, editor.actions

    # The clinical review, counted apart: a demo clinician approves and the article goes live.
    clinician_context = admin.context.browser.new_context(base_url=live_project.base_url)
    clinician = clinician_context.new_page()
    log_in(clinician, CLINICIAN, clinician_password(live_project))
    clinician.goto(edit_url)
    footer_action(clinician, "Approve and Publish")
    expect(clinician.locator(".messages .success")).to_contain_text(f"'{title}'")
    clinician_context.close()

    # What readers and the frontend get: every heading a heading block, every list a list block.
    article = api_json(live_project.base_url, f"/api/v1/articles/{SLUG}/")
    assert article["title"] == title
    body_headings = [
        (b["value"]["text"], b["value"]["level"]) for b in article["body"] if b["type"] == "heading"
    ]
    assert body_headings == [(text, int(kind[1])) for kind, text in parts if kind in {"h2", "h3"}]
    body_lists = [b["value"]["items"] for b in article["body"] if b["type"] == "symptom_list"]
    assert body_lists == lists
    assert [entry["text"] for entry in article["table_of_contents"]] == headings
    assert article["excerpt"].startswith("Have you ever felt like you’re watching your own life")

    reader = admin.context.new_page()
    reader.goto(f"/blog/{SLUG}/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(title)
    expect(reader.get_by_role("heading", name="Why Do We Shut Down Emotionally?")).to_be_visible()
    expect(reader.locator("main li", has_text="Going through life on autopilot")).to_be_visible()
    save_screenshot(reader, artifacts_dir / "paste-import" / "published.png")


def test_pasting_several_lines_into_a_list_item_makes_one_item_per_line(clipboard_editor: Page):
    """In the normal editor: a new symptom list, three lines pasted into its first item."""
    editor = clipboard_editor
    lines = ["Waking at 4 a.m.", "Replaying the day", "A tight chest"]
    editor.goto("/admin/pages/")
    editor.get_by_role("link", name="Explore child pages of 'Heal & Thrive Psychotherapy'").click()
    editor.get_by_role("link", name="Explore child pages of 'Blog'").click()
    editor.get_by_role("link", name="Add child page").click()
    body = StreamFieldEditor(editor, "body")
    block = body.append("Symptom list")
    items = list_items(block, "items")
    expect(items).to_have_count(1)
    first = items.first.locator("input[type='text']")
    first.click()
    editor.evaluate("text => navigator.clipboard.writeText(text)", "\n".join(f"• {line}" for line in lines))
    editor.keyboard.press("ControlOrMeta+v")

    expect(items).to_have_count(3)
    assert [items.nth(i).locator("input[type='text']").input_value() for i in range(3)] == lines
