"""Bot detection without a third-party service: a honeypot field and a minimum fill time.

A bot that trips either gets the same success answer a person gets, and nothing is stored
(see ``readers.services``). The fill-time token is a signed timestamp the HTML form carries
in a hidden field; the API has no token (a frontend needs no extra round trip) and relies on
the honeypot and the throttle.
"""

from __future__ import annotations

import time
from enum import Enum

from django.conf import settings
from django.core import signing

HONEYPOT_FIELD = "company"
STARTED_FIELD = "started"
# A form left open longer than this must be sent again (with a fresh token).
FORM_MAX_AGE_SECONDS = 24 * 60 * 60


class FillCheck(Enum):
    OK = "ok"
    MISSING = "missing"  # no token or a forged one: not our form
    TOO_FAST = "too_fast"
    EXPIRED = "expired"


def honeypot_filled(data) -> bool:
    """True when the field people never see (hidden by CSS, skipped by screen readers) has text."""
    value = data.get(HONEYPOT_FIELD) if data is not None else None
    return value not in (None, "", False)


def make_started_token(form_name: str, *, now: float | None = None) -> str:
    """A signed timestamp for the hidden ``started`` field of an HTML form."""
    return signing.dumps({"t": now if now is not None else time.time()}, salt=f"readers.started.{form_name}")


def check_started_token(form_name: str, token: object, *, now: float | None = None) -> FillCheck:
    """Was this form rendered by us, at least ``READERS_MIN_FILL_SECONDS`` ago?"""
    if not isinstance(token, str) or not token:
        return FillCheck.MISSING
    now = now if now is not None else time.time()
    salt = f"readers.started.{form_name}"
    try:
        payload = signing.loads(token, salt=salt)
    except signing.BadSignature:
        return FillCheck.MISSING
    started = payload.get("t") if isinstance(payload, dict) else None
    if not isinstance(started, int | float):
        return FillCheck.MISSING
    if now - started > FORM_MAX_AGE_SECONDS:
        return FillCheck.EXPIRED
    if now - started < settings.READERS_MIN_FILL_SECONDS:
        return FillCheck.TOO_FAST
    return FillCheck.OK
