"""Error handlers: JSON in the API's error shape under /api/, HTML pages everywhere else."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader

from api.errors import DEFAULT_CODES, DEFAULT_MESSAGES, api_error_for_status, error_response

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def handler400(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return api_error_for_status(request, 400)
    return HttpResponse(
        loader.render_to_string("400.html") if _template_exists("400.html") else "Bad request",
        status=400,
    )


def handler403(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return api_error_for_status(request, 403)
    return HttpResponse(
        loader.render_to_string("403.html") if _template_exists("403.html") else "Forbidden",
        status=403,
    )


def handler404(request: HttpRequest, exception=None) -> HttpResponse:
    if _is_api(request):
        return api_error_for_status(request, 404)
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
