"""How the site looks and how accessible it is: phone and desktop screenshots kept as
artifacts, and an axe-core scan of each kind of page a reader meets."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from e2e.axe import axe_violations, blocking, describe
from e2e.conftest import ACTION_TIMEOUT_MS, save_screenshot

DEMO_ARTICLE = "/blog/emotional-numbness/"
WIDTHS = {"phone": 375, "desktop": 1280}

PAGES = {
    "home": "/",
    "blog-index": "/blog/",
    "article": DEMO_ARTICLE,
    "topic": "/blog/topics/trauma/",
    "consultation": "/consultation/",
}


@pytest.fixture
def scan_page(browser: Browser, live_project) -> Page:
    # bypass_csp only lets the test inject axe-core; see e2e/axe.py.
    context = browser.new_context(
        base_url=live_project.base_url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("name,path", [("home", "/"), ("article", DEMO_ARTICLE)])
def test_page_fits_the_screen_and_shows_the_crisis_notice(page: Page, artifacts_dir, name, path, width_name):
    width = WIDTHS[width_name]
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(path)
    assert response.status == 200
    # The way to get help now is on screen before anything else.
    notice = page.get_by_role("complementary", name="Crisis support")
    expect(notice).to_contain_text("988")
    expect(notice).to_be_in_viewport()
    # Nothing wider than the screen: no sideways scrolling on a phone.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{path} is {scroll_width}px wide on a {width}px screen"
    save_screenshot(page, artifacts_dir / f"{name}-{width}.png")


def test_the_axe_scan_reports_what_it_finds(scan_page: Page):
    # The scan below must be able to fail: a page with two known problems shows both.
    scan_page.set_content(
        '<html lang="en"><body><main><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<a href="/x"></a></main></body></html>'
    )
    found = {v["id"]: v for v in blocking(axe_violations(scan_page))}
    assert {"image-alt", "link-name"} <= set(found), describe(list(found.values()))
    assert "image-alt (critical)" in describe([found["image-alt"]])


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_serious_or_critical_violations(scan_page: Page, name):
    response = scan_page.goto(PAGES[name])
    assert response.status == 200, f"{PAGES[name]} answered {response.status}"
    problems = blocking(axe_violations(scan_page))
    assert not problems, f"axe-core on {PAGES[name]}:\n{describe(problems)}"
