"""Wagtail's admin password reset is limited per client address and per email address
(PASSWORD_RESET_THROTTLE_RATE, 5 an hour each), without revealing whether an account exists."""

import itertools
import random
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection

pytestmark = pytest.mark.django_db

RESET_URL = "/admin/password_reset/"
DONE_URL = "/admin/password_reset/done/"
_addresses = itertools.count(random.randrange(0, 50_000))


def new_address() -> str:
    n = next(_addresses) % (250 * 250)
    return f"198.19.{n // 250}.{n % 250 + 1}"


@pytest.fixture
def staff_email(db):
    username = f"reset-{uuid.uuid4().hex[:10]}"
    email = f"{username}@example-practice.test"
    get_user_model().objects.create_user(username, email, "old password 123")
    return email


def request_reset(client, email, address):
    return client.post(RESET_URL, {"email": email}, REMOTE_ADDR=address)


def test_five_requests_an_hour_for_one_address_then_no_email_and_the_same_answer(client, staff_email):
    address = new_address()
    answers = [request_reset(client, staff_email, address) for _ in range(5)]
    assert len(mail.outbox) == 5
    assert [m.to for m in mail.outbox] == [[staff_email]] * 5

    refused = request_reset(client, staff_email, address)

    assert len(mail.outbox) == 5
    assert (refused.status_code, refused["Location"]) == (answers[0].status_code, answers[0]["Location"])
    assert (refused.status_code, refused["Location"]) == (302, DONE_URL)


def test_the_limit_per_email_holds_across_client_addresses(client, staff_email):
    for _ in range(5):
        request_reset(client, staff_email, new_address())
    assert len(mail.outbox) == 5

    request_reset(client, staff_email, new_address())
    request_reset(client, staff_email.upper(), new_address())

    assert len(mail.outbox) == 5


def test_the_limit_per_client_holds_across_email_addresses(client, staff_email):
    address = new_address()
    for n in range(5):
        request_reset(client, f"nobody-{uuid.uuid4().hex[:8]}-{n}@example-practice.test", address)
    assert len(mail.outbox) == 0

    refused = request_reset(client, staff_email, address)
    other_client = request_reset(client, staff_email, new_address())

    assert refused["Location"] == DONE_URL
    assert other_client["Location"] == DONE_URL
    assert [m.to for m in mail.outbox] == [[staff_email]]


def test_a_refused_request_answers_like_an_unknown_address(client, staff_email):
    address = new_address()
    for _ in range(5):
        request_reset(client, staff_email, address)

    refused = request_reset(client, staff_email, address)
    unknown = request_reset(client, f"nobody-{uuid.uuid4().hex[:8]}@example-practice.test", new_address())
    done_page = client.get(DONE_URL)

    assert (refused.status_code, refused["Location"]) == (unknown.status_code, unknown["Location"])
    assert done_page.status_code == 200
    assert "Check your email" in done_page.content.decode()


def test_the_counters_are_in_the_database_and_hold_no_email_address(client, staff_email):
    # The test settings keep the throttle alias in its database table, as production does
    # without THROTTLE_REDIS_URL: a response cache can never evict these counters.
    request_reset(client, staff_email, new_address())

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM throttle_cache")
        keys = [row[0] for row in cursor.fetchall()]

    assert len([key for key in keys if ":password_reset:" in key]) == 2
    assert [key for key in keys if staff_email.split("@")[0] in key or "@" in key] == []
