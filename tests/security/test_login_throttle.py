"""Admin sign-in is throttled against brute force, per username and client and per client."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed

from cms import security

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"
_addresses = itertools.count(1)


@pytest.fixture
def client_address():
    """A client address no other test used, so counters from earlier tests never interfere
    (the cache may be a shared Redis in CI's second pass)."""
    n = next(_addresses)
    return f"198.51.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser(
        username="editor-throttle", email="editor@example-practice.test", password="correct horse battery"
    )


def sign_in(client, username, password, address, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_five_failures_lock_the_username_for_that_client_even_with_the_right_password(
    client, editor, client_address
):
    for _ in range(5):
        response = sign_in(client, "editor-throttle", "wrong", client_address)
        assert response.status_code == 200
        assert response.context["form"].non_field_errors() == [
            "Your username and password didn't match. Please try again."
        ]

    locked = sign_in(client, "editor-throttle", "correct horse battery", client_address)

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert b"Too many failed sign-in attempts. Try again in 15 minutes." in locked.content
    assert "_auth_user_id" not in client.session


def test_a_locked_attempt_never_reaches_the_password_check(client, editor, client_address):
    checked = []

    def receiver(**kwargs):
        checked.append(kwargs["credentials"]["username"])

    user_login_failed.connect(receiver)
    try:
        for _ in range(5):
            sign_in(client, "editor-throttle", "wrong", client_address)
        assert len(checked) == 5
        assert sign_in(client, "editor-throttle", "wrong", client_address).status_code == 429
    finally:
        user_login_failed.disconnect(receiver)
    assert len(checked) == 5


def test_another_client_can_still_sign_in_with_the_locked_username(client, editor, client_address):
    for _ in range(5):
        sign_in(client, "editor-throttle", "wrong", client_address)

    response = sign_in(client, "editor-throttle", "correct horse battery", "203.0.113.77")

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_successful_sign_in_clears_the_failures(client, editor, client_address):
    for _ in range(4):
        sign_in(client, "editor-throttle", "wrong", client_address)
    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, "editor-throttle", "wrong", client_address).status_code == 200
    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 302


def test_guessing_many_usernames_from_one_client_locks_that_client(client, editor, client_address):
    for n in range(20):
        assert sign_in(client, f"user-{n}", "wrong", client_address).status_code == 200

    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 429
    assert sign_in(client, "someone-new", "x", client_address).status_code == 429


def test_usernames_are_counted_case_insensitively(client, editor, client_address):
    spellings = [
        "Editor-Throttle",
        "EDITOR-THROTTLE",
        "editor-throttle ",
        "editor-Throttle",
        "eDitor-Throttle",
    ]

    for name in spellings:
        sign_in(client, name, "wrong", client_address)

    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    n = next(_addresses)
    attacker = f"192.0.2.{n % 250 + 1}"
    for _ in range(5):
        # The attacker forges an address on the left; the load balancer appends the real one.
        sign_in(client, "editor-throttle", "wrong", "10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}, {attacker}")

    blocked = sign_in(client, "editor-throttle", "x", "10.0.0.2", HTTP_X_FORWARDED_FOR=attacker)
    other = sign_in(
        client, "editor-throttle", "correct horse battery", "10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    assert blocked.status_code == 429
    assert other.status_code == 302


def test_forms_rejected_by_csrf_are_not_counted(client, editor, client_address):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    for _ in range(10):
        response = strict.post(
            LOGIN_URL, {"username": "editor-throttle", "password": "wrong"}, REMOTE_ADDR=client_address
        )
        assert response.status_code == 403

    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 302


class UnreachableCache:
    """What django-redis with IGNORE_EXCEPTIONS looks like while Redis is down."""

    def get(self, key, default=None):
        return default

    def add(self, *args, **kwargs):
        return False

    def incr(self, *args, **kwargs):
        return None

    def delete(self, *args, **kwargs):
        return False


def test_while_the_shared_cache_is_down_each_process_still_enforces_the_limit(
    client, editor, client_address, monkeypatch, settings
):
    monkeypatch.setattr(security, "caches", {settings.ADMIN_LOGIN_THROTTLE_CACHE: UnreachableCache()})
    for _ in range(5):
        assert sign_in(client, "editor-throttle", "wrong", client_address).status_code == 200

    assert sign_in(client, "editor-throttle", "correct horse battery", client_address).status_code == 429


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
    user = django_user_model.objects.create_superuser("s", "s@example-practice.test", "pw")
    client.force_login(user)
    assert 0 < client.session.get_expiry_age() <= 8 * 60 * 60
