"""Bulk changes (a WordPress import): one announcement for the whole batch.

Publishing a page normally costs a snapshot before and after, an impact computation, a
webhook event, a CDN purge, a link check, a response cache bump and a search index update,
each once per page. Inside ``bulk_changes`` the signal handlers only note which pages were
published or unpublished (``publishing.signal_handlers`` asks ``active()``), response cache
bumps and article indexing are deferred (``api.response_cache.bumps_deferred``,
``blog.indexing.indexing_deferred``), and the block's normal end does each once:

- the search index is updated for every article saved inside;
- Wagtail's reference index update is queued once per object saved inside, not once per save
  (``disable_reference_index_auto_update``; ``note_saved`` notes the objects);
- the content version is bumped once (the API shows the new articles after the commit);
- one ``page.published`` event for ``announce_as`` (the page the batch went under, e.g. the
  blog index) with every public path (``affected.everything``), delivered to webhooks and
  purged from the CDN after the commit;
- one link check of every page published inside (and of the pages linking to pages
  unpublished inside), queued after the commit.

Nothing is announced when the block raises or the batch is discarded (a dry run rolled back).
Use it inside the transaction that does the writes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from wagtail.models import Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update
from wagtail.tasks import update_reference_index_task

from api.response_cache import bumps_deferred
from blog.indexing import indexing_deferred
from publishing import affected, links
from publishing.events import emit
from publishing.tasks import enqueue_link_check

_current = threading.local()


@dataclass
class Batch:
    published: set[int] = field(default_factory=set)
    unpublished: set[int] = field(default_factory=set)
    saved: set[tuple[str, str, str]] = field(default_factory=set)  # (app, model, pk)
    discarded: bool = False

    def discard(self) -> None:
        """Announce nothing at the end (the caller rolls the changes back)."""
        self.discarded = True


def active() -> Batch | None:
    """The batch in progress in this thread, if any."""
    return getattr(_current, "batch", None)


@contextmanager
def bulk_changes(*, announce_as: Page) -> Iterator[Batch]:
    if active() is not None:
        yield active()
        return
    batch = Batch()
    with bumps_deferred() as bumps, indexing_deferred() as indexing, disable_reference_index_auto_update():
        _current.batch = batch
        try:
            yield batch
        finally:
            _current.batch = None
        if batch.discarded:
            bumps.cancel()
            indexing.cancel()
            return
        for app_label, model_name, pk in sorted(batch.saved):
            update_reference_index_task.enqueue(app_label, model_name, pk)
        if batch.published or batch.unpublished:
            _announce(announce_as, batch)


def note_saved(instance) -> None:
    """Called for every save inside a batch: remember what Wagtail's reference index tracks."""
    batch = active()
    if batch is not None and type(instance) in ReferenceIndex.tracked_models:
        batch.saved.add((instance._meta.app_label, instance._meta.model_name, str(instance.pk)))


def _announce(page: Page, batch: Batch) -> None:
    snapshot = affected.snapshot_page(page)
    emit(
        "page.published",
        {
            "type": "page",
            "id": page.pk,
            "content_type": f"{page._meta.app_label}.{page._meta.model_name}",
            "title": page.title,
            "slug": page.slug,
            "path": snapshot.path if snapshot else None,
            "previous_path": None,
        },
        affected.everything(),
    )
    # Pages published here, and pages whose links point at pages withdrawn here.
    linking = set(links.pages_linking_to(batch.unpublished)) if batch.unpublished else set()
    to_check = sorted(batch.published | (linking - batch.unpublished))
    transaction.on_commit(lambda: enqueue_link_check(to_check))
