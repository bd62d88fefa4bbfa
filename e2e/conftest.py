"""Fixtures of the end-to-end suite: one served copy of the project and one headless Chromium
for the whole session, a fresh browser context per test, and an editor already logged in.

Debian's Chromium is used (``CHROMIUM``, default /usr/bin/chromium): Playwright's own browser
download is not available on these machines. A failing test leaves a screenshot and the page's
HTML under var/e2e/artifacts/failures/ and the server log in var/e2e/server.log.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from e2e.server import ARTIFACTS_DIR, LiveProject
from e2e.wagtail_admin import AUTOSAVE_WATCH_SCRIPT, log_in

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEFAULT_VIEWPORT = {"width": 1280, "height": 900}
# Generous for a 2-core machine shared with other jobs; a healthy step takes well under 2 s.
ACTION_TIMEOUT_MS = 20_000
# expect() retries its assertion this long (Playwright's default, 5 s, is short when CI's two
# cores also run the server, its background tasks and Chromium).
expect.set_options(timeout=15_000)

SCREENSHOTS: list[Path] = []


def pytest_sessionstart(session) -> None:
    # Artifacts describe one run: never mix in a previous run's screenshots.
    shutil.rmtree(ARTIFACTS_DIR, ignore_errors=True)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(scope="session")
def live_project() -> Iterator[LiveProject]:
    """The project on 127.0.0.1 with a fresh database, the demo content and an editor account.

    E2E_BASE_URL (with E2E_USERNAME and E2E_PASSWORD) points the suite at a copy already
    running with the demo content instead, which is quicker while writing a test."""
    external = os.environ.get("E2E_BASE_URL")
    if external:
        url = urlsplit(external)
        yield LiveProject(
            host=url.hostname,
            port=url.port or 80,
            username=os.environ["E2E_USERNAME"],
            password=os.environ["E2E_PASSWORD"],
        )
        return
    project = LiveProject()
    # A SIGTERM (a CI timeout, `kill`) becomes a KeyboardInterrupt, so the server below is
    # stopped by this fixture's finally instead of being left running on its port.
    signal.signal(signal.SIGTERM, _interrupt)
    project.prepare()
    project.start()
    try:
        yield project
    finally:
        project.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: `make e2e` installs Debian's chromium package.", returncode=1)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser, live_project: LiveProject) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=live_project.base_url, viewport=DEFAULT_VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A reader's browser tab: no admin session."""
    return context.new_page()


@pytest.fixture(scope="session")
def editor_state(browser: Browser, live_project: LiveProject, tmp_path_factory) -> str:
    """Cookies of a logged-in editor, made once through the real login form."""

    context = browser.new_context(base_url=live_project.base_url, viewport=DEFAULT_VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = context.new_page()
    log_in(page, live_project.username, live_project.password)
    path = tmp_path_factory.mktemp("auth") / "editor.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)


def _editor_page(
    browser: Browser, live_project: LiveProject, editor_state: str
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_project.base_url, viewport=DEFAULT_VIEWPORT, storage_state=editor_state
    )
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(AUTOSAVE_WATCH_SCRIPT)
    return context, context.new_page()


@pytest.fixture
def editor(browser: Browser, live_project: LiveProject, editor_state: str) -> Iterator[Page]:
    """A tab where the editor is logged in to the Wagtail admin."""
    context, page = _editor_page(browser, live_project, editor_state)
    yield page
    context.close()


@pytest.fixture(scope="module")
def module_editor(browser: Browser, live_project: LiveProject, editor_state: str) -> Iterator[Page]:
    """One logged-in admin tab shared by the steps of a module's story (tests run in order)."""
    context, page = _editor_page(browser, live_project, editor_state)
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


def save_screenshot(page: Page, path: Path, *, full_page: bool = True) -> Path:
    """Screenshot listed at the end of the run (and printed by CI)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    SCREENSHOTS.append(path)
    return path


ARIA_SNAPSHOT_LINES = 25


def _shorten_aria_snapshot(exc: BaseException) -> None:
    """Playwright appends the whole page's accessibility tree to a failed expect(); in the admin
    that is hundreds of lines. Keep its start (the page's HTML is saved with the screenshot)."""
    if not isinstance(exc, AssertionError) or not exc.args or not isinstance(exc.args[0], str):
        return
    message = exc.args[0]
    head, marker, snapshot = message.partition("Aria snapshot:")
    lines = snapshot.splitlines()
    if marker and len(lines) > ARIA_SNAPSHOT_LINES:
        kept = "\n".join(lines[:ARIA_SNAPSHOT_LINES])
        exc.args = (f"{head}{marker}{kept}\n  … ({len(lines) - ARIA_SNAPSHOT_LINES} more lines)",)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    if call.excinfo is not None:
        _shorten_aria_snapshot(call.excinfo.value)
    report = yield
    if report.failed and report.when in ("setup", "call"):
        _keep_evidence(item)
    return report


def _keep_evidence(item: pytest.Item) -> None:
    """Screenshot and HTML of every browser tab the failed test used, for whoever fixes it."""
    folder = ARTIFACTS_DIR / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", item.name)
    for name, value in getattr(item, "funcargs", {}).items():
        if not isinstance(value, Page) or value.is_closed():
            continue
        pages = [value, *(p for p in value.context.pages if p is not value and not p.is_closed())]
        for index, tab in enumerate(pages):
            stem = folder / f"{test}-{name}{'-' + str(index) if index else ''}"
            try:
                tab.screenshot(path=f"{stem}.png", full_page=True)
                Path(f"{stem}.html").write_text(tab.content())
            except Exception as exc:  # the evidence is a courtesy; never hide the real failure
                print(f"(could not save failure evidence of {name}: {exc})")


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS:
        terminalreporter.section("screenshots")
        for path in SCREENSHOTS:
            terminalreporter.write_line(str(path))
    failures = ARTIFACTS_DIR / "failures"
    if failures.is_dir() and any(failures.iterdir()):
        terminalreporter.write_line(f"failure screenshots and HTML: {failures}")
