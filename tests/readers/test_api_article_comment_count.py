"""``comment_count`` on the Article detail: approved comments only, never on list items."""

import pytest

from readers.models import Comment

pytestmark = pytest.mark.django_db


def test_article_detail_counts_approved_comments_and_their_approved_replies(client, article, make_comment):
    parent = make_comment("Approved")
    make_comment("Approved reply", parent=parent)
    make_comment("Pending", status=Comment.Status.PENDING)
    make_comment("Spam", status=Comment.Status.SPAM)
    rejected = make_comment("Rejected", status=Comment.Status.REJECTED)
    make_comment("Approved reply to a rejected comment: not shown, not counted", parent=rejected)

    data = client.get(f"/api/v1/articles/{article.slug}/").json()

    assert data["comments_enabled"] is True
    assert data["comment_count"] == 2
    assert client.get(f"/api/v1/articles/{article.slug}/comments/").json()["count"] == 2


def test_article_detail_of_an_article_without_comments_counts_zero(client, closed_article):
    data = client.get(f"/api/v1/articles/{closed_article.slug}/").json()
    assert (data["comments_enabled"], data["comment_count"]) == (False, 0)


def test_article_list_items_carry_no_comment_count(client, article, make_comment):
    make_comment()
    results = client.get("/api/v1/articles/").json()["results"]
    assert [r["slug"] for r in results] == [article.slug]
    assert "comment_count" not in results[0]
