"""Two-factor sign-in for staff (staffauth, django-otp): who must use it, enrolment, the code
after the password, backup codes, and the account page."""

import io
import itertools
import random
import re
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.checks import run_checks
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from readers.models import ConsultationRequest

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # noqa: S105
REQUESTS = "wagtailsnippets_readers_consultationrequest"
_addresses = itertools.count(random.randrange(0, 50_000))


def new_address() -> str:
    n = next(_addresses) % (250 * 250)
    return f"198.18.{n // 250}.{n % 250 + 1}"


def make_user(*, superuser=False, permissions=()):
    username = f"staff-{uuid.uuid4().hex[:10]}"
    user_model = get_user_model()
    if superuser:
        return user_model.objects.create_superuser(username, f"{username}@example-practice.test", PASSWORD)
    user = user_model.objects.create_user(username, f"{username}@example-practice.test", PASSWORD)
    group = Group.objects.create(name=f"group-{username}")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *[
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, _, codename in (permission.partition(".") for permission in permissions)
        ],
    )
    user.groups.add(group)
    return user


def sign_in(client, user):
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=new_address()
    )
    assert response.status_code == 302, response.content
    return response


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


@pytest.fixture
def sensitive(settings):
    settings.STAFF_2FA_REQUIRED = "sensitive"


@pytest.fixture
def consultation(db):
    return ConsultationRequest.objects.create(
        name="Robin Quietname",
        email="robin.quietname@example.org",
        preferred_contact="email",
        message="About sleep.",
        consent=True,
    )


def test_never_leaves_sign_in_as_it_was(client, settings):
    settings.STAFF_2FA_REQUIRED = "never"
    user = make_user(superuser=True)

    sign_in(client, user)
    response = client.get("/admin/")

    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=user).exists() is False


def test_a_required_user_without_a_device_is_sent_to_enrolment_and_sees_no_admin_page(
    client, sensitive, consultation
):
    user = make_user(permissions=["readers.view_consultationrequest", "readers.change_consultationrequest"])
    sign_in(client, user)

    home = client.get("/admin/")
    listing = client.get(reverse(f"{REQUESTS}:list"))
    inspect = client.get(reverse(f"{REQUESTS}:inspect", args=[consultation.pk]))
    export = client.get(reverse(f"{REQUESTS}:list") + "?export=csv")

    assert home.status_code == 302
    assert home["Location"] == "/admin/two-factor/enrol/?next=%2Fadmin%2F"
    assert listing.status_code == 302
    assert listing["Location"].startswith("/admin/two-factor/enrol/?next=")
    assert inspect.status_code == 302
    assert export.status_code == 302
    for response in (home, listing, inspect, export):
        assert b"Robin Quietname" not in response.content


def test_webhook_managers_and_superusers_are_required_and_plain_editors_are_not(client, sensitive):
    webhooks = make_user(permissions=["publishing.change_webhookendpoint"])
    superuser = make_user(superuser=True)
    editor = make_user(permissions=["readers.view_comment"])

    for user, expected in ((webhooks, 302), (superuser, 302), (editor, 200)):
        client.logout()
        sign_in(client, user)
        assert client.get("/admin/").status_code == expected, user


def test_all_requires_every_admin_user(client, settings):
    settings.STAFF_2FA_REQUIRED = "all"
    editor = make_user(permissions=["readers.view_comment"])
    sign_in(client, editor)

    assert client.get("/admin/")["Location"] == "/admin/two-factor/enrol/?next=%2Fadmin%2F"


