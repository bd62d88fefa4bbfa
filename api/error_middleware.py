"""Every error answered under ``/api/`` is in the API's error shape, whatever produced it.

DRF views and ``cms.views``' handlers already answer in the shape, but not everything under
``/api/`` reaches them: with ``DEBUG`` on (``make run``, where frontend developers work),
Django answers an unknown path or a slug the URL pattern refuses with its HTML debug page, and
an exception with its HTML traceback page; middleware and plain Django views can answer a 405
or another error with an empty or HTML body. This middleware replaces any error response under
``/api/`` that is not JSON with the shape, keeping the status and the headers that carry
meaning (``Allow``, ``Retry-After``, ``WWW-Authenticate``). Django has already logged the
exception (``django.request``) by the time the response gets here; the debug page itself is
only lost for ``/api/``, where a frontend cannot read HTML anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from api.errors import api_error_for_status

API_PREFIX = "/api/"
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ApiErrorShapeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replacement = api_error_for_status(request, response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
