"""An editor's day in the real admin: write an article with every block type, save a draft
that stays invisible, preview it, submit it to the clinical review, which a clinician approves
(so it goes live), find it on the site and in the API exactly as typed, then rename its slug
(no new review: the body is unchanged) and follow the old address's permanent redirect."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.wagtail_admin import (
    CLINICIAN,
    Chooser,
    StreamFieldEditor,
    add_tags,
    clinician_password,
    explore,
    fill_list,
    footer_action,
    log_in,
    publish,
    rich_text_field,
    save_draft,
    submit_to_clinical_review,
    success_message,
    textbox,
    type_rich_text,
)

HOME_TITLE = "Heal & Thrive Psychotherapy"  # the demo content's home page
TITLE = "Grounding for anxious mornings"
SLUG = "grounding-for-anxious-mornings"
NEW_SLUG = "grounding-when-mornings-feel-heavy"
EXCERPT = "Mornings can be the hardest part of an anxious day. Three grounding steps that take a minute."
HEADING = "Why mornings feel so hard"
SYMPTOMS_TITLE = "You might notice"
SYMPTOMS_INTRO = "Anxious mornings often start before you are fully awake."
SYMPTOMS = ["A racing heart on waking", "Dread about the day ahead", "A tight chest or stomach"]
CTA_HEADING = "Want support with anxious mornings?"
CTA_TEXT = "A free 15-minute call with one of our therapists."
CTA_BUTTON = "Talk to us"
RELATED_LEAD_IN = "If stress has been building for months, our article on chronic stress goes deeper."
QUOTE = "Calm is a skill you can practise, not a trait you either have or lack."
QUOTE_BY = "Priya Raman, LCSW"
IMAGE_ALT = "Pale light on a bedroom wall at sunrise"
IMAGE_CAPTION = "The first minutes of the day set its tone."
FAQ_TITLE = "Questions about anxious mornings"
FAQ_QUESTION = "Is morning anxiety a sign of an anxiety disorder?"
FAQ_ANSWER = "Not necessarily. If it happens most days, a therapist can help you find out why."
TOPICS = ["Anxiety", "Morning routines"]


def write_article(editor: Page) -> None:
    """Fill the article form the way an editor does, block by block, through the choosers."""
    editor.get_by_placeholder("Page title*").fill(TITLE)
    textbox(editor, "Excerpt").fill(EXCERPT)

    body = StreamFieldEditor(editor, "body")

    block = body.append("Heading")
    textbox(block, "Text").fill(HEADING)

    block = body.append("Paragraph")
    type_rich_text(
        rich_text_field(block), "Cortisol peaks after waking, so mornings can feel ", ("bold", "heavier"), "."
    )

    block = body.append("Symptom list")
    textbox(block, "Title").fill(SYMPTOMS_TITLE)
    type_rich_text(rich_text_field(block, "intro"), SYMPTOMS_INTRO)
    fill_list(block, "items", SYMPTOMS)
    block.get_by_label("Style").select_option(label="Checklist (ticks)")

    block = body.append("Approach summary")
    block.get_by_role("button", name="Choose therapeutic approach").click()
    Chooser(editor).search("Acceptance").pick_link(re.compile("Acceptance and Commitment Therapy"))
    expect(block).to_contain_text("Acceptance and Commitment Therapy")

    block = body.append("Call to action")
    textbox(block, "Heading").fill(CTA_HEADING)
    type_rich_text(rich_text_field(block, "text"), CTA_TEXT)
    textbox(block, "Button label").fill(CTA_BUTTON)
    block.get_by_role("button", name="Choose a page").click()
    Chooser(editor).search("consultation").pick_link("Book a free consultation")
    expect(block).to_contain_text("Book a free consultation")

    block = body.append("Article pointer")
    textbox(block, "Lead in").fill(RELATED_LEAD_IN)
    block.get_by_role("button", name=re.compile("^Choose a page")).click()
    Chooser(editor).search("chronic stress").pick_link(re.compile("^Psychotherapy for Chronic Stress"))
    expect(block).to_contain_text("Psychotherapy for Chronic Stress")

    block = body.append("Quote")
    textbox(block, "Text").fill(QUOTE)
    textbox(block, "Attribution").fill(QUOTE_BY)

    block = body.append("Image")
    block.get_by_role("button", name="Choose an image").click()
    Chooser(editor).search("Morning light").pick_link(re.compile("Morning light through a window"))
    textbox(block, "Alt text").fill(IMAGE_ALT)
    textbox(block, "Caption").fill(IMAGE_CAPTION)

    block = body.append("FAQ")
    textbox(block, "Title").fill(FAQ_TITLE)
    textbox(block, "Question").fill(FAQ_QUESTION)
    type_rich_text(rich_text_field(block, "answer"), FAQ_ANSWER)

    add_tags(editor, "Topics", TOPICS)


def expected_body(base_url: str) -> list[tuple[str, dict]]:
    """The API's body blocks for what write_article typed: (type, the checked part of value)."""
    return [
        ("heading", {"text": HEADING, "level": 2, "anchor": "why-mornings-feel-so-hard"}),
        ("paragraph", {"html": "<p>Cortisol peaks after waking, so mornings can feel <b>heavier</b>.</p>"}),
        (
            "symptom_list",
            {
                "title": SYMPTOMS_TITLE,
                "intro": f"<p>{SYMPTOMS_INTRO}</p>",
                "items": SYMPTOMS,
                "style": "checklist",
            },
        ),
        ("approach_summary", {"name": "Acceptance and Commitment Therapy", "abbreviation": "ACT"}),
        (
            "call_to_action",
            {
                "heading": CTA_HEADING,
                "text": f"<p>{CTA_TEXT}</p>",
                "button": {"label": CTA_BUTTON, "url": f"{base_url}/consultation/", "path": "/consultation/"},
            },
        ),
        ("related_article", {"lead_in": RELATED_LEAD_IN}),
        ("quote", {"text": QUOTE, "attribution": QUOTE_BY}),
        ("image", {"caption": IMAGE_CAPTION}),
        (
            "faq",
            {"title": FAQ_TITLE, "items": [{"question": FAQ_QUESTION, "answer": f"<p>{FAQ_ANSWER}</p>"}]},
        ),
    ]


