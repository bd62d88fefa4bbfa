"""Stored topic counts (docs/decisions/0002): forgotten by every change to public output,
stored again after it commits.

``forget`` runs inside the changing transaction (``api.response_cache.bump``, the one place
every such change passes through) and ``refresh`` after its commit. Between the two, and
whenever a stored count's ``counted_until`` has passed, readers count live
(``blog.selectors.taxonomy.article_count``), so a count is never wrong, only slower.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from blog.models import ArticlePage, Topic
from blog.selectors.taxonomy import counted_now

# A stored count with no go-live or expiry ahead is still recounted at least this often.
LONGEST = timedelta(days=1)


def forget() -> None:
    Topic.objects.update(counted_until=None, count_epoch=F("count_epoch") + 1)


def next_change(now) -> object:
    """The next date at which an article's visibility changes on its own (go-live, expiry)."""
    dates = ArticlePage.objects.filter(live=True).aggregate(
        go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
        expire=Min("expire_at", filter=Q(expire_at__gt=now)),
    )
    return min([d for d in dates.values() if d is not None], default=now + LONGEST)


def refresh() -> int:
    """Store the current count of every topic whose stored count is not current; how many
    were stored. A row whose epoch moved on since it was read (a later change) is left for
    that change's refresh."""
    now = timezone.now()
    epochs = dict(
        Topic.objects.filter(Q(counted_until__isnull=True) | Q(counted_until__lte=now)).values_list(
            "pk", "count_epoch"
        )
    )
    if not epochs:
        return 0
    counts = counted_now(epochs)
    until = next_change(now)
    stored = 0
    with transaction.atomic():
        for pk, epoch in epochs.items():
            stored += Topic.objects.filter(pk=pk, count_epoch=epoch).update(
                counted_articles=counts.get(pk, 0), counted_until=until
            )
    return stored
