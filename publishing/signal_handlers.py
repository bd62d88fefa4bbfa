"""Turn Wagtail's and Django's signals into publishing events.

Page events compare what the public saw before a change with what it sees after: a snapshot is
taken just before the page row is written (``pre_save`` of a full save, ``pre_page_move``,
``pre_delete``) and compared after the publish, unpublish or move. Every handler is guarded:
announcing a change must never break the editor's action. Inside ``publishing.bulk.bulk_changes``
(an import) the publish and unpublish handlers only note the page, and the snapshot, snippet,
comment-save and link-check handlers do nothing: the batch announces everything once at its end.
Moves, deletions and settings changes are announced as usual.
"""

from __future__ import annotations

import functools
import logging
import threading
import weakref

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from blog.models import Author, Location, PracticeSettings, TherapeuticApproach, Topic
from publishing import affected, bulk, events, links
from publishing.events import emit
from publishing.tasks import enqueue_link_check
from readers.models import Comment

logger = logging.getLogger(__name__)

# Snapshots taken before a page write, keyed by page id, consumed by the handler that follows.
_before = threading.local()


def _snapshots() -> dict[int, affected.PageSnapshot]:
    if not hasattr(_before, "pages"):
        _before.pages = {}
    return _before.pages


def _moves() -> dict[int, affected.PageSnapshot]:
    if not hasattr(_before, "moves"):
        _before.moves = {}
    return _before.moves


def guarded(handler):
    @functools.wraps(handler)
    def wrapper(*args, **kwargs):
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("publishing: %s failed; the editor's change went through", handler.__name__)

    return wrapper


def page_object(page: Page, *, path: str | None = None, previous_path: str | None = None) -> dict:
    """The ``object`` of a page event."""
    specific_class = page.specific_class or type(page)
    return {
        "type": "page",
        "id": page.pk,
        "content_type": f"{specific_class._meta.app_label}.{specific_class._meta.model_name}",
        "title": page.title,
        "slug": page.slug,
        "path": path,
        "previous_path": previous_path,
    }


def _is_specific(instance) -> bool:
    return isinstance(instance, Page) and type(instance) is (instance.specific_class or Page)


