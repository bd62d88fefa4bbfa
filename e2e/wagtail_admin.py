"""What an editor does in the Wagtail 8 admin, as small functions over the real DOM.

Locators follow what a person sees: roles, accessible names and visible labels. Where the
admin gives no accessible name (StreamField's block menu, list items, Draftail editors), the
structural hooks Wagtail itself relies on are used (``data-streamfield-*``, ``data-contentpath``),
scoped to one block so a test never types into the wrong field.
"""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Locator, Page, expect


def log_in(page: Page, username: str, password: str) -> None:
    """Sign in through the admin's login form and land on the dashboard."""
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def explore(page: Page, *titles: str) -> None:
    """From the page explorer's root, open the child listing of each title in turn."""
    page.goto("/admin/pages/")
    for title in titles:
        page.get_by_role("link", name=f"Explore child pages of '{title}'").click()
        expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text(title)


def textbox(scope: Page | Locator, label: str) -> Locator:
    """A text input or textarea by its visible label (required ones carry a trailing '*')."""
    return scope.get_by_role("textbox", name=re.compile(rf"^{re.escape(label)}\*?$"))


def type_rich_text(editor: Locator, *parts: str | tuple[str, str]) -> None:
    """Type into a Draftail editor. A ("bold", text) part is typed with bold switched on."""
    editor.click()
    keyboard = editor.page.keyboard
    for part in parts:
        if isinstance(part, tuple):
            style, text = part
            shortcut = {"bold": "ControlOrMeta+b", "italic": "ControlOrMeta+i"}[style]
            keyboard.press(shortcut)
            keyboard.type(text)
            keyboard.press(shortcut)
        else:
            keyboard.type(part)


def rich_text_field(block: Locator, name: str | None = None) -> Locator:
    """The Draftail editor of a block's child field (or of the block itself when name is None)."""
    scope = block.locator(f"[data-contentpath='{name}']") if name else block
    return scope.locator("[contenteditable='true']").first


class Chooser:
    """Wagtail's chooser modal (pages, images, snippets): search, then pick a result."""

    def __init__(self, page: Page):
        self.modal = page.locator(".modal[role='dialog']")

    def search(self, text: str) -> Chooser:
        expect(self.modal).to_be_visible()
        self.modal.get_by_label("Search term").fill(text)
        return self

    def pick_link(self, name: str | re.Pattern) -> None:
        self.modal.get_by_role("link", name=name).first.click()
        expect(self.modal).to_be_hidden()


class StreamFieldEditor:
    """The StreamField widget of one field (``body``): add blocks in order, get them back."""

    def __init__(self, page: Page, field: str = "body"):
        self.page = page
        self.root = page.locator(f"#{field}-root")
        container = self.root.locator(":scope > [data-streamfield-stream-container]")
        self.blocks = container.locator(":scope > [data-streamfield-child]")
        self.add_buttons = container.locator(
            ":scope > div:not([data-streamfield-child]) > button.c-sf-add-button"
        )

    def append(self, label: str) -> Locator:
        """Append a block chosen by its label in the block menu; return its panel."""
        count = self.blocks.count()
        self.add_buttons.last.click()
        self.page.get_by_role("option", name=label, exact=True).click()
        # Wait for the new block, so the next append targets the button after it.
        expect(self.blocks).to_have_count(count + 1)
        block = self.blocks.nth(count)
        expect(block.locator(".c-sf-block__type").first).to_have_text(label)
        return block


def list_items(block: Locator, name: str) -> Locator:
    """The items of a ListBlock child (e.g. a symptom list's ``items``)."""
    container = block.locator(f"[data-contentpath='{name}'] [data-streamfield-list-container]")
    return container.locator(":scope > [data-streamfield-child]")


def fill_list(block: Locator, name: str, values: list[str]) -> None:
    """Fill a ListBlock of text items, adding rows with its '+' button as needed."""
    items = list_items(block, name)
    container = block.locator(f"[data-contentpath='{name}'] [data-streamfield-list-container]")
    add = container.locator(":scope > button[title='Add']")
    for index, value in enumerate(values):
        if items.count() <= index:
            add.last.click()
            expect(items).to_have_count(index + 1)
        items.nth(index).locator("input[type='text']").fill(value)


