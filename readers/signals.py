"""Keep cached API responses honest when what the public sees of a comment changes.

The Article detail carries ``comment_count`` and is kept in the shared API cache under the
article's tag (``api.caching``). A comment becoming visible or invisible (moderation, a staff
reply, a deletion) refreshes that tag once the change is committed. A new pending comment
changes nothing public, so a flood of submissions never churns the cache.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from readers.models import Comment


def _refresh_article(article_id: int) -> None:
    from api.caching import invalidate
    from blog.page_cache import invalidate_article
    from publishing.affected import article_tag

    transaction.on_commit(lambda: invalidate([article_tag(article_id)]))
    transaction.on_commit(lambda: invalidate_article(article_id))


@receiver(post_save, sender=Comment, dispatch_uid="readers-comment-saved")
def comment_saved(sender, instance: Comment, update_fields=None, **kwargs):
    moderated = update_fields is not None and "status" in update_fields
    if instance.status == Comment.Status.APPROVED or moderated:
        _refresh_article(instance.article_id)


@receiver(post_delete, sender=Comment, dispatch_uid="readers-comment-deleted")
def comment_deleted(sender, instance: Comment, **kwargs):
    if instance.status == Comment.Status.APPROVED:
        _refresh_article(instance.article_id)
