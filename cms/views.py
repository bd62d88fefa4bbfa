"""Error handlers: JSON in the API's error shape under /api/, HTML pages everywhere else."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from api.errors import DEFAULT_CODES, DEFAULT_MESSAGES, error_response
from api.http import apply_http_caching

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_error(request: HttpRequest, status: int, message: str | None = None) -> HttpResponse:
    response = error_response(status, DEFAULT_CODES[status], message or DEFAULT_MESSAGES[status])
    return apply_http_caching(request, response)


def handler400(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, 400)
    return HttpResponse(
        loader.render_to_string("400.html") if _template_exists("400.html") else "Bad request",
        status=400,
    )


def handler403(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, 403)
    return HttpResponse(
        loader.render_to_string("403.html") if _template_exists("403.html") else "Forbidden",
        status=403,
    )


def handler404(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return _api_error(request, 404, f"Nothing is at '{request.path[:200]}'.")
    return render(request, "404.html", status=404)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return error_response(500, DEFAULT_CODES[500], DEFAULT_MESSAGES[500])
    # No request context: whatever failed (the database, a context processor) may fail again.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def _template_exists(name: str) -> bool:
    try:
        loader.get_template(name)
    except loader.TemplateDoesNotExist:
        return False
    return True
