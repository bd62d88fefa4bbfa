"""Admin sign-in is locked after repeated failures (django-axes, staffauth.lockout), per
username and client and per client, with the attempts kept in the database.

Every test signs in with a username and client addresses of its own, so no test sees another's
failures, in this run or a later one against the same database.
"""

import itertools
import logging
import random
import uuid
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from cms import security

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
PASSWORD = "correct horse battery"  # noqa: S105
# 198.18.0.0/15 is reserved for tests; a random start keeps re-runs apart as well.
_addresses = itertools.count(random.randrange(0, 100_000))


def new_address() -> str:
    n = next(_addresses) % (2 * 256 * 254)
    return f"198.{18 + n // (256 * 254)}.{n // 254 % 256}.{n % 254 + 1}"


@pytest.fixture
def client_address():
    return new_address()


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username=f"editor-{uuid.uuid4().hex[:10]}", email="editor@example-practice.test", password=PASSWORD
    )


def sign_in(client, username, password, address, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_five_failures_lock_the_username_for_that_client_even_with_the_right_password(
    client, editor, client_address
):
    for _ in range(4):
        response = sign_in(client, editor.username, "wrong", client_address)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "Your username and password didn't match. Please try again."
        ]
    # The fifth failure is answered with the lockout page, and so is everything after it.
    assert sign_in(client, editor.username, "wrong", client_address).status_code == 429

    locked = sign_in(client, editor.username, PASSWORD, client_address)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert locked["Cache-Control"] == "no-store"
    html = locked.content.decode()
    assert "<h1>Too many sign-in attempts</h1>" in html
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in html
    # The admin's own look (Wagtail's sign-in page styles), not a bare error.
    assert '<body class="login' in html or 'class="login"' in html
    assert "_auth_user_id" not in client.session


def test_the_failures_are_kept_in_axes_table_without_the_password(client, editor, client_address):
    for _ in range(3):
        sign_in(client, editor.username.upper(), "hunter2-secret", client_address)

    attempt = AccessAttempt.objects.get(ip_address=client_address)

    assert attempt.username == editor.username
    assert attempt.failures_since_start == 3
    assert "hunter2-secret" not in attempt.post_data


def test_a_locked_attempt_never_reaches_the_password_check(client, editor, client_address, monkeypatch):
    checked = []
    original = ModelBackend.authenticate

    def counting(self, request, username=None, password=None, **kwargs):
        checked.append(username)
        return original(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", counting)
    for _ in range(5):
        sign_in(client, editor.username, "wrong", client_address)
    assert len(checked) == 5

    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 429
    assert len(checked) == 5


def test_attempts_while_locked_do_not_extend_the_lockout(client, editor, client_address):
    for _ in range(5):
        sign_in(client, editor.username, "wrong", client_address)
    for _ in range(3):
        assert sign_in(client, editor.username, "wrong", client_address).status_code == 429

    assert AccessAttempt.objects.get(ip_address=client_address).failures_since_start == 5


def test_the_lockout_ends_when_the_window_has_passed_since_the_last_failure(client, editor, client_address):
    for _ in range(5):
        sign_in(client, editor.username, "wrong", client_address)
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 429

    AccessAttempt.objects.filter(ip_address=client_address).update(
        attempt_time=timezone.now() - timedelta(minutes=15, seconds=1)
    )

    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_another_client_can_still_sign_in_with_the_locked_username(client, editor, client_address):
    for _ in range(5):
        sign_in(client, editor.username, "wrong", client_address)

    response = sign_in(client, editor.username, PASSWORD, new_address())

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_sign_in_clears_the_failures(client, editor, client_address):
    for _ in range(4):
        sign_in(client, editor.username, "wrong", client_address)
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, editor.username, "wrong", client_address).status_code == 200
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302


