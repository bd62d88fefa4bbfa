"""Retention of readers' personal data (see ``manage.py purge_personal_data``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log

from readers.models import Comment, ConsultationRequest


@dataclass(frozen=True)
class PurgeCounts:
    comment_emails_cleared: int
    rejected_comments_deleted: int
    consultation_requests_deleted: int
    pending_comments_deleted: int = 0


def purge_personal_data(
    *,
    comment_email_before: datetime,
    rejected_comment_before: datetime,
    consultation_before: datetime,
    pending_comment_before: datetime | None = None,
    dry_run: bool = False,
) -> PurgeCounts:
    """Remove what is past its time; with ``dry_run`` only count it.

    Comments nobody moderated by ``pending_comment_before`` are deleted (a name and text kept
    forever otherwise); they cannot have replies (only approved comments can). Rejected, spam
    and pending comments are deleted first, so they are not counted twice.
    """
    pending = Comment.objects.none()
    if pending_comment_before is not None:
        pending = Comment.objects.filter(
            status=Comment.Status.PENDING, created_at__lt=pending_comment_before, replies__isnull=True
        )
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
        pending_count = pending.count()
        emails = (
            _with_personal_data(comment_email_before)
            .exclude(pk__in=rejected.values("pk"))
            .exclude(pk__in=pending.values("pk"))
            .count()
        )
        return PurgeCounts(emails, rejected_count, consultations.count(), pending_count)

    # The audit log records what retention removed (labels carry no personal data).
    doomed_comments = list(rejected)
    for comment in doomed_comments:
        log(comment, "wagtail.delete", deleted=True, data={"reason": "retention"})
    rejected_count = Comment.objects.filter(pk__in=[c.pk for c in doomed_comments]).delete()[0]
    doomed_pending = list(pending)
    for comment in doomed_pending:
        log(comment, "wagtail.delete", deleted=True, data={"reason": "retention"})
    pending_count = Comment.objects.filter(pk__in=[c.pk for c in doomed_pending]).delete()[0]
    anonymise = list(_with_personal_data(comment_email_before).only("pk"))
    for comment in anonymise:
        log(comment, "readers.personal_data_removed", data={"reason": "retention"})
    emails = Comment.objects.filter(pk__in=[c.pk for c in anonymise]).update(
        email="", website="", personal_data_removed_at=timezone.now()
    )
    doomed_requests = list(consultations)
    for request_obj in doomed_requests:
        log(request_obj, "wagtail.delete", deleted=True, data={"reason": "retention"})
    consultation_count, _ = ConsultationRequest.objects.filter(
        pk__in=[r.pk for r in doomed_requests]
    ).delete()
    return PurgeCounts(emails, rejected_count, consultation_count, pending_count)


def _with_personal_data(before: datetime):
    return Comment.objects.filter(created_at__lt=before).filter(~Q(email="") | ~Q(website=""))
