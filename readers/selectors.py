"""Reads of readers' data for the rendered pages and the API. Only approved comments of live,
public articles ever leave here; emails are never selected."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from blog import selectors as blog_selectors
from blog.models import ArticlePage
from readers.models import Comment

# Columns a public comment needs: no email, nothing about moderation.
PUBLIC_COMMENT_FIELDS = ("pk", "parent_id", "name", "website", "body", "created_at", "is_staff_reply")


@dataclass
class PublicComment:
    """An approved comment as the public sees it, with its approved replies nested."""

    id: int
    parent_id: int | None
    name: str
    website: str
    body: str
    created_at: datetime
    is_staff_reply: bool
    replies: list[PublicComment] = field(default_factory=list)


def live_article_by_slug(slug: str) -> ArticlePage | None:
    """The live, public article with this slug, or None."""
    return blog_selectors.live_articles().filter(slug=slug).only("pk", "comments_enabled", "title").first()


def live_article_by_id(article_id: int) -> ArticlePage | None:
    """The live, public article with this id (for the HTML comment form), or None."""
    return blog_selectors.live_articles().filter(pk=article_id).first()


def approved_comment_tree(article_id: int) -> list[PublicComment]:
    """Approved comments of one article, oldest first, replies nested under their parent.

    One query. A reply whose parent is not approved (rejected after the reply was approved)
    is not shown, so nothing appears out of context.
    """
    rows = (
        Comment.objects.approved()
        .filter(article_id=article_id)
        .order_by("created_at", "pk")
        .values_list(*PUBLIC_COMMENT_FIELDS)
    )
    nodes = {row[0]: PublicComment(*row) for row in rows}
    roots: list[PublicComment] = []
    for node in nodes.values():
        if node.parent_id is None:
            roots.append(node)
        elif node.parent_id in nodes:
            nodes[node.parent_id].replies.append(node)
    return roots


def count_tree(comments: list[PublicComment]) -> int:
    return sum(1 + count_tree(c.replies) for c in comments)


def comment_count(article: ArticlePage) -> int:
    """How many comments the public sees on an article; none before it is saved."""
    return visible_comment_count(article.pk) if article.pk else 0


def visible_comment_count(article_id: int) -> int:
    """How many comments the public sees on an article (approved, in context). One query."""
    # Counted, not shown: no order to keep.
    rows = list(
        Comment.objects.approved().filter(article_id=article_id).order_by().values_list("pk", "parent_id")
    )
    parents = dict(rows)
    visible: dict[int, bool] = {}

    def is_visible(pk: int) -> bool:
        if pk not in visible:
            parent = parents[pk]
            visible[pk] = parent is None or (parent in parents and is_visible(parent))
        return visible[pk]

    return sum(1 for pk in parents if is_visible(pk))