def test_guessing_many_usernames_from_one_client_locks_that_client(client, editor, client_address):
    for n in range(19):
        assert (
            sign_in(client, f"guess-{uuid.uuid4().hex[:8]}-{n}", "wrong", client_address).status_code == 200
        )
    assert sign_in(client, "guess-twenty", "wrong", client_address).status_code == 429

    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 429
    assert sign_in(client, "someone-new", "x", client_address).status_code == 429
    assert sign_in(client, editor.username, PASSWORD, new_address()).status_code == 302


def test_a_valid_sign_in_does_not_clear_the_clients_count_over_other_usernames(
    client, editor, client_address
):
    for n in range(19):
        sign_in(client, f"guess-{uuid.uuid4().hex[:8]}-{n}", "wrong", client_address)
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302
    client.logout()

    # The twentieth failure from this client locks it, the valid sign-in between notwithstanding.
    assert sign_in(client, "one-more-guess", "wrong", client_address).status_code == 429
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 429


def test_usernames_are_counted_case_insensitively(client, editor, client_address):
    name = editor.username
    spellings = [name.upper(), name.title(), f"{name} ", f" {name}", name.swapcase().capitalize()]

    for spelling in spellings:
        sign_in(client, spelling, "wrong", client_address)

    assert sign_in(client, name, PASSWORD, client_address).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker, proxy = new_address(), new_address()
    for _ in range(5):
        # The attacker forges an address on the left; the load balancer appends the real one.
        sign_in(client, editor.username, "wrong", proxy, HTTP_X_FORWARDED_FOR=f"{new_address()}, {attacker}")

    blocked = sign_in(client, editor.username, "x", proxy, HTTP_X_FORWARDED_FOR=attacker)
    other = sign_in(client, editor.username, PASSWORD, proxy, HTTP_X_FORWARDED_FOR=new_address())

    assert blocked.status_code == 429
    assert other.status_code == 302
    assert list(
        AccessAttempt.objects.filter(username=editor.username).values_list("ip_address", flat=True)
    ) == [attacker]


def test_forms_rejected_by_csrf_are_not_counted(client, editor, client_address):
    strict = Client(enforce_csrf_checks=True)
    for _ in range(10):
        response = strict.post(
            LOGIN_URL, {"username": editor.username, "password": "wrong"}, REMOTE_ADDR=client_address
        )
        assert response.status_code == 403

    assert AccessAttempt.objects.filter(ip_address=client_address).exists() is False
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302


def test_axes_reset_username_unlocks_the_account(client, editor, client_address):
    for _ in range(5):
        sign_in(client, editor.username, "wrong", client_address)
    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 429

    call_command("axes_reset_username", editor.username, stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert sign_in(client, editor.username, PASSWORD, client_address).status_code == 302


def test_failed_sign_ins_log_neither_the_username_nor_the_address(client, editor, client_address, caplog):
    with caplog.at_level(logging.INFO):
        for _ in range(6):
            sign_in(client, editor.username, "wrong", client_address)

    assert caplog.records
    assert editor.username not in caplog.text
    assert client_address not in caplog.text


def test_client_ip_ignores_forwarded_headers_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.1.1.1")

    assert security.client_ip(request) == "203.0.113.5"


def test_client_ip_takes_the_address_the_outermost_trusted_proxy_saw(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1")

    assert security.client_ip(request) == "203.0.113.5"


def test_staff_sessions_last_hours_not_weeks(client, django_user_model, settings):
    from django.conf import settings as live

    assert live.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert live.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    user = django_user_model.objects.create_superuser(
        f"s-{uuid.uuid4().hex[:8]}", "s@example-practice.test", "pw"
    )
    client.force_login(user)
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60


def test_a_sign_in_without_a_client_address_is_recorded_without_one(rf):
    from staffauth.lockout import axes_client_ip

    assert axes_client_ip(rf.get("/", REMOTE_ADDR="")) is None
    assert axes_client_ip(rf.get("/", REMOTE_ADDR="2001:db8::1")) == "2001:db8::1"
