"""Emails to staff about new submissions. They say that something arrived and where to look
in the admin; they never carry the sender's name, email, phone or message, because email is
copied to servers and phones we do not control."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse

from readers.models import Comment, ConsultationRequest

logger = logging.getLogger(__name__)


def _admin_url(url_name: str, pk: int) -> str:
    try:
        path = reverse(url_name, args=[pk])
    except NoReverseMatch:
        path = reverse("wagtailadmin_home")
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def _send(subject: str, body: str, *, kind: str) -> None:
    recipients = settings.STAFF_NOTIFICATION_EMAILS
    if not recipients:
        return
    try:
        send_mail(subject, body, None, recipients)
    except Exception as exc:
        # The submission is stored whatever happens to the email; say only what failed.
        logger.error("Could not send the %s notification email (%s).", kind, type(exc).__name__)


def notify_new_comment(comment: Comment) -> None:
    """Tell staff a comment awaits moderation (article title and admin link only)."""
    _send(
        f"New comment awaiting moderation on “{comment.article.title}”",
        "A reader left a comment that is waiting for moderation.\n\n"
        f"Review it in the admin: {_admin_url('wagtailsnippets_readers_comment:edit', comment.pk)}\n",
        kind="comment",
    )


def notify_new_consultation_request(request_obj: ConsultationRequest) -> None:
    """Tell staff a consultation request arrived (no personal data, no message text)."""
    location = request_obj.location.name if request_obj.location_id else "not given"
    _send(
        "New consultation request",
        "Someone asked for a free consultation.\n\n"
        f"Preferred contact: {request_obj.get_preferred_contact_display()}\n"
        f"Location: {location}\n\n"
        "Their details are in the admin (Readers › Consultation requests): "
        f"{_admin_url('wagtailsnippets_readers_consultationrequest:inspect', request_obj.pk)}\n",
        kind="consultation request",
    )