def without_block_keys(value):
    """Drop Draftail's paragraph ids (``<p data-block-key="x1y2z">``): Wagtail stores them with
    every paragraph typed in the admin and the API passes them through; they are not content."""
    return json.loads(re.sub(r' data-block-key=\\"\w+\\"', "", json.dumps(value)))


def assert_api_article_matches_what_was_typed(article: dict, base_url: str, slug: str) -> None:
    assert article["slug"] == slug
    assert article["title"] == TITLE
    assert article["excerpt"] == EXCERPT
    assert article["path"] == f"/blog/{slug}/"
    assert sorted(topic["slug"] for topic in article["topics"]) == ["anxiety", "morning-routines"]
    assert [block["type"] for block in article["body"]] == [kind for kind, _ in expected_body(base_url)]
    for block, (kind, expected) in zip(article["body"], expected_body(base_url), strict=True):
        actual = without_block_keys({key: block["value"][key] for key in expected})
        assert actual == expected, f"{kind} block differs from what the editor typed"
    body_json = json.dumps(article["body"])
    assert "linktype=" not in body_json and "<embed" not in body_json, "editor-internal markup in the API"
    blocks = {block["type"]: block["value"] for block in article["body"]}
    assert blocks["related_article"]["article"]["slug"] == "psychotherapy-for-chronic-stress"
    assert blocks["image"]["image"]["alt"] == IMAGE_ALT
    assert blocks["image"]["image"]["url"].startswith(f"{base_url}/media/")
    assert article["table_of_contents"] == [{"id": "why-mornings-feel-so-hard", "text": HEADING, "level": 2}]


