"""A reader's visit: the demo article with its crisis notice and table of contents, a comment
that waits for a staff member's approval in the admin before it appears, and a request for a
free consultation."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from e2e.server import FORM_MIN_FILL_SECONDS

DEMO_ARTICLE = "/blog/emotional-numbness/"
DEMO_ARTICLE_SLUG = "emotional-numbness"
TOC_TARGET = ("Why do we shut down emotionally?", "causes")
# The HTML forms refuse anything sent sooner than this after they were shown; a person
# takes longer than that anyway.
MIN_FILL_SECONDS = FORM_MIN_FILL_SECONDS + 0.5

COMMENTER = "Alex Rivera"
COMMENTER_EMAIL = "alex.rivera.e2e@example.com"
CONSULTEE = "Jordan Lee"
CONSULTEE_EMAIL = "jordan.lee.e2e@example.com"
COMMENT = "Reading the list of what numbness feels like helped me put words to the last year. Thank you."


def wait_like_a_person(since: float) -> None:
    remaining = MIN_FILL_SECONDS - (time.monotonic() - since)
    if remaining > 0:
        time.sleep(remaining)


def test_the_demo_article_shows_the_crisis_notice_and_its_contents_jump_to_headings(page: Page):
    page.goto(DEMO_ARTICLE)
    notice = page.get_by_role("complementary", name="Crisis support")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("988")
    expect(notice.get_by_role("link", name=re.compile("988"))).to_have_attribute("href", re.compile(r"^tel:"))

    text, anchor = TOC_TARGET
    contents = page.get_by_role("navigation", name="In this article")
    heading = page.get_by_role("heading", name=text)
    expect(heading).not_to_be_in_viewport()
    contents.get_by_role("link", name=text).click()
    expect(page).to_have_url(re.compile(rf"#{anchor}$"))
    expect(heading).to_have_attribute("id", anchor)
    expect(heading).to_be_in_viewport()


def test_a_comment_waits_for_approval_in_the_admin_then_appears(page: Page, editor: Page):
    page.goto(DEMO_ARTICLE)
    shown_at = time.monotonic()
    form = page.locator("form#comment-form")
    form.get_by_label("Name").fill(COMMENTER)
    form.get_by_label("Email").fill(COMMENTER_EMAIL)
    form.get_by_label("Comment").fill(COMMENT)
    wait_like_a_person(shown_at)
    form.get_by_role("button", name="Post comment").click()

    comments = page.locator("#comments")
    expect(comments.get_by_role("status")).to_contain_text("awaiting moderation")
    expect(comments).not_to_contain_text(COMMENT)
    api_comments = page.request.get(f"/api/v1/articles/{DEMO_ARTICLE_SLUG}/comments/")
    assert api_comments.status == 200, api_comments.text()
    assert COMMENT not in api_comments.text()

    # A staff member finds it in the admin's moderation list and approves it.
    editor.goto("/admin/")
    editor.get_by_role("button", name="Readers").click()
    editor.get_by_role("link", name="Comments").click()
    row = editor.get_by_role("row").filter(has_text=COMMENTER)
    expect(row).to_contain_text("Awaiting moderation")
    row.get_by_role("button", name=re.compile("^More options for")).click()
    editor.get_by_role("link", name="Approve", exact=True).click()
    editor.locator("main").get_by_role("button", name="Approve").click()
    expect(editor.get_by_role("row").filter(has_text=COMMENTER)).to_contain_text("Approved")

    # The reader sees it on the page and in the API, and their email is nowhere.
    page.goto(DEMO_ARTICLE)
    comment = page.locator("#comments li.comment").filter(has_text=COMMENT)
    expect(comment).to_contain_text(COMMENTER)
    assert COMMENTER_EMAIL not in page.content()
    api_comments = page.request.get(f"/api/v1/articles/{DEMO_ARTICLE_SLUG}/comments/")
    assert COMMENT in api_comments.text()
    assert COMMENTER_EMAIL not in api_comments.text()


def test_a_reader_requests_a_free_consultation_and_staff_see_it(page: Page, editor: Page):
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("consultation", re.I)
    ).click()
    expect(page).to_have_url(re.compile(r"/consultation/$"))
    shown_at = time.monotonic()
    form = page.locator("form.consultation-form")
    expect(form).to_be_visible()
    form.get_by_role("textbox", name="Your name").fill(CONSULTEE)
    form.get_by_role("textbox", name="Email").fill(CONSULTEE_EMAIL)
    form.get_by_role("textbox", name=re.compile("^Phone")).fill("(310) 555-0199")
    form.get_by_role("radio", name="Phone").check()
    form.get_by_role("combobox", name="Where would you like to meet?").select_option(
        label="Orange County (In person)"
    )
    form.get_by_role("textbox", name=re.compile("^Anything you would like us to know")).fill(
        "Looking for help with anxiety; evenings work best."
    )
    form.get_by_role("checkbox", name=re.compile("^I agree to be contacted")).check()
    wait_like_a_person(shown_at)
    form.get_by_role("button", name="Request a free consultation").click()

    expect(page.get_by_role("status")).to_contain_text("Thank you")
    expect(page.locator("form.consultation-form")).to_have_count(0)
    assert CONSULTEE_EMAIL not in page.content()

    # Staff see the request in the admin (and nowhere public).
    editor.goto("/admin/")
    editor.get_by_role("button", name="Readers").click()
    editor.get_by_role("link", name=re.compile("^Consultation requests")).click()
    newest = editor.get_by_role("row").filter(has_text="Consultation request #").first
    expect(newest).to_contain_text("Orange County")
    newest.get_by_role("link", name=re.compile("^Consultation request #")).click()
    expect(editor.locator("main")).to_contain_text(CONSULTEE)
    expect(editor.locator("main")).to_contain_text(CONSULTEE_EMAIL)
