"""Keeping ``TopicCount`` (live articles per topic), ``LiveArticleCount`` (all of them) and
``PublicArticle`` (which ones: the search index of public articles follows it) up to date.

Reads (``selectors.topic_live_count``) take the stored count while it is valid and
count exactly otherwise, so a missing or stale row costs speed, never a wrong number.
``PublicArticle`` is the exception: a search finds only its rows (``blog.search_index``), so
after writes that bypass saves and signals (below) an article may be missing from search
until ``refresh_topic_counts`` runs.

What changes a count, and what refreshes it here:
- an article published, unpublished, moved, deleted or saved with new dates → the topics it
  carries (``post_save`` of the page, Wagtail's publish signals);
- a topic added to or removed from a live article → that topic (``ArticleTopic`` rows);
- a view restriction added or removed, a page moved → every topic (a restriction covers a
  whole section);
- time passing an expiry or go-live date → ``valid_until`` makes reads exact from then on,
  and ``publish_scheduled`` (which unpublishes expired pages) refreshes through the signals;
- bulk writes that bypass signals (``bench_seed``) and every ``migrate`` → everything.

Refreshes run in the writer's transaction, so a count never disagrees with the rows it counts
there, and again once it commits: two processes publishing at once each count without seeing
the other's uncommitted rows, and the later write would otherwise keep a stale count.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, transaction
from django.db.models import Count, Max, Min, Q
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from blog.models import ArticlePage, ArticleTopic, LiveArticleCount, PublicArticle, Topic, TopicCount

# A page save that touches none of these cannot change what is counted (drafts, revisions).
_COUNTED_FIELDS = frozenset({"live", "expired", "expire_at", "go_live_at", "path", "url_path", "depth"})


def _again_after_commit(recount) -> None:
    # Inside a transaction, count again from a snapshot that includes every commit so far.
    # The recount itself schedules nothing: tests run callbacks inside their transaction,
    # and a recount that scheduled another would never end.
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(recount, robust=True)


def refresh(topic_ids: Iterable[int] | None = None, *, after_commit: bool = True) -> None:
    """Recount live articles for ``topic_ids`` (every topic when None), in two queries, and
    again once the transaction commits (``after_commit``)."""
    from blog import selectors  # selectors import the models this module's callers save

    now = timezone.now()
    if topic_ids is None:
        wanted = list(Topic.objects.values_list("pk", flat=True))
    else:
        wanted = sorted({pk for pk in topic_ids if pk})
    if not wanted:
        return
    if after_commit:
        ids = wanted if topic_ids is not None else None
        _again_after_commit(lambda: refresh(ids, after_commit=False))
    visible = Q(content_object__expire_at__isnull=True) | Q(content_object__expire_at__gt=now)
    visible &= Q(content_object__go_live_at__isnull=True) | Q(content_object__go_live_at__lte=now)
    # Live flag and no view restriction: what only a save or a signal can change.
    published = ArticlePage.objects.live().filter(selectors.not_view_restricted()).values("pk")
    rows = (
        ArticleTopic.objects.filter(tag_id__in=wanted, content_object__in=published)
        .order_by()
        .values("tag_id")
        .annotate(
            n=Count("content_object_id", filter=visible, distinct=True),
            next_expiry=Min(
                "content_object__expire_at", filter=visible & Q(content_object__expire_at__isnull=False)
            ),
            next_go_live=Min("content_object__go_live_at", filter=Q(content_object__go_live_at__gt=now)),
        )
    )
    found = {row["tag_id"]: row for row in rows}
    counts = []
    for pk in wanted:
        row = found.get(pk, {})
        moments = [m for m in (row.get("next_expiry"), row.get("next_go_live")) if m is not None]
        counts.append(
            TopicCount(
                topic_id=pk,
                live_articles=row.get("n", 0),
                valid_until=min(moments) if moments else None,
                refreshed_at=now,
            )
        )
    TopicCount.objects.bulk_create(
        counts,
        update_conflicts=True,
        unique_fields=["topic"],
        update_fields=["live_articles", "valid_until", "refreshed_at"],
    )


def refresh_total(*, after_commit: bool = True) -> None:
    """Recount every live article (the unfiltered list's total) and bring ``PublicArticle``
    (what the public search index follows) up to date, writing only the rows that changed,
    and again once the transaction commits (``after_commit``)."""
    from blog import selectors

    if after_commit:
        _again_after_commit(lambda: refresh_total(after_commit=False))
    now = timezone.now()
    not_expired = Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    visible = not_expired & (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
    published = ArticlePage.objects.live().filter(selectors.not_view_restricted())
    with transaction.atomic():
        row = published.aggregate(
            n=Count("pk", filter=visible),
            next_expiry=Min("expire_at", filter=visible & Q(expire_at__isnull=False)),
            next_go_live=Min("go_live_at", filter=Q(go_live_at__gt=now)),
            last_go_live=Max("go_live_at", filter=not_expired & Q(go_live_at__gt=now)),
            first_expiry=Min("expire_at", filter=Q(expire_at__gt=now)),
        )
        _sync_public(set(published.filter(not_expired).values_list("pk", flat=True)))
        moments = [m for m in (row["next_expiry"], row["next_go_live"]) if m is not None]
        LiveArticleCount.objects.update_or_create(
            pk=1,
            defaults={
                "live_articles": row["n"],
                "valid_until": min(moments) if moments else None,
                # Published, not expired articles are PublicArticle rows; those scheduled
                # past now are not visible yet, and the first expiry ends "all visible".
                "public_exact_from": row["last_go_live"],
                "public_exact_until": row["first_expiry"],
                "refreshed_at": now,
            },
        )


def _sync_public(wanted: set[int]) -> None:
    """Make ``PublicArticle`` hold exactly ``wanted``: only the difference is written, so a
    publish costs one row (and the search index re-reads one article's text)."""
    stored = set(PublicArticle.objects.values_list("pk", flat=True))
    if stored - wanted:
        PublicArticle.objects.filter(pk__in=stored - wanted).delete()
    if wanted - stored:
        PublicArticle.objects.bulk_create(
            [PublicArticle(article_id=pk) for pk in sorted(wanted - stored)],
            batch_size=500,
            # Two processes publishing at once may both add a row; either one is right.
            ignore_conflicts=True,
        )


def refresh_all() -> None:
    refresh()
    refresh_total()


def refresh_for_article(article_id: int | None) -> None:
    if article_id:
        refresh(ArticleTopic.objects.filter(content_object_id=article_id).values_list("tag_id", flat=True))
        refresh_total()


# --- signal receivers ---------------------------------------------------------------------


def _article_saved(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or (update_fields is not None and not _COUNTED_FIELDS & set(update_fields)):
        return
    refresh_for_article(instance.pk)


def _article_published(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        refresh_for_article(instance.pk)


def _topic_row_saved(sender, instance, created=False, raw=False, **kwargs):
    # Existing rows are re-saved with their page (modelcluster); only a new pairing counts.
    if created and not raw:
        refresh([instance.tag_id])


def _topic_row_deleted(sender, instance, **kwargs):
    refresh([instance.tag_id])


def _everything(sender=None, **kwargs):
    refresh_all()


def _article_deleted(sender, instance, **kwargs):
    # Its topic rows went first (each refreshed its topic); the total is left.
    refresh_total()


def _after_migrate(sender, app_config=None, using="default", **kwargs):
    # After a partial migrate (``migrate blog 0004``) the table may not exist yet.
    if app_config is None or app_config.label != "blog":
        return
    tables = connections[using].introspection.table_names()
    stored = {model._meta.db_table for model in (TopicCount, LiveArticleCount, PublicArticle)}
    if stored <= set(tables):
        refresh_all()


def connect() -> None:
    """Connect the receivers (called once from the app config)."""
    post_save.connect(_article_saved, sender=ArticlePage, dispatch_uid="blog.counts.article_saved")
    page_published.connect(_article_published, dispatch_uid="blog.counts.published")
    page_unpublished.connect(_article_published, dispatch_uid="blog.counts.unpublished")
    post_delete.connect(_article_deleted, sender=ArticlePage, dispatch_uid="blog.counts.article_deleted")
    post_save.connect(_topic_row_saved, sender=ArticleTopic, dispatch_uid="blog.counts.topic_row_saved")
    post_delete.connect(_topic_row_deleted, sender=ArticleTopic, dispatch_uid="blog.counts.topic_row_deleted")
    post_save.connect(_everything, sender=PageViewRestriction, dispatch_uid="blog.counts.restriction_saved")
    post_delete.connect(
        _everything, sender=PageViewRestriction, dispatch_uid="blog.counts.restriction_deleted"
    )
    post_page_move.connect(_everything, dispatch_uid="blog.counts.moved")
    post_migrate.connect(_after_migrate, dispatch_uid="blog.counts.migrated")
