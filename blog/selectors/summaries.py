"""What an API ArticleSummary shows beyond the article's own row, loaded for a page of rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from blog.models import ArticlePage, ArticleTopic, Topic
from blog.selectors.images import images_by_id, stored_renditions
from blog.selectors.taxonomy import attach_live_counts, counted_now


def _attach_topics(articles: list[ArticlePage]) -> None:
    """``api_topics`` on each stored article: its topics (in the order they were added) with
    ``article_count``, in one query while their stored counts are current (one more to count
    the others live, ``counted_now``)."""
    if not articles:
        return
    rows = (
        ArticleTopic.objects.filter(content_object_id__in=[a.pk for a in articles])
        .order_by("pk")
        .values_list(
            "content_object_id",
            "tag_id",
            "tag__name",
            "tag__slug",
            "tag__counted_articles",
            "tag__counted_until",
        )
    )
    now = timezone.now()
    topics: dict[int, Topic] = {}
    stale: list[Topic] = []
    by_article: dict[int, list[Topic]] = {a.pk: [] for a in articles}
    for article_id, tag_id, name, slug, counted, counted_until in rows:
        topic = topics.get(tag_id)
        if topic is None:
            topic = topics[tag_id] = Topic(pk=tag_id, name=name, slug=slug)
            if counted_until is not None and counted_until > now:
                topic.article_count = counted
            else:
                stale.append(topic)
        by_article[article_id].append(topic)
    if stale:
        counts = counted_now((t.pk for t in stale), now)
        for topic in stale:
            topic.article_count = counts.get(topic.pk, 0)
    for article in articles:
        article.api_topics = by_article[article.pk]


def prepare_article_summaries(
    articles: Iterable[ArticlePage],
    *,
    drafts: Iterable[ArticlePage] = (),
    extra_image_ids: Iterable[int | None] = (),
    extra_images: Iterable[Any] = (),
) -> dict[str, Any]:
    """Load topics (with live counts) and images for fetched articles, in at most four
    queries whatever their number: topics, live counts when stored ones are stale, the images
    not yet in memory, their renditions.

    Sets ``api_topics`` (topics, each with ``article_count``) on every article, attaches hero
    images and author photos, and returns a representation ``context`` whose ``images`` also
    holds ``extra_image_ids`` and the loaded ``extra_images`` (body images, social images,
    reviewer photos), and whose ``renditions`` are all their ``stored_renditions``.
    ``drafts`` (previews, among ``articles``) keep their own in-memory topics.
    """
    articles = list(articles)
    draft_ids = {id(a) for a in drafts}
    drafts = [a for a in articles if id(a) in draft_ids]
    stored = [a for a in articles if id(a) not in draft_ids]
    _attach_topics(stored)
    for article in drafts:
        article.api_topics = list(article.topics.all())
    attach_live_counts([t for a in drafts for t in a.api_topics])

    people = [a.author for a in articles if a.author_id and a.author is not None]
    # Images already in memory (loaded by a body's choosers) are not loaded again; the
    # renditions of all are read as values.
    in_memory = [img for img in extra_images if img is not None and img.pk]
    known = {img.pk for img in in_memory}
    wanted = [a.hero_image_id for a in articles] + [p.photo_id for p in people] + list(extra_image_ids)
    images = images_by_id((pk for pk in wanted if pk not in known), renditions=False)
    for img in in_memory:
        images.setdefault(img.pk, img)
    for article in articles:
        if article.hero_image_id in images:
            article.hero_image = images[article.hero_image_id]
    for person in people:
        if person.photo_id in images:
            person.photo = images[person.photo_id]
    return {"images": images, "renditions": stored_renditions(images.values())}