def assert_page_shows_the_article(page: Page) -> None:
    """What a reader sees of every block on the rendered page."""
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name=HEADING)).to_have_attribute("id", "why-mornings-feel-so-hard")
    expect(page.locator("main")).to_contain_text("Cortisol peaks after waking, so mornings can feel heavier.")
    expect(page.locator("main b, main strong").filter(has_text="heavier")).to_have_count(1)
    expect(page.get_by_role("heading", name=SYMPTOMS_TITLE)).to_be_visible()
    for symptom in SYMPTOMS:
        expect(page.get_by_role("listitem").filter(has_text=symptom)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Acceptance and Commitment Therapy")
    expect(page.get_by_role("heading", name=CTA_HEADING)).to_be_visible()
    cta_button = page.get_by_role("link", name=CTA_BUTTON)
    expect(cta_button).to_have_attribute("href", re.compile(r"/consultation/$"))
    expect(page.locator("main")).to_contain_text(RELATED_LEAD_IN)
    expect(page.locator("main a[href$='/blog/psychotherapy-for-chronic-stress/']").first).to_be_visible()
    expect(page.locator("main")).to_contain_text(QUOTE)
    expect(page.get_by_role("img", name=IMAGE_ALT)).to_be_visible()
    expect(page.locator("main")).to_contain_text(IMAGE_CAPTION)
    expect(page.locator("main")).to_contain_text(FAQ_QUESTION)
    expect(page.locator("main")).to_contain_text(FAQ_ANSWER)


@pytest.fixture(scope="module")
def draft(module_editor: Page) -> str:
    """The article, written through the admin's editor and saved as a draft: its edit URL."""
    explore(module_editor, HOME_TITLE, "Blog")
    module_editor.get_by_role("link", name="Add child page").click()
    expect(module_editor.get_by_role("heading", level=1)).to_contain_text("Article page")
    write_article(module_editor)
    save_draft(module_editor)
    # Wagtail 8 may have autosaved the new page already: "created" or "updated".
    expect(success_message(module_editor)).to_contain_text(f"'{TITLE}'")
    assert re.search(r"/admin/pages/\d+/edit/$", module_editor.url), module_editor.url
    return module_editor.url


@pytest.fixture(scope="module")
def clinician(browser: Browser, live_project) -> Iterator[Page]:
    """A tab where a demo clinician is signed in. Their password is the demo's, kept in the
    served copy's var/ (or E2E_CLINICIAN_PASSWORD against an external copy)."""
    password = clinician_password(live_project)
    context = browser.new_context(base_url=live_project.base_url)
    page = context.new_page()
    log_in(page, CLINICIAN, password)
    yield page
    context.close()


@pytest.fixture(scope="module")
def submitted(module_editor: Page, draft: str) -> str:
    """The draft, submitted to the clinical review from its edit screen: its edit URL."""
    module_editor.goto(draft)
    submit_to_clinical_review(module_editor)
    return draft


@pytest.fixture(scope="module")
def published(clinician: Page, submitted: str) -> str:
    """The submitted draft, approved by the clinician from the same edit screen: its edit URL."""
    clinician.goto(submitted)
    footer_action(clinician, "Approve and Publish")
    expect(success_message(clinician)).to_contain_text(f"'{TITLE}'")
    return submitted


def open_preview_panel(editor: Page) -> None:
    toggle = editor.get_by_role("button", name="Toggle preview")
    if toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


# The steps of one editor's day, in order: each later step builds on the article above.


def test_the_editor_saves_an_article_with_every_block_type_as_a_draft(module_editor: Page, draft: str):
    module_editor.goto(draft)
    body = StreamFieldEditor(module_editor, "body")
    saved_types = [block.locator("input[name$='-type']").first.input_value() for block in body.blocks.all()]
    assert saved_types == [kind for kind, _ in expected_body("")]
    expect(module_editor.get_by_placeholder("Page title*")).to_have_value(TITLE)
    section = module_editor.get_by_role("region", name=re.compile("^Topics"))
    for topic in TOPICS:
        expect(section.locator(".tagit-choice", has_text=topic)).to_be_visible()


def test_a_draft_is_a_404_on_the_site_and_in_the_api(draft: str, page: Page):
    assert page.request.get(f"/blog/{SLUG}/").status == 404
    response = page.request.get(f"/api/v1/articles/{SLUG}/")
    assert response.status == 404
    assert response.json()["error"]["code"] == "not_found"
    assert SLUG not in page.request.get("/api/v1/articles/").text()


def test_the_preview_panel_shows_the_draft(module_editor: Page, draft: str):
    module_editor.goto(draft)
    open_preview_panel(module_editor)
    # The panel is a same-origin iframe: the preview's own headers must let the admin frame it.
    iframe = module_editor.locator("#w-preview-iframe")
    expect(iframe).to_have_attribute("src", re.compile(r"/preview/"))
    src = iframe.get_attribute("src")
    headers = module_editor.request.get(src).headers
    csp = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" not in csp, (
        f"the preview forbids framing, so the panel stays empty: X-Frame-Options "
        f"{headers.get('x-frame-options')!r}, Content-Security-Policy ...{csp[-60:]!r}"
    )
    panel = module_editor.frame_locator("#w-preview-iframe")
    expect(panel.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(panel.locator("body")).to_contain_text(SYMPTOMS[0])


def test_preview_in_a_new_tab_shows_every_block_of_the_draft(module_editor: Page, draft: str):
    module_editor.goto(draft)
    open_preview_panel(module_editor)
    with module_editor.expect_popup() as popup:
        module_editor.get_by_role("link", name="Preview in new tab").click()
    preview_tab = popup.value
    try:
        assert_page_shows_the_article(preview_tab)
    finally:
        preview_tab.close()


def test_the_editor_cannot_publish_and_the_submitted_article_stays_off_the_site(
    module_editor: Page, submitted: str, page: Page
):
    module_editor.goto(submitted)
    expect(module_editor.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    expect(module_editor.get_by_role("button", name="Approve and Publish", exact=True)).to_have_count(0)
    assert page.request.get(f"/blog/{SLUG}/").status == 404
    assert page.request.get(f"/api/v1/articles/{SLUG}/").status == 404


def test_once_a_clinician_approves_the_article_is_live_with_their_review(
    published: str, page: Page, live_project
):
    page.goto(f"/blog/{SLUG}/")
    expect(page.locator("main")).to_contain_text("Clinically reviewed by")
    expect(page.locator("main")).to_contain_text("Daniel Ortiz, PsyD")
    review = page.request.get(f"/api/v1/articles/{SLUG}/").json()["review"]
    assert (review["reviewer"]["slug"], review["status"]) == (CLINICIAN, "current")


def test_once_published_the_article_is_on_the_site_and_in_the_api_as_typed(
    published: str, page: Page, live_project
):
    page.goto(f"/blog/{SLUG}/")
    assert_page_shows_the_article(page)
    response = page.request.get(f"/api/v1/articles/{SLUG}/")
    assert response.status == 200, response.text()
    assert_api_article_matches_what_was_typed(response.json(), live_project.base_url, SLUG)


def test_a_new_slug_leaves_a_permanent_redirect_at_the_old_address(
    module_editor: Page, published: str, page: Page, live_project
):
    module_editor.goto(published)
    module_editor.get_by_role("tab", name="Promote").click()
    textbox(module_editor, "Slug").fill(NEW_SLUG)
    publish(module_editor)
    response = page.request.get(f"/blog/{SLUG}/", max_redirects=0)
    assert response.status == 301, f"old URL answered {response.status}, expected 301"
    assert response.headers["location"].endswith(f"/blog/{NEW_SLUG}/"), response.headers["location"]
    page.goto(f"/blog/{SLUG}/")
    expect(page).to_have_url(f"{live_project.base_url}/blog/{NEW_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.request.get(f"/api/v1/articles/{NEW_SLUG}/").json()["path"] == f"/blog/{NEW_SLUG}/"
    assert page.request.get(f"/api/v1/articles/{SLUG}/").status == 404
