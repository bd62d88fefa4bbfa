"""Error reporting to Sentry, off unless SENTRY_DSN is set (docs/operations.md).

Nothing personal leaves the process: the SDK is told not to collect personal data, request
bodies or local variables, and ``scrub_event`` removes what could still carry it (cookies,
headers, the user, the client's address, query strings, form and JSON bodies) and replaces
every email address left in messages, exception values, breadcrumbs and extra data.
"""

from __future__ import annotations

import re
from typing import Any

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
EMAIL_REPLACEMENT = "[email]"
# Request headers kept (the rest may carry cookies, tokens or the client's address).
KEPT_HEADERS = {"accept", "accept-language", "content-length", "content-type", "host", "user-agent"}
FILTERED = "[Filtered]"


def _scrub(value: Any) -> Any:
    """``value`` with every email address in its strings replaced, at any depth."""
    if isinstance(value, str):
        return EMAIL.sub(EMAIL_REPLACEMENT, value)
    if isinstance(value, dict):
        return {key: _scrub(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(item) for item in value]
    return value


def _scrub_request(request: dict) -> dict:
    headers = request.get("headers") or {}
    cleaned = {
        "method": request.get("method"),
        "url": request.get("url"),
        "headers": {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS},
    }
    # Bodies, cookies, the query string (search words, tokens) and the environment (the
    # client's address) are dropped whole; only that they existed is kept.
    for key in ("data", "cookies", "query_string", "env"):
        if request.get(key):
            cleaned[key] = FILTERED
    return cleaned


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_send``: the event without personal data."""
    event = dict(event)
    event.pop("user", None)
    if "request" in event:
        event["request"] = _scrub_request(event["request"])
    for frame_holder in (event.get("exception") or {}).get("values") or []:
        for frame in (frame_holder.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    return _scrub(event)


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    """Sentry's ``before_breadcrumb``: SQL parameters and log messages may name people."""
    crumb = dict(crumb)
    data = crumb.get("data")
    if isinstance(data, dict) and "params" in data:
        crumb["data"] = {**data, "params": FILTERED}
    return _scrub(crumb)


def init_sentry(*, dsn: str, environment: str, release: str, traces_sample_rate: float) -> None:
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        environment=environment or None,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        # What the SDK collects at all: no user, request body, local variables, SQL
        # parameters or queue payloads.
        data_collection={
            "user_info": False,
            "http_bodies": [],
            "stack_frame_variables": False,
            "database_query_data": False,
            "queues": False,
        },
        max_request_body_size="never",
        before_send=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
    )
