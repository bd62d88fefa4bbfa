"""A person asks what the practice stores about them, for a copy, or for it to be deleted
(California's CCPA/CPRA "right to know" and "right to delete"; docs/privacy.md).

Everything readers send is keyed by the email address they gave: comments and consultation
requests. ``find`` collects both for one address (trimmed, case-insensitive), ``export`` gives
every stored field of them as JSON, ``delete`` removes them in one transaction.

A deleted comment that other people replied to is not deleted but anonymised (name, text,
email and website replaced, see ``ANONYMISED_NAME``): deleting it would delete their replies
with it (replies hang under their parent), and detaching the replies would make them answers
to nothing. Replies the same person wrote go first, so their own thread leaves nothing behind.

The audit log never receives the address: entries carry ``email_hmac``, an HMAC-SHA256 of the
normalised address keyed with ``SECRET_KEY``, so a later request for the same address can be
matched to earlier ones by anyone who is given the address, and by nobody who is not.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from blog.representations import isoformat
from readers.models import Comment, ConsultationRequest

ANONYMISED_NAME = "Removed"
ANONYMISED_BODY = "This comment was removed at its author's request."
REASON = "personal data request"


def normalise_email(email: str) -> str:
    """The form addresses are compared in: trimmed, lower case."""
    return email.strip().lower()


def email_hmac(email: str) -> str:
    """HMAC-SHA256 (hex) of the normalised address, keyed with ``SECRET_KEY``."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"personal-data:{normalise_email(email)}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class StoredData:
    """What is stored about one address: comments oldest first, consultation requests newest first."""

    email: str
    comments: list[Comment]
    consultation_requests: list[ConsultationRequest]

    @property
    def is_empty(self) -> bool:
        return not self.comments and not self.consultation_requests

    def counts(self) -> dict[str, int]:
        return {"comments": len(self.comments), "consultation_requests": len(self.consultation_requests)}


@dataclass(frozen=True)
class DeletionCounts:
    comments_deleted: int
    comments_anonymised: int
    consultation_requests_deleted: int


def find(*, email: str) -> StoredData:
    """Every comment and consultation request sent with ``email`` (any case, any surrounding
    spaces). Comments whose address retention already cleared cannot be found by it."""
    address = normalise_email(email)
    comments = list(
        Comment.objects.filter(email__iexact=address).select_related("article").order_by("created_at", "pk")
    )
    requests = list(
        ConsultationRequest.objects.filter(email__iexact=address)
        .select_related("location")
        .order_by("-created_at", "-pk")
    )
    return StoredData(email=address, comments=comments, consultation_requests=requests)


def export(data: StoredData) -> dict:
    """Every stored field of the person's data, as JSON-ready values. Not included: which staff
    member moderated or handled an item (data about staff, not about the person)."""
    return {
        "email": data.email,
        "exported_at": isoformat(timezone.now()),
        "comments": [
            {
                "id": comment.pk,
                "article": {"id": comment.article_id, "title": comment.article.title},
                "parent_id": comment.parent_id,
                "name": comment.name,
                "email": comment.email,
                "website": comment.website,
                "body": comment.body,
                "status": comment.status,
                "created_at": isoformat(comment.created_at),
                "moderated_at": isoformat(comment.moderated_at),
            }
            for comment in data.comments
        ],
        "consultation_requests": [
            {
                "id": request_obj.pk,
                "name": request_obj.name,
                "email": request_obj.email,
                "phone": request_obj.phone,
                "preferred_contact": request_obj.preferred_contact,
                "location": request_obj.location_name or None,
                "message": request_obj.message,
                "consent": request_obj.consent,
                "status": request_obj.status,
                "created_at": isoformat(request_obj.created_at),
                "handled_at": isoformat(request_obj.handled_at),
            }
            for request_obj in data.consultation_requests
        ],
    }


def log_request(action: str, *, data: StoredData, user, extra: dict | None = None) -> None:
    """One audit entry for a find, export or deletion, on the staff member who did it (the
    person has no record of their own): the address' HMAC and the counts, never the address."""
    # The entry's object is the staff member's own row, loaded again: ``request.user`` may be
    # a lazy object wrapping another (django-otp wraps Django's), and Wagtail's log registry
    # unwraps one level only, so it would find no log model and silently record nothing.
    staff = get_user_model().objects.get(pk=user.pk)
    log(
        staff,
        action,
        user=staff,
        data={"email_hmac": email_hmac(data.email), **data.counts(), **(extra or {})},
    )


@transaction.atomic
def delete(data: StoredData, *, user) -> DeletionCounts:
    """Delete the person's consultation requests and comments; anonymise those of their comments
    that carry other people's replies. Each item gets its own audit entry (by number only).

    Deletions and saves go through the models, so the signals that purge public caches for a
    moderated comment (``publishing``, ``api.response_cache``) run for these too."""
    requests_deleted = 0
    for request_obj in data.consultation_requests:
        log(request_obj, "wagtail.delete", user=user, deleted=True, data={"reason": REASON})
        request_obj.delete()
        requests_deleted += 1

    remaining = {comment.pk: comment for comment in data.comments}
    deleted = 0
    # Leaves first: a comment whose replies are all the person's own becomes a leaf once they go.
    while True:
        with_replies = set(
            Comment.objects.filter(parent_id__in=remaining).values_list("parent_id", flat=True)
        )
        leaves = [comment for pk, comment in remaining.items() if pk not in with_replies]
        if not leaves:
            break
        for comment in leaves:
            pk = comment.pk  # delete() clears it
            log(comment, "wagtail.delete", user=user, deleted=True, data={"reason": REASON})
            comment.delete()
            del remaining[pk]
            deleted += 1

    for comment in remaining.values():
        comment.name = ANONYMISED_NAME
        comment.body = ANONYMISED_BODY
        comment.email = ""
        comment.website = ""
        comment.personal_data_removed_at = timezone.now()
        comment.save(update_fields=["name", "body", "email", "website", "personal_data_removed_at"])
        log(comment, "readers.comment.anonymise", user=user, data={"reason": REASON})

    counts = DeletionCounts(deleted, len(remaining), requests_deleted)
    log_request(
        "readers.personal_data.delete",
        data=data,
        user=user,
        extra={
            "comments_deleted": counts.comments_deleted,
            "comments_anonymised": counts.comments_anonymised,
            "consultation_requests_deleted": counts.consultation_requests_deleted,
        },
    )
    return counts
