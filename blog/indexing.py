"""Keeping articles in the search index: once per full save, or once per bulk.

``ArticlePage.save`` queues the update of its index entry (``index_article``). Inside
``indexing_deferred`` (a bulk import) saves only note the article; the block's normal end
indexes every noted article in one pass per search backend, as ``update_index`` does, so
search finds them as soon as the bulk's transaction commits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from modelsearch.tasks import insert_or_update_object_task
from wagtail.search.backends import get_search_backends

# Articles loaded at once by the bulk pass: their bodies are the largest objects a run holds.
BATCH = 100

# The ids noted while indexing is deferred, or None.
_state = threading.local()


def index_article(page) -> None:
    """Queue the update of ``page``'s index entry, or note it while indexing is deferred."""
    pending = getattr(_state, "pending", None)
    if pending is not None:
        pending.add(page.pk)
        return
    insert_or_update_object_task.enqueue(page._meta.app_label, page._meta.model_name, str(page.pk))


class Deferral:
    """A deferred piece of work (indexing here, the content-version bump in
    ``api.response_cache``); ``cancel()`` drops it (the writes are being rolled back)."""

    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


@contextmanager
def indexing_deferred() -> Iterator[Deferral]:
    """Article saves inside are indexed together when the block ends normally (nested uses:
    the outermost indexes). Nothing is indexed when the block raises or is cancelled."""
    deferral = Deferral()
    if getattr(_state, "pending", None) is not None:
        yield deferral
        return
    _state.pending = set()
    try:
        yield deferral
        ids = _state.pending
    finally:
        _state.pending = None
    if ids and not deferral.cancelled:
        index_articles(ids)


def index_articles(ids) -> None:
    """Index the articles ``ids`` now, in batches, in every search backend."""
    from blog.models import ArticlePage

    ids = sorted(ids)
    for backend in get_search_backends(with_auto_update=True):
        for start in range(0, len(ids), BATCH):
            batch = list(ArticlePage.get_indexed_objects().filter(pk__in=ids[start : start + BATCH]))
            if batch:
                backend.add_bulk(ArticlePage, batch)
