"""Retention of readers' personal data (see ``manage.py purge_personal_data``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from readers.models import Comment, ConsultationRequest


@dataclass(frozen=True)
class PurgeCounts:
    comment_emails_cleared: int
    rejected_comments_deleted: int
    consultation_requests_deleted: int


def purge_personal_data(
    *,
    comment_email_before: datetime,
    rejected_comment_before: datetime,
    consultation_before: datetime,
    dry_run: bool = False,
) -> PurgeCounts:
    """Remove what is past its time; with ``dry_run`` only count it.

    Rejected and spam comments are deleted first, so they are not counted twice.
    """
    # A rejected comment that has replies stays (anonymised below): deleting it would take
    # replies that are not past their time with it.
    rejected = Comment.objects.filter(
        status__in=[Comment.Status.REJECTED, Comment.Status.SPAM],
        created_at__lt=rejected_comment_before,
        replies__isnull=True,
    )
    consultations = ConsultationRequest.objects.filter(created_at__lt=consultation_before)
    if dry_run:
        rejected_count = rejected.count()
        emails = _with_personal_data(comment_email_before).exclude(pk__in=rejected.values("pk")).count()
        return PurgeCounts(emails, rejected_count, consultations.count())

    rejected_count = Comment.objects.filter(pk__in=list(rejected.values_list("pk", flat=True))).delete()[0]
    emails = _with_personal_data(comment_email_before).update(
        email="", website="", personal_data_removed_at=timezone.now()
    )
    consultation_count, _ = consultations.delete()
    return PurgeCounts(emails, rejected_count, consultation_count)


def _with_personal_data(before: datetime):
    return Comment.objects.filter(created_at__lt=before).filter(~Q(email="") | ~Q(website=""))