@guarded
def snapshot_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Before a full page save (publish, unpublish, move), remember what the public saw."""
    if raw or not isinstance(instance, Page) or instance.pk is None or update_fields is not None:
        return
    if bulk.active() is not None:
        return
    if instance.pk in _moves():
        return  # the save inside a move: pre_page_move took the snapshot
    stored_slug = Page.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    slug_changed = stored_slug is not None and stored_slug != instance.slug
    snapshot = affected.snapshot_page(instance, include_descendants=slug_changed)
    if snapshot is None:
        _snapshots().pop(instance.pk, None)
    else:
        _snapshots()[instance.pk] = snapshot


@guarded
def on_page_published(sender, instance, revision=None, alias=False, **kwargs):
    if (batch := bulk.active()) is not None:
        batch.published.add(instance.pk)
        return
    before = _snapshots().pop(instance.pk, None)
    after = affected.snapshot_page(instance, include_descendants=bool(before and before.descendant_paths))
    impact = affected.page_change(before, after)
    path = after.path if after else None
    previous = before.path if before and after and before.path != after.path else None
    emit("page.published", page_object(instance, path=path, previous_path=previous), impact)
    if previous:
        emit("page.slug_changed", page_object(instance, path=path, previous_path=previous), impact)


@guarded
def on_page_unpublished(sender, instance, **kwargs):
    if (batch := bulk.active()) is not None:
        batch.unpublished.add(instance.pk)
        return
    before = _snapshots().pop(instance.pk, None)
    if before is None:
        return  # it was not public (e.g. scheduled): nothing the public saw changes
    emit(
        "page.unpublished",
        page_object(instance, previous_path=before.path),
        affected.page_change(before, None),
    )


@guarded
def snapshot_before_move(sender, instance, **kwargs):
    snapshot = affected.snapshot_page(instance, include_descendants=True)
    if snapshot is not None:
        _moves()[instance.pk] = snapshot


@guarded
def on_page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    before = _moves().pop(instance.pk, None)
    if url_path_before == url_path_after:
        return  # reordered among siblings: no path changed
    after = affected.snapshot_page(instance, include_descendants=True)
    if before is None and after is None:
        return
    emit(
        "page.moved",
        page_object(
            instance,
            path=after.path if after else None,
            previous_path=before.path if before else None,
        ),
        affected.page_change(before, after),
    )


@guarded
def on_page_deleting(sender, instance, **kwargs):
    """Work out the impact while the page and its references still exist (pre_delete)."""
    if not _is_specific(instance):
        return  # the same page's base row; the specific instance is handled
    before = affected.snapshot_page(instance)
    if before is None:
        return
    emit("page.deleted", page_object(instance, previous_path=before.path), affected.page_change(before, None))


# --- snippets and settings -----------------------------------------------------------------


def _snippet_object(instance, *, action: str = "updated") -> dict:
    meta = instance._meta
    return {
        "type": "snippet",
        "model": f"{meta.app_label}.{meta.model_name}",
        "id": instance.pk,
        "slug": getattr(instance, "slug", None),
        "name": str(getattr(instance, "name", instance)),
        "action": action,
    }


# The slug a snippet had before a save (pre_save), read by the same save's post_save: kept
# beside the instance rather than on it, and gone with it.
_old_slugs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@guarded
def remember_old_slug(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or bulk.active() is not None:
        return
    _old_slugs[instance] = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()


def _snippet_impact(instance) -> affected.Impact:
    old_slug = _old_slugs.pop(instance, None) if instance.pk is not None else None
    old_slug = old_slug if old_slug and old_slug != getattr(instance, "slug", None) else None
    if isinstance(instance, Author):
        return affected.author_change(instance, old_slug=old_slug)
    if isinstance(instance, Topic):
        return affected.topic_change(instance, old_slug=old_slug)
    if isinstance(instance, TherapeuticApproach):
        return affected.approach_change(instance)
    # Locations are listed in the site-wide data every page renders.
    return affected.everything()


@guarded
def on_snippet_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or (created and sender in (Topic, TherapeuticApproach)) or bulk.active() is not None:
        return  # a new topic or approach is on no public page until an article uses it
    emit(
        "snippet.updated",
        _snippet_object(instance, action="created" if created else "updated"),
        _snippet_impact(instance),
    )


@guarded
def on_snippet_deleting(sender, instance, **kwargs):
    emit("snippet.updated", _snippet_object(instance, action="deleted"), _snippet_impact(instance))


@guarded
def on_settings_saved(sender, instance, created=False, raw=False, **kwargs):
    if raw or created:
        return  # created on first read with defaults: nothing visible changed
    emit(
        "settings.updated",
        {"type": "settings", "model": "blog.practicesettings", "id": instance.pk},
        affected.everything(),
    )


def _purge_article_of(comment) -> None:
    impact = affected.comments_change(comment.article_id)
    transaction.on_commit(lambda: events.purge_frontend_cache(impact), robust=True)


@guarded
def on_comment_saved(sender, instance, update_fields=None, **kwargs):
    """A comment appearing or disappearing changes its article's page: purge it from the CDN.
    A new pending comment changes nothing public (and a flood of them purges nothing)."""
    if bulk.active() is not None:
        return
    moderated = update_fields is not None and "status" in update_fields
    if instance.status == instance.Status.APPROVED or moderated:
        _purge_article_of(instance)


@guarded
def on_comment_deleted(sender, instance, **kwargs):
    if instance.status == instance.Status.APPROVED:
        _purge_article_of(instance)


SNIPPETS = (Author, TherapeuticApproach, Topic, Location)


# --- broken-link checks ----------------------------------------------------------------------
# The worker checks links (``publishing.links``): a published page's own links, and the links
# of pages pointing at a page that stops being public. Queued after the commit, so the worker
# reads what was committed.


@guarded
def check_links_of_published_page(sender, instance, **kwargs):
    if bulk.active() is not None:
        return  # the batch queues one check of every page it published
    page_id = instance.pk
    transaction.on_commit(lambda: enqueue_link_check([page_id]))


@guarded
def check_links_to_withdrawn_page(sender, instance, **kwargs):
    """Unpublished or about to be deleted: re-check the pages whose links point at it."""
    if not isinstance(instance, Page) or not _is_specific(instance) or bulk.active() is not None:
        return
    linking = [pk for pk in links.pages_linking_to([instance.pk]) if pk != instance.pk]
    if linking:
        transaction.on_commit(lambda: enqueue_link_check(linking))


@guarded
def note_saved_in_batch(sender, instance, raw=False, **kwargs):
    if not raw and bulk.active() is not None:
        bulk.note_saved(instance)


def connect() -> None:
    """Connect the receivers (called once from the app config)."""
    pre_save.connect(snapshot_before_save, dispatch_uid="publishing.snapshot_before_save")
    post_save.connect(note_saved_in_batch, dispatch_uid="publishing.note_saved_in_batch")
    page_published.connect(on_page_published, dispatch_uid="publishing.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="publishing.page_unpublished")
    pre_page_move.connect(snapshot_before_move, dispatch_uid="publishing.pre_page_move")
    post_page_move.connect(on_page_moved, dispatch_uid="publishing.post_page_move")
    pre_delete.connect(on_page_deleting, dispatch_uid="publishing.page_deleting")
    for model in SNIPPETS:
        label = model._meta.label_lower
        if model in (Author, Topic):
            pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"publishing.slug.{label}")
        post_save.connect(on_snippet_saved, sender=model, dispatch_uid=f"publishing.saved.{label}")
        pre_delete.connect(on_snippet_deleting, sender=model, dispatch_uid=f"publishing.deleting.{label}")
    post_save.connect(on_settings_saved, sender=PracticeSettings, dispatch_uid="publishing.settings")
    post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="publishing.comment_saved")
    post_delete.connect(on_comment_deleted, sender=Comment, dispatch_uid="publishing.comment_deleted")
    page_published.connect(check_links_of_published_page, dispatch_uid="publishing.links.published")
    page_unpublished.connect(check_links_to_withdrawn_page, dispatch_uid="publishing.links.unpublished")
    pre_delete.connect(check_links_to_withdrawn_page, dispatch_uid="publishing.links.deleting")
