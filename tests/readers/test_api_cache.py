"""Moderation refreshes the response cache's copy of the article (its ``comment_count``)."""

import pytest

from readers.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_cache(response_cache):
    return response_cache


def test_approving_a_comment_refreshes_the_cached_article_detail(
    client, api_cache, article, make_comment, django_capture_on_commit_callbacks
):
    url = f"/api/v1/articles/{article.slug}/"
    comment = make_comment(status=Comment.Status.PENDING)
    assert client.get(url).json()["comment_count"] == 0
    assert client.get(url)["X-Cache"] == "HIT"

    with django_capture_on_commit_callbacks(execute=True):
        comment.set_status(Comment.Status.APPROVED, user=None)
    assert client.get(url).json()["comment_count"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        comment.set_status(Comment.Status.SPAM, user=None)
    assert client.get(url).json()["comment_count"] == 0


def test_a_new_pending_comment_leaves_the_cached_article_alone(
    client, api_cache, article, make_comment, django_capture_on_commit_callbacks
):
    url = f"/api/v1/articles/{article.slug}/"
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        make_comment(status=Comment.Status.PENDING)
    assert client.get(url)["X-Cache"] == "HIT"
