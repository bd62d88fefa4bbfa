"""A passkey as the second factor, in Chromium with its virtual authenticator (over the DevTools
protocol): a staff member adds one from the account's two-factor page, signs out, signs in with
the password, confirms with the passkey and reaches the dashboard. At the bare IP address the
same page offers codes only.

The browser uses http://localhost:<port>: WebAuthn needs a host name and a secure context, and
localhost is one without TLS. The server's relying party is ``localhost`` (e2e/server.py).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, expect

from e2e.conftest import ACTION_TIMEOUT_MS, DEFAULT_VIEWPORT
from e2e.server import LiveProject

USERNAME = "e2e-passkey"
PASSWORD = secrets.token_urlsafe(16)
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def _create_superuser(live_project: LiveProject, username: str) -> str:
    if live_project.launcher is None:
        pytest.skip("Needs the suite's own server (E2E_BASE_URL is set): the test creates a user.")
    script = (
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({username!r}, '{username}@example.org', {PASSWORD!r})"
    )
    live_project.manage("shell", "--no-imports", "-c", script)
    return username


@pytest.fixture(scope="module")
def passkey_user(live_project: LiveProject) -> str:
    """A staff member of their own: once they have a passkey, the admin asks every session of
    theirs for it, which must not touch the shared editor's sessions."""
    return _create_superuser(live_project, USERNAME)


def _context(browser: Browser, base_url: str) -> BrowserContext:
    context = browser.new_context(base_url=base_url, viewport=DEFAULT_VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context


@pytest.fixture
def localhost_page(browser: Browser, live_project: LiveProject) -> Iterator[Page]:
    """A tab on http://localhost:<port>."""
    context = _context(browser, live_project.localhost_url)
    yield context.new_page()
    context.close()


@pytest.fixture
def authenticator(localhost_page: Page) -> tuple[CDPSession, str]:
    """A virtual platform authenticator in that tab, with user verification on (as a fingerprint
    or a screen lock gives): its DevTools session and its id."""
    cdp = localhost_page.context.new_cdp_session(localhost_page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp, added["authenticatorId"]


def sign_in_with_password(page: Page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_staff_member_adds_a_passkey_and_signs_in_with_it(
    localhost_page: Page, authenticator: tuple[CDPSession, str], passkey_user: str
) -> None:
    page, (cdp, authenticator_id) = localhost_page, authenticator
    # Script errors and refused scripts (a Content-Security-Policy violation is one) show here.
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in_with_password(page, passkey_user)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Add a passkey on the account's two-factor page, and name it.
    page.goto("/admin/two-factor/")
    expect(page.get_by_text("No passkeys yet.")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Name your passkey")).to_be_visible()
    assert re.search(r"/admin/two-factor/passkeys/\d+/\?added=1$", page.url), page.url
    page.get_by_label("Name").fill("Virtual authenticator")
    page.get_by_role("button", name="Save").click()

    # The first device comes with backup codes, shown once.
    expect(page.get_by_role("heading", name="Your backup codes")).to_be_visible()
    expect(page.locator("ul.backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page).to_have_url(re.compile(r"/admin/two-factor/$"))
    expect(page.locator("table.passkeys tbody tr")).to_have_count(1)
    expect(page.locator("table.passkeys tbody tr td").first).to_have_text("Virtual authenticator")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert len(credentials) == 1
    assert credentials[0]["rpId"] == "localhost"

    # Sign out, then in again: the password alone no longer opens the admin.
    page.locator(".sidebar-footer__account").click()  # the account menu, under the user's name
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    sign_in_with_password(page, passkey_user)
    expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/\?next=%2Fadmin%2F$"))
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    expect(page.get_by_label("Code")).to_be_visible()  # backup codes still work

    # The passkey is the second factor: on to the dashboard.
    page.get_by_role("button", name="Use a passkey").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Site summary")).to_be_visible()
    used = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]
    assert used[0]["signCount"] > credentials[0]["signCount"]
    page.goto("/admin/two-factor/")
    expect(page.locator("table.passkeys tbody tr td").nth(2)).not_to_have_text("Never")
    assert errors == []


def test_at_the_bare_ip_address_the_code_page_points_to_the_host_name(
    browser: Browser, live_project: LiveProject, passkey_user: str
) -> None:
    # Runs after the test above gave this user a passkey (tests run in file order).
    context = _context(browser, live_project.base_url)
    try:
        page = context.new_page()
        sign_in_with_password(page, passkey_user)
        expect(page).to_have_url(re.compile(r"/admin/two-factor/verify/"))
        expect(page.locator("#passkey-unavailable")).to_contain_text(
            "Passkeys need the site's host name; they do not work at a bare IP address like this one."
        )
        expect(page.locator("#passkey-unavailable a")).to_have_attribute(
            "href", f"{live_project.localhost_url}/admin/two-factor/verify/"
        )
        expect(page.get_by_role("button", name="Use a passkey")).to_have_count(0)
        expect(page.get_by_label("Code")).to_be_visible()
    finally:
        context.close()


def test_a_passkey_can_be_the_first_device_from_the_enrolment_page(
    localhost_page: Page, authenticator: tuple[CDPSession, str], live_project: LiveProject
) -> None:
    page = localhost_page
    username = _create_superuser(live_project, "e2e-passkey-enrol")
    sign_in_with_password(page, username)
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/two-factor/enrol/?next=/admin/pages/")
    expect(page.get_by_role("heading", name="Or an authenticator app")).to_be_visible()
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Name your passkey")).to_be_visible()
    page.get_by_role("button", name="Save").click()  # the name it was given: "Passkey added <date>"
    expect(page.locator("ul.backup-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved my backup codes").click()

    expect(page).to_have_url(re.compile(r"/admin/pages/$"))
    page.goto("/admin/two-factor/")
    expect(page.locator("table.passkeys tbody tr td").first).to_have_text(re.compile(r"^Passkey added \d"))
    expect(
        page.get_by_text("Two-factor sign-in is on: after your password you use a passkey.")
    ).to_be_visible()
