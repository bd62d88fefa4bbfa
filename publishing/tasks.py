"""Background work: webhook deliveries with retries (django-tasks).

One task run is one attempt. A failed attempt (a non-2xx answer, a timeout or a network error)
schedules the next with exponential backoff (``run_after``) until ``WEBHOOK_MAX_ATTEMPTS``;
each attempt is recorded on the ``WebhookDelivery`` row staff see in the admin.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from publishing import destinations, links
from publishing.models import WebhookDelivery
from publishing.signing import SIGNATURE_HEADER, signature_header

logger = logging.getLogger(__name__)

USER_AGENT = "PracticeCMS-Webhooks/1.0"


def max_attempts() -> int:
    return max(1, int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 6)))


def retry_delay(attempts_made: int) -> timedelta:
    """Backoff before the next attempt: base, 2×base, 4×base… (capped at one day)."""
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 30))
    return timedelta(seconds=min(base * 2 ** max(0, attempts_made - 1), 86400))


def encode_payload(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str, bool]:
    """POST once to a checked destination (publishing/destinations.py).

    Returns (status code or None, error text or '', whether a connection was attempted). A
    refused destination is never contacted, so its log says why it was refused and nothing a
    port scan would learn (no status, no socket error, no timing); redirects are not followed
    (a 3xx is a failed attempt).
    """
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 5))
    try:
        response = destinations.request("POST", url, body=body, headers=headers, timeout=timeout)
    except destinations.DestinationRefused as exc:
        return None, f"Destination refused: {exc}", False
    except destinations.OutboundError as exc:
        return None, str(exc), True
    failed = f"HTTP {response.status} {response.reason}".strip()[:500]
    return response.status, "" if 200 <= response.status < 300 else failed, True


def attempt_delivery(delivery: WebhookDelivery) -> bool:
    """Send ``delivery`` once and record the attempt. True when the receiver answered 2xx."""
    endpoint = delivery.endpoint
    body = encode_payload(delivery.payload)
    attempt_number = delivery.attempts + 1
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Webhook-Id": str(delivery.event_id),
        "X-Webhook-Event": delivery.event,
        "X-Webhook-Attempt": str(attempt_number),
        SIGNATURE_HEADER: signature_header(endpoint.secret, body),
    }
    started = time.monotonic()
    status_code, error, contacted = _post(endpoint.url, body, headers)
    succeeded = status_code is not None and 200 <= status_code < 300
    if status_code is not None and not succeeded and not error:
        error = f"HTTP {status_code}"
    now = timezone.now()
    delivery.attempts = attempt_number
    delivery.last_status_code = status_code
    delivery.last_error = "" if succeeded else error
    delivery.last_attempt_at = now
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "attempt": attempt_number,
            "at": now.isoformat(),
            "status_code": status_code,
            "error": "" if succeeded else error,
            "duration_ms": round((time.monotonic() - started) * 1000) if contacted else None,
        },
    ]
    if succeeded:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif attempt_number >= max_attempts():
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now + retry_delay(attempt_number)
    delivery.save()
    log = logger.info if succeeded else logger.warning
    log(
        "webhook delivery %s (%s to endpoint %s) attempt %s: %s",
        delivery.pk,
        delivery.event,
        endpoint.pk,
        attempt_number,
        "delivered" if succeeded else error,
    )
    return succeeded


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at a delivery; on failure, queue the next attempt with backoff."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
            .first()
        )
        if delivery is None:  # already delivered, given up or deleted
            return "skipped"
    succeeded = attempt_delivery(delivery)
    if delivery.status == WebhookDelivery.Status.PENDING:
        enqueue_delivery(delivery.pk, run_after=delivery.next_attempt_at)
    return "succeeded" if succeeded else delivery.status


def enqueue_delivery(delivery_id: int, *, run_after=None) -> None:
    """Queue an attempt. Backends that cannot defer (the immediate one, in tests) retry at once."""
    runner = deliver_webhook
    if run_after is not None and runner.get_backend().supports_defer:
        runner = runner.using(run_after=run_after)
    try:
        runner.enqueue(delivery_id)
    except Exception:
        # The queue being unavailable must never break publishing; the row stays pending and
        # `manage.py retry_webhooks` (or the next event) picks it up.
        logger.exception("could not queue webhook delivery %s", delivery_id)


# --- Broken-link checks (``publishing.links``) -----------------------------------------------


@task()
def check_page_links(page_ids: list[int]) -> dict:
    """Check the links of these pages (those still live and public) and store the results."""
    return links.check_pages(page_ids)


@task()
def check_all_links() -> dict:
    """Check the links of every live, public page (run by ``manage.py check_links``)."""
    return links.check_pages(None)


def enqueue_link_check(page_ids: list[int]) -> None:
    """Queue a check of ``page_ids`` for the worker; a queue failure never breaks publishing
    (the periodic full check finds the links later)."""
    if not page_ids or not getattr(settings, "LINK_CHECK_ON_PUBLISH", True):
        return
    try:
        check_page_links.enqueue(sorted(set(page_ids)))
    except Exception:
        logger.exception("could not queue a link check of pages %s", page_ids)