def add_tags(page: Page, section_heading: str, tags: list[str]) -> None:
    """Type tags into a tag field (the jQuery tag-it widget), confirming each with Enter."""
    section = page.get_by_role("region", name=re.compile(rf"^{re.escape(section_heading)}"))
    field = section.locator(".tagit-new input")
    open_suggestions = page.locator("ul.ui-autocomplete:visible")
    for tag in tags:
        # Typed key by key like a person: the widget listens to key events, not to value changes.
        # Its suggestions arrive after a delay; Enter while an earlier word's suggestion list is
        # still open would be swallowed, so wait for this word's answer, close the list, then
        # confirm the tag.
        with page.expect_response(lambda response, tag=tag: _is_tag_suggestion_for(response.url, tag)):
            field.press_sequentially(tag)
        chip = section.locator(".tagit-choice", has_text=tag)
        # The list can still open after the check below (it renders after the response, later
        # under load) and swallow Enter: then close it and confirm again, as a person would.
        expect(field).to_have_value(tag)
        for _attempt in range(3):
            if open_suggestions.count():
                field.press("Escape")
            if field.input_value() == tag:  # not yet taken (a late chip empties the field)
                field.press("Enter")
            try:
                expect(chip).to_be_visible(timeout=3000)
                break
            except AssertionError:
                continue
        expect(chip).to_be_visible()


def _is_tag_suggestion_for(url: str, tag: str) -> bool:
    parts = urlsplit(url)
    return "/admin/tag-autocomplete/" in parts.path and parse_qs(parts.query).get("term") == [tag]


# Wagtail 8 autosaves the edit form in the background (every WAGTAIL_AUTOSAVE_INTERVAL ms).
# An autosave still in flight when the editor presses Save or Publish can land after it and
# become the latest revision with the form as it was a moment earlier (seen here on a busy
# machine: the FAQ answer and the topics typed last were gone). This script, added to every
# admin tab, counts autosaves in flight and remembers the last edit or autosave event, so a
# step can wait until the form is quiet, as an editor who glances at "Saved" would.
AUTOSAVE_WATCH_SCRIPT = """
(() => {
  const watch = (window.__e2eAutosave = {pending: 0, last: Date.now()});
  const touch = () => { watch.last = Date.now(); };
  document.addEventListener('w-autosave:save', () => { watch.pending += 1; touch(); }, true);
  for (const name of ['w-autosave:success', 'w-autosave:error']) {
    document.addEventListener(name, () => { watch.pending = Math.max(0, watch.pending - 1); touch(); }, true);
  }
  for (const name of ['input', 'change', 'keyup']) document.addEventListener(name, touch, true);
})();
"""
# Longer than the default autosave interval (500 ms), so a pending autosave has started.
AUTOSAVE_QUIET_MS = 1500


def wait_for_autosave_to_settle(page: Page) -> None:
    """Wait until no autosave is in flight and nothing was edited or autosaved for a moment."""
    page.wait_for_function(
        f"() => !window.__e2eAutosave || (window.__e2eAutosave.pending === 0 "
        f"&& Date.now() - window.__e2eAutosave.last > {AUTOSAVE_QUIET_MS})"
    )


def save_draft(page: Page) -> None:
    wait_for_autosave_to_settle(page)
    page.get_by_role("button", name="Save draft").click()


def publish(page: Page) -> None:
    """Open the footer's 'More actions' menu, press Publish and wait for the confirmation.

    Wagtail 8 autosaves the form in the background; its editing-session check can then take
    that autosaved revision for one "saved in another window" and ask before overwriting it.
    The editor wrote both, so they confirm, as a person at the keyboard would.
    """
    wait_for_autosave_to_settle(page)
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    published = success_message(page).filter(has_text="has been published")
    conflict = page.get_by_role("dialog").filter(has_text="saved a new version in another window")
    expect(published.or_(conflict)).to_be_visible()
    if conflict.is_visible():
        conflict.get_by_role("button", name="Publish", exact=True).click()
        expect(published).to_be_visible()


def footer_action(page: Page, name: str) -> None:
    """Press one of the edit footer's actions, opening 'More actions' when it is in there."""
    button = page.get_by_role("button", name=name, exact=True)
    if not button.is_visible():
        page.get_by_role("button", name="More actions").click()
    button.click()


def submit_to_clinical_review(page: Page) -> None:
    """Submit the article being edited to the "Clinical review" workflow (like ``publish``,
    confirming an autosave the editor made themselves)."""
    wait_for_autosave_to_settle(page)
    footer_action(page, "Submit to Clinical review")
    submitted = success_message(page).filter(has_text="has been submitted for moderation")
    conflict = page.get_by_role("dialog").filter(has_text="saved a new version in another window")
    expect(submitted.or_(conflict)).to_be_visible()
    if conflict.is_visible():
        conflict.get_by_role("button", name="Submit to Clinical review", exact=True).click()
        expect(submitted).to_be_visible()


def success_message(page: Page) -> Locator:
    return page.locator(".messages .success")


# A demo clinician (blog/demo/content.py), not the author of any article the e2e tests write.
CLINICIAN = "daniel-ortiz"


def clinician_password(live_project) -> str:
    """The demo clinicians' password: the served copy's var/ (or E2E_CLINICIAN_PASSWORD against
    an external copy)."""
    return os.environ.get("E2E_CLINICIAN_PASSWORD") or (
        (live_project.site_dir / "demo-clinician-password.txt").read_text().strip()
    )
