"""Previewing drafts in the separate frontend.

When ``FRONTEND_PREVIEW_URL`` is set, the admin's preview (the live preview panel or a new
tab) shows the frontend's preview route in a frame, with ``content_type`` and a short-lived
signed ``token``. The frontend exchanges them at ``GET /api/v1/preview/`` for the draft in
exactly the live detail shape. Without the setting, pages preview with the CMS's own templates.

The token is a ``TimestampSigner`` signature (salted, so no other signed value of this site
can pass for one) over the id of a ``PagePreview`` row, the page id and the content type:
it expires after ``PREVIEW_TOKEN_MAX_AGE_SECONDS`` and never opens another page's draft.

Why not ``wagtail-headless-preview`` (0.9.0, read before deciding): it declares Wagtail 7 only;
its token signs just the page id (``id=<pk>``) and is checked without a ``max_age``, so one
token per page never expires and shows whatever was previewed last; its rows are garbage
collected by calendar day; and it ships no endpoint (it leaves the draft's serialization to
Wagtail's v2 API or GraphQL, not our contract's shape). What we need from it (store the
previewed content, hand the frontend a token, frame the frontend) is this short module, with
an expiring token bound to one frozen draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.utils import timezone
from wagtail.models import Page

from publishing.models import PagePreview

TOKEN_SALT = "publishing.preview-token"  # noqa: S105 - a namespace, not a secret


class PreviewTokenExpired(Exception):
    pass


class PreviewTokenInvalid(Exception):
    pass


def max_age() -> int:
    return int(getattr(settings, "PREVIEW_TOKEN_MAX_AGE_SECONDS", 600))


def content_type_label(page: Page) -> str:
    model = page.specific_class or type(page)
    return f"{model._meta.app_label}.{model._meta.model_name}"


def create_preview(page: Page) -> str:
    """Freeze ``page`` (a draft object built from the editor's form) and return its token."""
    PagePreview.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=max_age())).delete()
    preview = PagePreview.objects.create(
        page_id=page.pk,
        revision_id=page.latest_revision_id,
        content_type=content_type_label(page),
        content=page.serializable_data(),
    )
    return make_token(preview)


def make_token(preview: PagePreview) -> str:
    value = {"preview": preview.pk, "page": preview.page_id, "ct": preview.content_type}
    return signing.TimestampSigner(salt=TOKEN_SALT).sign_object(value)


@dataclass(frozen=True)
class PreviewClaim:
    preview_id: int
    page_id: int
    content_type: str


def read_token(token: str) -> PreviewClaim:
    """The claim a token carries. Raises ``PreviewTokenExpired`` or ``PreviewTokenInvalid``."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        value = signer.unsign_object(token, max_age=max_age())
    except signing.SignatureExpired as exc:
        raise PreviewTokenExpired from exc
    except (signing.BadSignature, ValueError) as exc:
        raise PreviewTokenInvalid from exc
    try:
        return PreviewClaim(int(value["preview"]), int(value["page"]), str(value["ct"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise PreviewTokenInvalid from exc


def load_draft(claim: PreviewClaim, content_type: str) -> Page | None:
    """The previewed draft as a page object, or None when the token does not open it."""
    if claim.content_type != content_type:
        return None
    preview = PagePreview.objects.filter(
        pk=claim.preview_id, page_id=claim.page_id, content_type=content_type
    ).first()
    if preview is None:
        return None
    page = Page.objects.filter(pk=preview.page_id).first()
    if page is None or content_type_label(page) != content_type:
        return None
    page = page.specific
    draft = page.with_content_json(preview.content)
    # Publication dates belong to the page, not the draft (and JSON keeps only milliseconds).
    draft.first_published_at = page.first_published_at
    draft.last_published_at = page.last_published_at
    return draft


def frontend_preview_url(page: Page) -> str:
    token = create_preview(page)
    query = urlencode({"content_type": content_type_label(page), "token": token})
    separator = "&" if "?" in settings.FRONTEND_PREVIEW_URL else "?"
    return f"{settings.FRONTEND_PREVIEW_URL}{separator}{query}"
