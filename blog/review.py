"""Clinical review: its state per article, the one representation the API and the JSON-LD
share, and the queries behind the "Reviews due" report, the clinicians' digest and cache
lifetimes.

An article's review is ``current`` until ``next_review_due`` (the last review plus the
practice's ``review_interval_months``), ``due`` from that day on, and ``never`` without a
recorded review. A review falling due changes nothing else: the article keeps serving and its
dates stay those of the last real review.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowTask

from blog import representations, visibility
from blog.models import ArticlePage, Author, BlogIndexPage, ClinicalReviewTask, PracticeSettings
from blog.models.review import CLINICIANS_GROUP, TASK_NAME, WORKFLOW_NAME

STATUS_CURRENT = "current"
STATUS_DUE = "due"
STATUS_NEVER = "never"
STATUSES = (STATUS_CURRENT, STATUS_DUE, STATUS_NEVER)


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months, clamped to the month's last day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def due_threshold(today: date, interval_months: int) -> date:
    """The latest review date whose next review is due on or before ``today``: a review is
    due exactly when ``last_reviewed <= due_threshold(today, n)`` (a filter a database runs)."""
    threshold = add_months(today, -interval_months)
    # Clamping makes several review dates share a due date at month ends: step past them.
    while add_months(threshold + timedelta(days=1), interval_months) <= today:
        threshold += timedelta(days=1)
    return threshold


@dataclass(frozen=True)
class Review:
    """The clinical review of one article, as of one day."""

    reviewer: Author | None
    reviewed_at: date | None
    next_review_due: date | None
    status: str


def review_of(article: ArticlePage, *, interval_months: int, today: date | None = None) -> Review:
    """The review state of ``article`` on ``today`` (the local date by default)."""
    today = today or timezone.localdate()
    reviewer = article.reviewer if article.reviewer_id else None
    if article.last_reviewed is None:
        return Review(reviewer, None, None, STATUS_NEVER)
    due = add_months(article.last_reviewed, interval_months)
    return Review(reviewer, article.last_reviewed, due, STATUS_DUE if due <= today else STATUS_CURRENT)


def review_representation(state: Review, context: dict | None = None) -> dict:
    """The API's ``review`` object, from ``review_of``::

    {"reviewer": {AuthorSummary} | null, "reviewed_at": "2026-10-01" | null,
     "next_review_due": "2027-10-01" | null, "status": "current" | "due" | "never"}

    The JSON-LD's ``reviewedBy`` and ``lastReviewed`` (``blog.seo``) come from the same
    ``review_of``.
    """
    return {
        "reviewer": representations.author_summary(state.reviewer, context),
        "reviewed_at": representations.isoformat(state.reviewed_at),
        "next_review_due": representations.isoformat(state.next_review_due),
        "status": state.status,
    }


def interval_months(practice: PracticeSettings | None = None) -> int:
    return (practice or PracticeSettings.load()).review_interval_months


# ----------------------------------------------------------------------------- selectors


def due_by(day: date, months: int) -> Q:
    """Articles whose review is due on ``day`` (or was never recorded)."""
    return Q(last_reviewed__isnull=True) | Q(last_reviewed__lte=due_threshold(day, months))


def live_reviewed_articles() -> QuerySet[ArticlePage]:
    """Live articles with author and reviewer joined, the oldest review first (never
    reviewed before all)."""
    return (
        ArticlePage.objects.live()
        .select_related("author", "reviewer")
        .order_by(F("last_reviewed").asc(nulls_first=True), "title")
    )


def reviews_due(*, today: date | None = None, months: int | None = None) -> QuerySet[ArticlePage]:
    """Live articles whose review is due or was never recorded, the oldest review first."""
    today = today or timezone.localdate()
    return live_reviewed_articles().filter(due_by(today, months or interval_months()))


def reviews_falling_due(
    *, today: date | None = None, within_days: int, months: int | None = None
) -> QuerySet[ArticlePage]:
    """Live articles still current today whose review falls due within ``within_days``."""
    today = today or timezone.localdate()
    months = months or interval_months()
    return (
        ArticlePage.objects.live()
        .filter(
            last_reviewed__gt=due_threshold(today, months),
            last_reviewed__lte=due_threshold(today + timedelta(days=within_days), months),
        )
        .select_related("author", "reviewer")
        .order_by("last_reviewed", "title")
    )


@visibility.register_change_source
def next_review_falling_due(at: datetime, *, months: int | None = None) -> datetime | None:
    """The first instant after ``at`` at which a published article's review turns from
    ``current`` to ``due`` (local midnight of its due date), or None when no current review is
    left.

    Public output (the API's ``review.status``) changes then by time alone: it is one of the
    sources of ``visibility.next_public_change``, which bounds how long caches keep responses.
    """
    months = months or interval_months()
    today = timezone.localdate(at)
    oldest_current = (
        ArticlePage.objects.published()
        .filter(last_reviewed__gt=due_threshold(today, months))
        .order_by("last_reviewed")
        .values_list("last_reviewed", flat=True)
        .first()
    )
    if oldest_current is None:
        return None
    due = add_months(oldest_current, months)
    return timezone.make_aware(datetime.combine(due, time.min), timezone.get_current_timezone())


def clinicians() -> QuerySet:
    """Active users in the Clinicians group who have an email address."""
    return (
        get_user_model()
        .objects.filter(groups__name=CLINICIANS_GROUP, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


# ----------------------------------------------------------------------------- set-up


@transaction.atomic
def ensure_clinical_review(blog_index: Page | None = None) -> Workflow:
    """The Clinicians group, the "Clinical review" task and workflow, assigned to the blog
    index (the first one when ``blog_index`` is None). Idempotent; the migration does the same
    on an existing database, this covers a blog index created later (demo, admin)."""
    group, _ = Group.objects.get_or_create(name=CLINICIANS_GROUP)
    access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    group.permissions.add(*access)
    task = ClinicalReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = ClinicalReviewTask.objects.create(name=TASK_NAME)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    blog_index = blog_index or BlogIndexPage.objects.first()
    if blog_index is not None and not WorkflowPage.objects.filter(page=blog_index).exists():
        WorkflowPage.objects.create(page=blog_index, workflow=workflow)
    return workflow
