"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor: the relying party from the
settings, where the pages offer passkeys, a passkey as a confirmed device, naming and removing
one, and the admin after a passkey check. The WebAuthn ceremony itself runs in a browser
(e2e/test_passkeys.py); here a session is verified with django_otp.login."""

import json
import os
import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from cms.settings.base import passkey_relying_party
from staffauth.passkeys import PasskeyHelper
from staffauth.policy import has_confirmed_device
from tests.cms.test_settings import GOOD_SECRET, run
from tests.staffauth.test_two_factor import confirmed_device, current_code, make_user, sign_in

pytestmark = pytest.mark.django_db

CMS_HOST = "cms.example-practice.test"
CMS = {"HTTP_HOST": CMS_HOST, "secure": True}
BARE_IP = {"HTTP_HOST": "127.0.0.1"}
AUTH_BEGIN = "/admin/two-factor/webauthn/authentication/begin/"
REGISTER_BEGIN = "/admin/two-factor/webauthn/registration/begin/"


@pytest.fixture(autouse=True)
def cms_host(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, CMS_HOST]


@pytest.fixture
def sensitive(settings):
    settings.STAFF_2FA_REQUIRED = "sensitive"


def make_passkey(user, name="Work laptop") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user,
        name=name,
        credential_id=os.urandom(32),
        public_key=b"\xa5\x01\x02\x03\x26",
        aaguid="00000000-0000-0000-0000-000000000000",
        sign_count=0,
    )


def verify_with(client, device):
    """The session ``client`` holds, marked as verified with ``device`` (as the passkey check's
    last step does)."""
    request = RequestFactory().get("/admin/")
    request.session = client.session
    request.user = device.user
    otp_login(request, device)
    request.session.save()


def config_of(html: str) -> dict:
    script = re.search(r'<script id="otp_webauthn_config" type="application/json">(.+?)</script>', html)
    return json.loads(script[1])


# --- Settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cms_url", "expected"),
    [
        ("https://cms.example.org", ("cms.example.org", ["https://cms.example.org"])),
        ("https://CMS.Example.org:8443", ("cms.example.org", ["https://cms.example.org:8443"])),
        # No bare IP address can be a relying party: localhost on the same port instead.
        ("http://127.0.0.1:8000", ("localhost", ["http://localhost:8000"])),
        ("https://10.1.2.3", ("localhost", ["http://localhost"])),
        ("http://localhost:8710", ("localhost", ["http://localhost:8710"])),
        # Browsers refuse WebAuthn on plain http anywhere but localhost.
        ("http://cms.internal:8000", ("localhost", ["http://localhost:8000"])),
    ],
)
def test_the_relying_party_comes_from_the_cms_url(monkeypatch, cms_url, expected):
    monkeypatch.delenv("STAFF_PASSKEY_RP_ID", raising=False)
    monkeypatch.delenv("STAFF_PASSKEY_ORIGINS", raising=False)

    assert passkey_relying_party(cms_url) == expected


def test_the_environment_overrides_the_relying_party(monkeypatch):
    monkeypatch.setenv("STAFF_PASSKEY_RP_ID", "Example.org")
    monkeypatch.setenv("STAFF_PASSKEY_ORIGINS", "https://cms.example.org, https://admin.example.org")

    assert passkey_relying_party("https://cms.example.org") == (
        "example.org",
        ["https://cms.example.org", "https://admin.example.org"],
    )


def test_the_test_settings_use_the_cms_host_for_second_factor_only(settings):
    relying_party = (settings.OTP_WEBAUTHN_RP_ID, settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)

    assert relying_party == (CMS_HOST, [f"https://{CMS_HOST}"])
    assert settings.OTP_WEBAUTHN_RP_NAME == settings.OTP_TOTP_ISSUER
    assert settings.OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is False


def test_production_binds_passkeys_to_the_cms_host(tmp_path):
    code = (
        "from cms.settings import production as p\n"
        "print(p.OTP_WEBAUTHN_RP_ID, p.OTP_WEBAUTHN_ALLOWED_ORIGINS, p.OTP_WEBAUTHN_RP_NAME)"
    )
    env = {"DJANGO_SECRET_KEY": GOOD_SECRET, "STAFF_PASSKEY_RP_ID": "", "STAFF_PASSKEY_ORIGINS": ""}
    derived = run(["-c", code], tmp_path, ALLOWED_HOSTS="cms.example.org", WAGTAILADMIN_BASE_URL="", **env)
    explicit = run(
        ["-c", code],
        tmp_path,
        ALLOWED_HOSTS="cms.example.org",
        WAGTAILADMIN_BASE_URL="https://admin.example.org:8443/",
        STAFF_2FA_ISSUER="Praxis CMS",
        **env,
    )

    assert (derived.returncode, derived.stdout) == (
        0,
        "cms.example.org ['https://cms.example.org'] Practice CMS\n",
    ), derived.stderr
    assert explicit.stdout == "admin.example.org ['https://admin.example.org:8443'] Praxis CMS\n"


# --- A passkey is a device --------------------------------------------------------------------


def test_a_passkey_is_a_confirmed_device_and_the_admin_asks_for_it(client, settings):
    settings.STAFF_2FA_REQUIRED = "never"
    user = make_user(superuser=True)
    make_passkey(user)

    assert has_confirmed_device(user) is True
    assert user_has_device(user, confirmed=True) is True
    sign_in(client, user)
    redirect = client.get("/admin/pages/", **CMS)["Location"]
    assert redirect == "/admin/two-factor/verify/?next=%2Fadmin%2Fpages%2F"


def test_a_session_verified_with_a_passkey_reaches_the_admin(client, sensitive):
    user = make_user(permissions=["readers.view_consultationrequest"])
    passkey = make_passkey(user)
    sign_in(client, user)
    assert client.get("/admin/", **CMS).status_code == 302

    verify_with(client, passkey)
    home = client.get("/admin/", **CMS)

    assert home.status_code == 200
    assert client.get("/admin/two-factor/verify/?next=/admin/pages/", **CMS)["Location"] == "/admin/pages/"


# --- The code page ----------------------------------------------------------------------------


def test_the_code_page_offers_a_passkey_at_the_cms_host(client, sensitive):
    user = make_user(superuser=True)
    make_passkey(user)
    confirmed_device(user)
    sign_in(client, user)

    html = client.get("/admin/two-factor/verify/?next=/admin/pages/", **CMS).content.decode()
    config = config_of(html)

    button = '<button type="button" id="passkey-verification-button" class="button">Use a passkey</button>'
    assert button in html
    assert '<span id="passkey-verification-placeholder"></span>' in html
    assert "Or open your authenticator app and enter the six-digit code" in html
    assert 'name="code"' in html
    assert '<input type="hidden" name="next" value="/admin/pages/">' in html
    assert config["beginAuthenticationUrl"] == AUTH_BEGIN
    assert config["completeAuthenticationUrl"] == "/admin/two-factor/webauthn/authentication/complete/"
    assert config["autocompleteLoginFieldSelector"] is None
    assert config["nextFieldSelector"] == "form.login-form input[name='next']"
    assert re.search(r'<script type="module" src="/static/django_otp_webauthn/otp_webauthn_auth\.js', html)
    assert "passkey-unavailable" not in html


def test_at_a_bare_ip_address_the_code_page_says_passkeys_need_the_host_name(client, sensitive):
    user = make_user(superuser=True)
    make_passkey(user)
    sign_in(client, user)

    html = client.get("/admin/two-factor/verify/", **BARE_IP).content.decode()

    assert "passkey-verification-button" not in html
    assert "otp_webauthn_config" not in html
    assert "otp_webauthn_auth.js" not in html
    assert (
        '<p id="passkey-unavailable">Passkeys need the site\'s host name; they do not work at a bare IP '
        "address like this one. To use your passkey, sign in at "
        f'<a href="https://{CMS_HOST}/admin/two-factor/verify/">https://{CMS_HOST}/admin/two-factor/verify/</a>.</p>'
    ) in html.replace("&#x27;", "'")
    # Backup codes still let a passkey-only user in.
    assert "Or enter one of your backup codes." in html
    assert 'name="code"' in html


def test_the_code_page_gets_the_icon_sprite_not_a_second_code_page(client, sensitive):
    """The admin's script puts the sprite's response into the page; a redirect to the code page
    there would add another code form and another "next" field for the passkey script to find."""
    user = make_user(superuser=True)
    make_passkey(user)
    sign_in(client, user)

    sprite = client.get(reverse("wagtailadmin_sprite"), **CMS)
    pages = client.get("/admin/pages/", **CMS)

    assert sprite.status_code == 200
    assert sprite.content.decode().startswith('<div hidden><svg><defs><symbol id="icon-')
    assert 'name="next"' not in sprite.content.decode()
    assert pages["Location"] == "/admin/two-factor/verify/?next=%2Fadmin%2Fpages%2F"


def test_a_host_name_outside_the_relying_party_gets_codes_only(client, sensitive):
    user = make_user(superuser=True)
    make_passkey(user)
    confirmed_device(user)
    sign_in(client, user)

    html = client.get("/admin/two-factor/verify/", HTTP_HOST="localhost").content.decode()

    assert "passkey-verification-button" not in html
    assert "Passkeys are not set up for this address." in html


def test_a_user_without_a_passkey_is_not_offered_one(client, sensitive):
    user = make_user(superuser=True)
    confirmed_device(user)
    sign_in(client, user)

    html = client.get("/admin/two-factor/verify/", **CMS).content.decode()

    assert "passkey" not in html.lower()
    assert "Enter your sign-in code" in html


def test_the_code_page_runs_no_inline_script(client, sensitive):
    """The passkey scripts are static files; the only inline <script> blocks are JSON data."""
    user = make_user(superuser=True)
    make_passkey(user)
    sign_in(client, user)

    html = client.get("/admin/two-factor/verify/", **CMS).content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)

    assert inline
    assert all('type="application/json"' in attributes for attributes in inline), inline


# --- The ceremonies' endpoints ----------------------------------------------------------------


def test_an_unverified_user_may_start_the_passkey_check_with_their_own_passkeys_only(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user)
    make_passkey(make_user(superuser=True), name="Someone else's")
    sign_in(client, user)

    response = client.post(AUTH_BEGIN, **CMS)
    options = response.json()

    assert response.status_code == 200
    assert options["rpId"] == CMS_HOST
    assert [c["id"] for c in options["allowCredentials"]] == [bytes_to_base64url(passkey.credential_id)]


def test_registering_another_passkey_needs_a_verified_session(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user)
    sign_in(client, user)

    refused = client.post(REGISTER_BEGIN, **CMS)
    verify_with(client, passkey)
    allowed = client.post(REGISTER_BEGIN, **CMS)

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("You must verify your identity first")
    assert allowed.status_code == 200
    assert allowed.json()["rp"] == {"name": "Practice CMS", "id": CMS_HOST}
    assert allowed.json()["user"]["name"] == user.username


def test_a_required_user_without_a_device_may_register_a_first_passkey(client, sensitive):
    user = make_user(superuser=True)
    sign_in(client, user)

    response = client.post(REGISTER_BEGIN, **CMS)

    assert response.status_code == 200
    assert response.json()["rp"]["id"] == CMS_HOST


def test_the_ceremonies_are_not_open_to_anonymous_visitors(client):
    response = client.post(AUTH_BEGIN, **CMS)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


# --- Enrolment and the account page -----------------------------------------------------------


def test_enrolment_offers_a_passkey_beside_the_app(client, sensitive):
    user = make_user(superuser=True)
    sign_in(client, user)

    html = client.get("/admin/two-factor/enrol/?next=/admin/", **CMS).content.decode()
    at_ip = client.get("/admin/two-factor/enrol/", **BARE_IP).content.decode()

    assert '<button type="button" id="passkey-register-button" class="button">Add a passkey</button>' in html
    assert f'data-passkey-url="{reverse("staffauth_passkey", args=[0])}" data-next="/admin/"' in html
    assert re.search(r'<script type="module" src="/static/staffauth/passkeys\.js', html)
    assert config_of(html)["beginRegistrationUrl"] == REGISTER_BEGIN
    assert '<code id="totp-secret">' in html
    assert "passkey-register-button" not in at_ip
    assert "Passkeys need the site&#x27;s host name" in at_ip
    assert '<code id="totp-secret">' in at_ip


def test_a_passkey_user_may_add_an_authenticator_app(client, sensitive):
    user = make_user(superuser=True)
    verify = make_passkey(user)
    sign_in(client, user)
    assert client.get("/admin/two-factor/enrol/", **CMS)["Location"] == "/admin/two-factor/verify/"
    verify_with(client, verify)

    page = client.get("/admin/two-factor/enrol/", **CMS)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/admin/two-factor/enrol/", {"code": current_code(device)}, **CMS)

    assert page.status_code == 200
    assert done.status_code == 200
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


def test_the_account_page_lists_passkeys_and_offers_another(client, sensitive):
    user = make_user(superuser=True)
    first = make_passkey(user, name="Work laptop")
    make_passkey(user, name="YubiKey")
    make_passkey(make_user(superuser=True), name="Not mine")
    sign_in(client, user)
    verify_with(client, first)

    html = client.get("/admin/two-factor/", **CMS).content.decode()

    assert "Two-factor sign-in is on: after your password you use a passkey." in html
    assert re.findall(r"<tr>\s*<td>([^<]+)</td>", html) == ["Work laptop", "YubiKey"]
    assert f'action="/admin/two-factor/passkeys/{first.pk}/remove/"' in html
    assert "passkey-register-button" in html
    assert 'data-next=""' in html
    assert "Set up an authenticator app" in html


def test_naming_a_first_passkey_shows_the_backup_codes(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user, name="Passkey added 4 Dec 2026")
    sign_in(client, user)
    verify_with(client, passkey)
    url = f"/admin/two-factor/passkeys/{passkey.pk}/?added=1&next=/admin/pages/"

    page = client.get(url, **CMS).content.decode()
    done = client.post(url, {"name": "  Work laptop ", "next": "/admin/pages/"}, **CMS)
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())

    assert "Name your passkey" in page
    assert 'value="Passkey added 4 Dec 2026"' in page
    assert 'name="next" value="/admin/pages/"' in page
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    stored = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    assert sorted(codes) == sorted(stored)
    assert len(codes) == 10
    assert 'href="/admin/pages/"' in done.content.decode()
    passkey.refresh_from_db()
    assert passkey.name == "Work laptop"


def test_renaming_keeps_the_backup_codes_and_returns_to_the_account_page(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.token_set.create(token="keepme23")  # noqa: S106
    sign_in(client, user)
    verify_with(client, passkey)

    response = client.post(f"/admin/two-factor/passkeys/{passkey.pk}/", {"name": "Phone"}, **CMS)

    assert response["Location"] == "/admin/two-factor/"
    assert list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == ["keepme23"]
    passkey.refresh_from_db()
    assert passkey.name == "Phone"


def test_another_users_passkey_can_be_neither_renamed_nor_removed(client, sensitive):
    user = make_user(superuser=True)
    mine = make_passkey(user)
    theirs = make_passkey(make_user(superuser=True), name="Theirs")
    sign_in(client, user)
    verify_with(client, mine)

    rename = client.post(f"/admin/two-factor/passkeys/{theirs.pk}/", {"name": "Mine now"}, **CMS)
    remove = client.post(f"/admin/two-factor/passkeys/{theirs.pk}/remove/", **CMS)

    assert (rename.status_code, remove.status_code) == (404, 404)
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"


def test_removing_one_of_two_factors_keeps_the_other_and_the_backup_codes(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user)
    app = confirmed_device(user)
    StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True).token_set.create(
        token="stay2345"  # noqa: S106
    )
    sign_in(client, user)
    verify_with(client, app)

    response = client.post(f"/admin/two-factor/passkeys/{passkey.pk}/remove/", **CMS)

    assert response["Location"] == "/admin/two-factor/"
    assert WebAuthnCredential.objects.filter(user=user).exists() is False
    assert StaticToken.objects.filter(device__user=user).count() == 1
    assert client.get("/admin/", **CMS).status_code == 200


def test_removing_the_last_passkey_of_a_required_user_leads_to_enrolment(client, sensitive):
    user = make_user(superuser=True)
    passkey = make_passkey(user)
    StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True).token_set.create(
        token="gone2345"  # noqa: S106
    )
    sign_in(client, user)
    verify_with(client, passkey)

    response = client.post(f"/admin/two-factor/passkeys/{passkey.pk}/remove/", **CMS)

    assert response["Location"] == "/admin/two-factor/enrol/"
    assert has_confirmed_device(user) is False
    assert StaticDevice.objects.filter(user=user).exists() is False


def test_removing_the_app_of_a_passkey_user_keeps_the_passkey(client, sensitive):
    user = make_user(superuser=True)
    make_passkey(user)
    app = confirmed_device(user)
    sign_in(client, user)
    verify_with(client, app)

    response = client.post("/admin/two-factor/remove/", **CMS)

    assert response["Location"] == "/admin/two-factor/"
    assert TOTPDevice.objects.filter(user=user).exists() is False
    assert WebAuthnCredential.objects.filter(user=user).count() == 1


def test_a_new_passkey_is_named_after_the_day_it_was_added(rf, monkeypatch):
    user = make_user(superuser=True)
    registration = SimpleNamespace(
        aaguid="00000000-0000-0000-0000-000000000000",
        credential_id=b"id",
        credential_public_key=b"key",
        sign_count=0,
        credential_device_type="single_device",
        credential_backed_up=False,
    )
    parsed = SimpleNamespace(response=SimpleNamespace(transports=None))

    monkeypatch.setattr("django.utils.timezone.localdate", lambda: date(2026, 12, 4))
    credential = PasskeyHelper(rf.get("/")).create_credential(user, registration, parsed, {})

    assert credential.name == "Passkey added 4 Dec 2026"
