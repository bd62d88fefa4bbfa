"""Readers writing back: ``/api/v1/articles/{slug}/comments/`` (GET, POST) and
``POST /api/v1/consultation-requests/``. The writes go through ``readers.services``, the same
logic as the rendered site's HTML forms.

Nothing personal comes back: the GET lists approved comments without emails; the POST
answers carry a status and a message only. Consultation requests have no GET at all.
"""

from __future__ import annotations

import re

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import PayloadTooLarge
from api.filters import check_query_params
from api.http import CachedGetMixin
from api.serializers.common import ErrorSerializer
from api.serializers.readers import (
    HONEYPOT_NOTE,
    CommentAcceptedSerializer,
    CommentInputSerializer,
    CommentListSerializer,
    ConsultationAcceptedSerializer,
    ConsultationRequestInputSerializer,
    serialize_comment,
)
from readers import selectors, services, throttle

COMMENT_ACCEPTED = {
    "status": "pending",
    "message": "Thank you. Your comment will appear once a member of our team has approved it.",
}
CONSULTATION_ACCEPTED = {
    "status": "received",
    "message": "Thank you for reaching out. We will contact you within one business day.",
}


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


WRITE_ERRORS = {
    400: _error("Malformed JSON or invalid fields; `fields` names each one with its messages."),
    405: _error("Method not allowed."),
    413: _error("The request body is larger than the endpoint accepts (64 KiB by default)."),
    415: _error("The body is not JSON (send Content-Type: application/json)."),
    429: _error("Too many submissions from this client; see the Retry-After header."),
}


class CommentsClosed(exceptions.PermissionDenied):
    default_detail = "Comments are closed for this article."
    default_code = "comments_closed"


# NUL: the message Django's form fields give (the HTML forms' wording, readers.forms).
NUL_TEXT = "Null characters are not allowed."
SURROGATE_TEXT = "Contains an unpaired surrogate (\\ud800-\\udfff), which is not valid text."
_SURROGATES = re.compile("[\ud800-\udfff]")


def _invalid_text(value) -> str | None:
    """Why a string (or one nested in a list or object) is not valid text, or None.

    JSON's ``\\ud800`` escapes decode to lone surrogates, which no UTF-8 encoder (nor so the
    database) accepts; NUL is refused by PostgreSQL. Checked before anything reads the data.
    """
    if isinstance(value, str):
        if "\x00" in value:
            return NUL_TEXT
        return SURROGATE_TEXT if _SURROGATES.search(value) else None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        reason = (_invalid_text(key) if isinstance(key, str) else None) or _invalid_text(item)
        if reason:
            return reason
    return None


def check_text(data: dict) -> None:
    """400 naming each field whose text is not valid Unicode. An invalid field *name* is
    reported without being echoed (it could not be encoded in the answer)."""
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if _invalid_text(key):
            errors["non_field_errors"] = ["A field name contains characters that are not valid text."]
        elif reason := _invalid_text(value):
            errors[key] = [reason]
    if errors:
        raise exceptions.ValidationError(errors)


class SubmissionView(APIView):
    """A JSON POST from the public: body size checked before parsing, never cached."""

    parser_classes = [JSONParser]

    def read_json_object(self, request) -> dict:
        limit = settings.READERS_MAX_BODY_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        # The declared length first (nothing read), then the real one (chunked bodies).
        if declared > limit or len(request.body) > limit:
            raise PayloadTooLarge(f"The request body is too large (at most {limit // 1024} KiB).")
        data = request.data  # 415 for another content type, 400 for malformed JSON
        if not isinstance(data, dict):
            raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
        check_text(data)
        return data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method == "POST":
            response["Cache-Control"] = "no-store"
        return response


def _raise_for(exc: services.SubmissionError):
    if isinstance(exc, services.CommentsClosed):
        raise CommentsClosed() from exc
    if isinstance(exc, services.Throttled):
        # DRF appends "Expected available in N seconds." and sets Retry-After.
        raise exceptions.Throttled(
            wait=exc.retry_after, detail="Too many submissions from your connection."
        ) from exc
    if isinstance(exc, services.SubmissionInvalid):
        raise exceptions.ValidationError(exc.errors) from exc
    raise exc


class ArticleCommentsView(CachedGetMixin, SubmissionView):
    """Approved comments of a live article (GET), and submitting one for moderation (POST)."""

    http_method_names = ["get", "head", "post", "options"]

    def _article(self, slug: str):
        article = selectors.live_article_by_slug(slug)
        if article is None:
            raise exceptions.NotFound(f"No article with slug '{slug}'.")
        return article

    @extend_schema(
        operation_id="articles_comments_list",
        responses={
            200: CommentListSerializer,
            304: OpenApiResponse(description="Not modified: the If-None-Match ETag still matches."),
            400: _error("Unknown query parameters."),
            404: _error("No live, public article with this slug."),
        },
        tags=["comments"],
    )
    def get(self, request, slug: str):
        check_query_params(request.query_params, allowed=set())
        article = self._article(slug)
        tree = selectors.approved_comment_tree(article.pk)
        return Response(
            {"count": selectors.count_tree(tree), "results": [serialize_comment(c) for c in tree]}
        )

    @extend_schema(
        operation_id="articles_comments_create",
        description=HONEYPOT_NOTE,
        request=CommentInputSerializer,
        responses={
            202: CommentAcceptedSerializer,
            403: _error("Comments are closed for this article (nothing is stored)."),
            404: _error("No live, public article with this slug."),
            **WRITE_ERRORS,
        },
        tags=["comments"],
    )
    def post(self, request, slug: str):
        data = self.read_json_object(request)
        article = self._article(slug)
        try:
            services.submit_comment(
                article=article, data=data, client=throttle.client_key(request), channel="api"
            )
        except services.SubmissionError as exc:
            _raise_for(exc)
        # The same answer for a discarded bot post: nothing tells a bot it was caught.
        return Response(COMMENT_ACCEPTED, status=status.HTTP_202_ACCEPTED)


class ConsultationRequestView(SubmissionView):
    """Request a free consultation. Write-only: nothing about requests is ever readable here."""

    http_method_names = ["post", "options"]

    @extend_schema(
        operation_id="consultation_requests_create",
        description=HONEYPOT_NOTE,
        request=ConsultationRequestInputSerializer,
        responses={201: ConsultationAcceptedSerializer, **WRITE_ERRORS},
        tags=["consultation requests"],
    )
    def post(self, request):
        data = self.read_json_object(request)
        try:
            services.submit_consultation_request(
                data=data, client=throttle.client_key(request), channel="api"
            )
        except services.SubmissionError as exc:
            _raise_for(exc)
        return Response(CONSULTATION_ACCEPTED, status=status.HTTP_201_CREATED)