def test_enrolment_shows_the_qr_code_and_the_secret_then_confirms_with_a_code(
    client, sensitive, consultation
):
    user = make_user(superuser=True)
    sign_in(client, user)

    page = client.get("/admin/two-factor/enrol/?next=/admin/")
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)

    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert device.confirmed is False
    qr_code = (
        r'<img src="data:image/svg\+xml;charset=utf-8,%3Csvg[^"]+" alt="QR code for your authenticator app"'
    )
    assert re.search(qr_code, html)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    assert secret.replace(" ", "") in device.config_url
    assert "Robin Quietname" not in html

    # Reloading keeps the secret the app has scanned.
    client.get("/admin/two-factor/enrol/")
    assert TOTPDevice.objects.filter(user=user).count() == 1

    wrong = client.post(
        "/admin/two-factor/enrol/", {"code": "000000" if current_code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200
    assert "That code is not valid." in wrong.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/admin/").status_code == 302
    # django-otp makes the next try wait after a wrong code (1 s, doubling with each failure).
    too_soon = client.post("/admin/two-factor/enrol/", {"code": current_code(device)})
    assert "Too many wrong codes. Wait a few seconds" in too_soon.content.decode()
    device.throttle_reset()

    done = client.post("/admin/two-factor/enrol/", {"code": current_code(device), "next": "/admin/"})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())

    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/admin/").status_code == 200
    listing = client.get(reverse(f"{REQUESTS}:list"))
    assert listing.status_code == 200
    assert "Robin Quietname" in listing.content.decode()


def test_a_user_with_a_device_is_asked_for_the_code_and_a_wrong_one_is_refused(client, settings):
    # Whatever the setting says: a device, once confirmed, is always asked for.
    settings.STAFF_2FA_REQUIRED = "never"
    user = make_user(superuser=True)
    device = confirmed_device(user)
    sign_in(client, user)

    assert client.get("/admin/pages/")["Location"] == "/admin/two-factor/verify/?next=%2Fadmin%2Fpages%2F"
    page = client.get("/admin/two-factor/verify/?next=/admin/pages/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()

    wrong_code = "123456" if current_code(device) != "123456" else "654321"
    wrong = client.post("/admin/two-factor/verify/", {"code": wrong_code, "next": "/admin/pages/"})

    assert wrong.status_code == 200
    assert "That code is not valid." in wrong.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_current_code_lets_the_user_in(client, sensitive):
    user = make_user(permissions=["readers.view_consultationrequest"])
    device = confirmed_device(user)
    sign_in(client, user)

    response = client.post(
        "/admin/two-factor/verify/", {"code": current_code(device), "next": "/admin/pages/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse(f"{REQUESTS}:list")).status_code == 200


def test_the_next_address_never_leads_off_the_site(client, sensitive):
    user = make_user(superuser=True)
    device = confirmed_device(user)
    sign_in(client, user)

    response = client.post(
        "/admin/two-factor/verify/", {"code": current_code(device), "next": "https://evil.example/admin/"}
    )

    assert response["Location"] == "/admin/"


def test_a_backup_code_works_once(client, sensitive):
    user = make_user(superuser=True)
    confirmed_device(user)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    backup.token_set.create(token="abcd2345")  # noqa: S106
    backup.token_set.create(token="wxyz6789")  # noqa: S106

    sign_in(client, user)
    first = client.post("/admin/two-factor/verify/", {"code": "abcd 2345"})
    assert first["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200

    client.logout()
    sign_in(client, user)
    again = client.post("/admin/two-factor/verify/", {"code": "abcd2345"})

    assert again.status_code == 200
    assert "That code is not valid." in again.content.decode()
    assert list(backup.token_set.values_list("token", flat=True)) == ["wxyz6789"]


def test_the_account_area_links_to_the_device_page(client, sensitive):
    user = make_user(superuser=True)
    device = confirmed_device(user)
    sign_in(client, user)
    client.post("/admin/two-factor/verify/", {"code": current_code(device)})

    account = client.get("/admin/account/").content.decode()
    manage = client.get("/admin/two-factor/").content.decode()

    assert '<a href="/admin/two-factor/" class="button button-primary">Two-factor sign-in</a>' in account
    assert "Two-factor sign-in is on" in manage
    assert "Backup codes left: 0." in manage
    assert "Replace authenticator app" in manage


def test_new_backup_codes_replace_the_old_ones(client, sensitive):
    user = make_user(superuser=True)
    device = confirmed_device(user)
    old = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    old.token_set.create(token="oldcode2")  # noqa: S106
    sign_in(client, user)
    client.post("/admin/two-factor/verify/", {"code": current_code(device)})

    response = client.post("/admin/two-factor/backup-codes/")
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())

    assert len(codes) == 10
    assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(
        codes
    )
    assert "oldcode2" not in codes


def test_replacing_the_app_of_a_required_user_leads_straight_to_enrolment(client, sensitive):
    user = make_user(superuser=True)
    device = confirmed_device(user)
    sign_in(client, user)
    client.post("/admin/two-factor/verify/", {"code": current_code(device)})

    response = client.post("/admin/two-factor/remove/")

    assert response["Location"] == "/admin/two-factor/enrol/"
    assert TOTPDevice.objects.filter(user=user).exists() is False
    assert client.get("/admin/")["Location"] == "/admin/two-factor/enrol/?next=%2Fadmin%2F"


def test_a_user_who_is_not_required_can_turn_it_off(client, settings):
    settings.STAFF_2FA_REQUIRED = "never"
    user = make_user(superuser=True)
    device = confirmed_device(user)
    sign_in(client, user)
    client.post("/admin/two-factor/verify/", {"code": current_code(device)})

    response = client.post("/admin/two-factor/remove/")

    assert response["Location"] == "/admin/two-factor/"
    assert TOTPDevice.objects.filter(user=user).exists() is False
    assert client.get("/admin/").status_code == 200


def test_the_deploy_check_warns_when_production_says_never(settings):
    settings.STAFF_2FA_REQUIRED = "never"
    never = [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("staffauth")]
    settings.STAFF_2FA_REQUIRED = "sensitive"
    sensitive = [m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("staffauth")]

    assert never == ["staffauth.W001"]
    assert sensitive == []


def test_an_operator_code_from_addstatictoken_lets_a_user_without_their_phone_in_once(client, sensitive):
    user = make_user(superuser=True)
    confirmed_device(user)
    out = io.StringIO()
    call_command("addstatictoken", user.username, stdout=out)
    code = out.getvalue().strip()

    sign_in(client, user)
    assert client.post("/admin/two-factor/verify/", {"code": code})["Location"] == "/admin/"
    client.logout()
    sign_in(client, user)

    assert client.post("/admin/two-factor/verify/", {"code": code}).status_code == 200


def test_responses_outside_the_admin_do_not_vary_by_cookie(client, sensitive, home):
    # The second-factor check reads the session only for admin paths: the API and the site
    # stay cacheable for everyone.
    for path in ("/robots.txt", "/api/v1/articles/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Cookie" not in response.get("Vary", ""), path
