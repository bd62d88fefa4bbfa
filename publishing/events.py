"""Announcing a content change: CDN purge and webhooks.

The response cache needs nothing from here: every change bumps its content version
(``api.response_cache``).

``emit`` is called by the signal handlers inside the editor's request. It does the work after
the transaction commits (a rolled-back publish announces nothing) and never raises: a broken
receiver, cache or queue must not fail or slow down publishing.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from publishing.affected import Impact, purge_urls_for
from publishing.models import WebhookDelivery, WebhookEndpoint
from publishing.tasks import enqueue_delivery

logger = logging.getLogger(__name__)


def build_payload(event: str, obj: dict[str, Any], impact: Impact) -> dict[str, Any]:
    """The JSON body every endpoint receives::

    {"id": "0b8e…", "event": "page.published", "occurred_at": "2026-11-26T08:00:00+00:00",
     "object": {"type": "page", "id": 12, "content_type": "blog.articlepage", ...},
     "paths": ["/", "/blog/", "/blog/emotional-numbness/", "/blog/topics/anxiety/"]}
    """
    return {
        "id": str(uuid.uuid4()),
        "event": event,
        "occurred_at": timezone.now().isoformat(),
        "object": obj,
        "paths": impact.sorted_paths(),
    }


def emit(event: str, obj: dict[str, Any], impact: Impact) -> dict[str, Any]:
    """Announce a change once the current transaction commits. Returns the payload."""
    payload = build_payload(event, obj, impact)
    transaction.on_commit(lambda: announce(payload, impact), robust=True)
    return payload


def announce(payload: dict[str, Any], impact: Impact) -> None:
    """Purge and queue deliveries now. Each step is isolated from the other."""
    try:
        purge_frontend_cache(impact)
    except Exception:
        logger.exception("frontend cache purge failed for %s", payload["event"])
    try:
        queue_webhooks(payload)
    except Exception:
        logger.exception("queueing webhooks failed for %s", payload["event"])


def queue_webhooks(payload: dict[str, Any]) -> list[WebhookDelivery]:
    """One pending delivery per active endpoint subscribed to the event, each queued."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if e.wants(payload["event"])]
    deliveries = [
        WebhookDelivery.objects.create(
            endpoint=endpoint, event_id=payload["id"], event=payload["event"], payload=payload
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        enqueue_delivery(delivery.pk)
    return deliveries


def purge_frontend_cache(impact: Impact) -> None:
    """Ask the CDN (Wagtail's frontend-cache backends) to drop every affected URL.

    Does nothing unless ``WAGTAILFRONTENDCACHE`` is configured. The purge itself runs as a
    background task (Wagtail's own ``purge_urls_from_cache_task``).
    """
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(purge_urls_for(impact))
