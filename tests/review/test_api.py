"""The review as the public sees it: the API's ``review`` object and the JSON-LD come from one
state, and its status moves from ``current`` to ``due`` with time alone."""

import json
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from blog import review
from blog.models import PracticeSettings
from tests.api.helpers import BASE, author_json


@pytest.fixture
def today():
    return timezone.localdate()


def article_json(client, article) -> dict:
    response = client.get(f"/api/v1/articles/{article.slug}/")
    assert response.status_code == 200
    return response.json()


def blog_posting_ld(client, article) -> dict:
    html = client.get(f"/blog/{article.slug}/").content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return next(ld for ld in map(json.loads, scripts) if ld["@type"] == "BlogPosting")


def test_a_current_review_in_the_api_and_the_json_ld(client, practice, make_article, reviewer, today):
    reviewed = today - timedelta(days=30)
    article = make_article("Current", reviewer=reviewer, last_reviewed=reviewed)
    data = article_json(client, article)
    assert data["review"] == {
        "reviewer": author_json(reviewer),
        "reviewed_at": reviewed.isoformat(),
        "next_review_due": review.add_months(reviewed, 12).isoformat(),
        "status": "current",
    }
    assert (data["reviewed_by"], data["last_reviewed"]) == (author_json(reviewer), reviewed.isoformat())
    ld = blog_posting_ld(client, article)
    assert ld["lastReviewed"] == reviewed.isoformat()
    assert ld["reviewedBy"] == {
        "@type": "Person",
        "name": "Daniel Ortiz",
        "url": f"{BASE}/blog/authors/daniel-ortiz/",
        "honorificSuffix": "PsyD",
        "hasCredential": {"@type": "EducationalOccupationalCredential", "credentialCategory": "PsyD"},
        "jobTitle": "Clinical Director",
    }


def test_an_overdue_review_keeps_serving_with_its_true_dates(client, practice, make_article, reviewer, today):
    reviewed = review.add_months(today, -13)
    article = make_article("Overdue", reviewer=reviewer, last_reviewed=reviewed)
    data = article_json(client, article)
    assert data["review"] == {
        "reviewer": author_json(reviewer),
        "reviewed_at": reviewed.isoformat(),
        "next_review_due": review.add_months(reviewed, 12).isoformat(),
        "status": "due",
    }
    assert blog_posting_ld(client, article)["lastReviewed"] == reviewed.isoformat()


def test_an_article_never_reviewed(client, practice, make_article):
    article = make_article("Unreviewed")
    data = article_json(client, article)
    assert data["review"] == {
        "reviewer": None,
        "reviewed_at": None,
        "next_review_due": None,
        "status": "never",
    }
    assert data["reviewed_by"] is None and data["last_reviewed"] is None
    ld = blog_posting_ld(client, article)
    assert "reviewedBy" not in ld and "lastReviewed" not in ld


def test_the_practice_sets_the_re_review_interval(client, practice, make_article, reviewer, today):
    practice.review_interval_months = 6
    practice.save()
    reviewed = review.add_months(today, -7)
    article = make_article("Six months", reviewer=reviewer, last_reviewed=reviewed)
    assert (
        article_json(client, article)["review"]["next_review_due"]
        == review.add_months(reviewed, 6).isoformat()
    )
    assert article_json(client, article)["review"]["status"] == "due"


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2026, 10, 1), 12, date(2027, 10, 1)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_end_of_the_month(day, months, expected):
    assert review.add_months(day, months) == expected


@pytest.mark.parametrize(
    "today", [date(2027, 2, 28), date(2027, 3, 1), date(2026, 12, 31), date(2028, 2, 29)]
)
def test_the_due_threshold_is_exactly_the_reviews_due_by_today(today):
    for offset in range(-400, -300):
        reviewed = today + timedelta(days=offset)
        is_due = review.add_months(reviewed, 12) <= today
        assert (reviewed <= review.due_threshold(today, 12)) is is_due, reviewed


def test_the_next_review_falling_due_is_local_midnight_of_the_oldest_current_due_date(
    db, practice, make_article, reviewer, today
):
    make_article("Overdue", reviewer=reviewer, last_reviewed=review.add_months(today, -14))
    make_article("Oldest current", reviewer=reviewer, last_reviewed=today - timedelta(days=300))
    make_article("Newer", reviewer=reviewer, last_reviewed=today - timedelta(days=10))
    make_article("Draft", reviewer=reviewer, last_reviewed=today - timedelta(days=360), live=False)
    make_article("Never")
    at = timezone.now()
    due = review.add_months(today - timedelta(days=300), 12)
    expected = datetime(due.year, due.month, due.day, tzinfo=ZoneInfo(str(timezone.get_current_timezone())))
    assert review.next_review_falling_due(at) == expected
    # From that instant on, the next change is the newer article's.
    newer_due = review.add_months(today - timedelta(days=10), 12)
    assert review.next_review_falling_due(expected).date() == newer_due


def test_no_next_review_change_without_current_reviews(db, practice, make_article):
    make_article("Never")
    assert review.next_review_falling_due(timezone.now()) is None
    assert PracticeSettings.load().review_interval_months == 12


def test_the_openapi_schema_describes_the_review(client):
    schema = client.get("/api/v1/schema/").json()
    review_schema = schema["components"]["schemas"]["Review"]
    assert review_schema["required"] == ["next_review_due", "reviewed_at", "reviewer", "status"]
    status_ref = review_schema["properties"]["status"]["$ref"].rsplit("/", 1)[-1]
    assert schema["components"]["schemas"][status_ref]["enum"] == ["current", "due", "never"]
    due = review_schema["properties"]["next_review_due"]
    assert (due["format"], due["description"]) == (
        "date",
        "When the review falls due again (the practice's interval after it).",
    )
    assert due.get("nullable") is True or "null" in due.get("type", [])
    article = schema["components"]["schemas"]["Article"]
    assert "review" in article["required"]


def test_a_review_falling_due_bounds_the_next_public_change(db, practice, make_article, reviewer, today):
    from blog import visibility

    make_article("Current", reviewer=reviewer, last_reviewed=today - timedelta(days=300))
    at = timezone.now()
    assert visibility.next_public_change(at) == review.next_review_falling_due(at)
    assert visibility.max_age(10**9, at) <= int((review.next_review_falling_due(at) - at).total_seconds()) + 1
