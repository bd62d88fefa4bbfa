"""The API's one error shape, for every status code.

Every error the API answers with looks like::

    {"error": {"code": "not_found", "message": "No article with slug 'x'."}}
    {"error": {"code": "invalid", "message": "Invalid query parameters.",
               "fields": {"page_size": ["Must be between 1 and 100."]}}}

``fields`` appears only on validation errors (field or parameter name → list of messages).
DRF views get it through ``exception_handler`` (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``);
plain Django views and the 404/500 handlers (``cms.views``) use ``error_response``.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from api.http import apply_http_caching

CONTENT_TYPE = "application/json; charset=utf-8"

# Default messages per status, for errors raised without a specific one.
DEFAULT_MESSAGES = {
    400: "The request is malformed.",
    401: "Authentication is required.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "This API only answers with JSON (application/json).",
    413: "The request body is too large.",
    415: "Send the request body as JSON (Content-Type: application/json).",
    429: "Too many requests; try again later.",
    500: "Something went wrong on our side. Please try again later.",
}
DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
}


_KNOWN = {s.value for s in HTTPStatus}


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = DEFAULT_MESSAGES[413]
    default_code = "payload_too_large"


def error_body(code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The error document itself (``{"error": {...}}``), for code that builds its own response."""
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def error_response(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> HttpResponse:
    """A plain Django JSON response in the error shape, usable outside DRF (handlers, middleware)."""
    content = json.dumps(error_body(code, message, fields), ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(content.encode("utf-8"), status=status, content_type=CONTENT_TYPE)


def api_error_for_status(request, status: int) -> HttpResponse:
    """The error-shape answer to ``request`` for ``status``, with no more specific message
    (404s name the path asked for); GET/HEAD answers get the API's caching headers."""
    if status == 404:
        message = f"Nothing is at '{request.path[:200]}'."
    elif status in DEFAULT_MESSAGES:
        message = DEFAULT_MESSAGES[status]
    elif status in _KNOWN:
        message = f"{HTTPStatus(status).phrase}."
    else:
        message = "Error."
    response = error_response(status, DEFAULT_CODES.get(status, "error"), message)
    if status >= 500:
        return response
    return apply_http_caching(request, response)


def _flatten_messages(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten_messages(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flatten_messages(value)]
    return [str(detail)]


def _fields(detail: Any) -> dict[str, list[str]]:
    """Field name → messages. Nested serializer errors are flattened into dotted names."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for name, value in detail.items():
            if isinstance(value, dict) and all(isinstance(key, int) for key in value):
                # a list parameter (?topic=…&topic=…): its items' messages belong to it
                fields[str(name)] = _flatten_messages(value)
            elif isinstance(value, dict):
                for sub, messages in _fields(value).items():
                    fields[f"{name}.{sub}"] = messages
            else:
                fields[str(name)] = _flatten_messages(value)
        return fields
    return {"non_field_errors": _flatten_messages(detail)}


def _code_of(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str) and codes not in {"error", "invalid"}:
        return codes
    if isinstance(exc.default_code, str):
        return exc.default_code
    return DEFAULT_CODES.get(exc.status_code, "error")


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF ``EXCEPTION_HANDLER``: every API exception becomes the one error shape.

    Anything not handled here (a real bug) propagates to Django and is answered by
    ``cms.views.handler500``, in the same shape under ``/api/``.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(DEFAULT_MESSAGES[400])
    if not isinstance(exc, exceptions.APIException):
        return None

    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        fields = _fields(exc.detail)
        messages = _flatten_messages(exc.detail)
        message = messages[0] if len(messages) == 1 else "Some fields are invalid."
        body = error_body("invalid", message, fields)
    else:
        detail = exc.detail
        message = str(detail) if not isinstance(detail, dict | list) else " ".join(_flatten_messages(detail))
        body = error_body(_code_of(exc), message or DEFAULT_MESSAGES.get(exc.status_code, "Error."))

    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)
