"""Pages outside their schedule are not served, even before the scheduling job has run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_an_expired_article_still_marked_live_is_not_served(client, make_article, practice):
    article = make_article("Grief at the holidays")
    ArticlePage.objects.filter(pk=article.pk).update(expire_at=timezone.now() - timedelta(seconds=1))

    response = client.get("/blog/grief-at-the-holidays/")

    assert response.status_code == 404
    assert b"Grief at the holidays" not in response.content


def test_an_article_whose_go_live_date_is_ahead_is_not_served(client, make_article, practice):
    article = make_article("Sleep and worry")
    ArticlePage.objects.filter(pk=article.pk).update(go_live_at=timezone.now() + timedelta(hours=1))

    response = client.get("/blog/sleep-and-worry/")

    assert response.status_code == 404
    assert b"Sleep and worry" not in response.content


def test_an_article_inside_its_schedule_is_served(client, make_article, practice):
    article = make_article("Burnout recovery")
    ArticlePage.objects.filter(pk=article.pk).update(
        go_live_at=timezone.now() - timedelta(hours=1), expire_at=timezone.now() + timedelta(hours=1)
    )

    response = client.get("/blog/burnout-recovery/")

    assert response.status_code == 200
    assert b"Burnout recovery" in response.content
