"""Writes of readers' data: one logic for the API views and the HTML forms.

Order of checks for every submission, the same on both paths:

1. comments only: the article must accept comments (``CommentsClosed``, nothing stored);
2. the per-client throttle (``Throttled``): every attempt counts, valid or not;
3. bot checks: a filled honeypot, and for the HTML form a missing, forged or too recent
   fill-time token. A bot gets the same answer a person gets (``Submission`` with
   ``stored=False``) and **nothing is stored at all**: not even as spam, because a bot's
   payload may carry someone else's personal data and staff gain nothing from reading it;
4. validation by the shared form (``SubmissionInvalid`` with field messages, nothing stored);
5. the row is saved, and staff are emailed after the transaction commits.

Nothing personal is logged on any path: log lines carry ids, kinds and reasons only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from blog.models import ArticlePage
from readers import notifications, spam, throttle
from readers.forms import CommentForm, ConsultationRequestForm, ReaderForm
from readers.models import Comment, ConsultationRequest

logger = logging.getLogger(__name__)

Channel = Literal["api", "html"]


class SubmissionError(Exception):
    """Base class of the ways a submission can be refused."""


class CommentsClosed(SubmissionError):
    """The article does not accept comments."""


class Throttled(SubmissionError):
    def __init__(self, retry_after: int):
        super().__init__(f"Too many submissions; retry after {retry_after}s.")
        self.retry_after = retry_after


class SubmissionInvalid(SubmissionError):
    """Validation failed; ``form`` carries the field messages (and the data, for re-rendering)."""

    def __init__(self, form: ReaderForm):
        super().__init__("Invalid submission.")
        self.form = form

    @property
    def errors(self) -> dict[str, list[str]]:
        return self.form.field_errors()


@dataclass(frozen=True)
class Submission:
    """The outcome a client sees as success. ``stored`` is False for discarded bot posts."""

    stored: bool
    instance: Comment | ConsultationRequest | None = None


def _bot_reason(data: Mapping[str, Any], *, form_name: str, channel: Channel, form: ReaderForm) -> str | None:
    """Why this looks automated, or None. An expired token is a person, not a bot."""
    if spam.honeypot_filled(data):
        return "honeypot"
    if channel == "html":
        check = spam.check_started_token(form_name, data.get(spam.STARTED_FIELD))
        if check is spam.FillCheck.EXPIRED:
            form.is_valid()  # keep the other fields' messages alongside this one
            form.add_error(
                None,
                ValidationError(
                    "This form was open for a long time. Please check it and send it again.", code="expired"
                ),
            )
            raise SubmissionInvalid(form)
        if check is not spam.FillCheck.OK:
            return f"fill-time:{check.value}"
    return None


def submit_comment(
    *, article: ArticlePage, data: Mapping[str, Any], client: str, channel: Channel
) -> Submission:
    """Submit a reader's comment (or reply) on ``article``; stored ``pending`` when valid.

    ``data``: the JSON object (API) or ``request.POST`` (HTML form). ``client``: the
    throttle key from ``readers.throttle.client_key``. Raises ``CommentsClosed``,
    ``Throttled`` or ``SubmissionInvalid``.
    """
    if not article.comments_enabled:
        raise CommentsClosed()
    result = throttle.hit("comment", client)
    if not result.allowed:
        logger.info("Comment throttled (article %s, %s).", article.pk, channel)
        raise Throttled(result.retry_after)

    form = CommentForm(data, article=article, html=channel == "html")
    reason = _bot_reason(data, form_name="comment", channel=channel, form=form)
    if reason is not None:
        logger.info("Comment discarded as automated (article %s, %s, %s).", article.pk, channel, reason)
        return Submission(stored=False)
    if not form.is_valid():
        logger.info("Comment rejected as invalid (article %s, fields %s).", article.pk, sorted(form.errors))
        raise SubmissionInvalid(form)

    cleaned = form.cleaned_data
    with transaction.atomic():
        comment = Comment.objects.create(
            article=article,
            parent=cleaned.get("parent"),
            name=cleaned["name"],
            email=cleaned["email"],
            website=cleaned.get("website") or "",
            body=cleaned["body"],
            status=Comment.Status.PENDING,
        )
        transaction.on_commit(lambda: notifications.notify_new_comment(comment))
    logger.info("Comment %s stored as pending (article %s, %s).", comment.pk, article.pk, channel)
    return Submission(stored=True, instance=comment)


def submit_consultation_request(*, data: Mapping[str, Any], client: str, channel: Channel) -> Submission:
    """Submit a request for a free consultation; staff are emailed (without the message).

    Raises ``Throttled`` or ``SubmissionInvalid``.
    """
    result = throttle.hit("consultation", client)
    if not result.allowed:
        logger.info("Consultation request throttled (%s).", channel)
        raise Throttled(result.retry_after)

    form = ConsultationRequestForm(data, html=channel == "html")
    reason = _bot_reason(data, form_name="consultation", channel=channel, form=form)
    if reason is not None:
        logger.info("Consultation request discarded as automated (%s, %s).", channel, reason)
        return Submission(stored=False)
    if not form.is_valid():
        logger.info("Consultation request rejected as invalid (fields %s).", sorted(form.errors))
        raise SubmissionInvalid(form)

    cleaned = form.cleaned_data
    with transaction.atomic():
        request_obj = ConsultationRequest.objects.create(
            name=cleaned["name"],
            email=cleaned["email"],
            phone=cleaned.get("phone") or "",
            preferred_contact=cleaned["preferred_contact"],
            location=cleaned.get("location"),
            message=cleaned.get("message") or "",
            consent=True,
        )
        transaction.on_commit(lambda: notifications.notify_new_consultation_request(request_obj))
    logger.info("Consultation request %s stored (%s).", request_obj.pk, channel)
    return Submission(stored=True, instance=request_obj)


def reply_as_practice(*, parent: Comment, body: str, user, author_name: str) -> Comment:
    """An approved reply from the practice under ``parent``, written in the admin.

    The caller writes the audit log entries (it knows the request context).
    """
    return Comment.objects.create(
        article_id=parent.article_id,
        parent=parent,
        name=author_name,
        email="",
        body=body,
        status=Comment.Status.APPROVED,
        is_staff_reply=True,
        moderated_at=timezone.now(),
        moderated_by=user,
    )
