"""Request bodies are bounded: 413 before reading, in the API's error shape under /api/."""

import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

pytestmark = pytest.mark.django_db

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_an_oversized_json_body_to_the_api_is_a_413_in_the_error_shape(client):
    body = json.dumps({"name": "x" * (LIMIT + 1)})

    response = client.post("/api/v1/consultation-requests/", body, content_type="application/json")

    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": {"code": "payload_too_large", "message": "The request body is too large (at most 2048 KiB)."}
    }
    assert "Connection" not in response


def test_an_oversized_multipart_file_to_a_public_page_is_refused(client, home, practice):
    big = SimpleUploadedFile("big.bin", b"\0" * (LIMIT + 1))

    response = client.post("/", {"file": big})

    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert b"The request body is too large (at most 2048 KiB)." in response.content


def test_a_body_within_the_limit_reaches_the_view(client):
    body = json.dumps({"padding": "x" * (LIMIT - 100)})

    response = client.post("/api/v1/topics/", body, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_413_is_readable_by_the_frontend_across_origins(client):
    origin = settings.CORS_ALLOWED_ORIGINS[0]

    response = client.post(
        "/api/v1/consultation-requests/",
        "x" * (LIMIT + 1),
        content_type="application/json",
        HTTP_ORIGIN=origin,
    )

    assert response.status_code == 413
    assert response["Access-Control-Allow-Origin"] == origin


def test_a_413_passes_a_wsgi_server_unchanged():
    """WSGI forbids hop-by-hop headers (PEP 3333); wsgiref's validator is what turned the 413
    into a plain-text 500 under `make run`."""
    import io
    from wsgiref.util import setup_testing_defaults
    from wsgiref.validate import validator

    from cms.wsgi import application

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/consultation-requests/",
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(LIMIT + 1),
        "HTTP_HOST": "testserver",
        "wsgi.input": io.BytesIO(b""),
    }
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers, exc_info=None):
        started.update(status=status, headers=dict(headers))
        return lambda data: None

    result = validator(application)(environ, start_response)
    body = b"".join(result)
    result.close()

    assert started["status"] == "413 Request Entity Too Large"
    assert "Connection" not in started["headers"]
    assert json.loads(body)["error"]["code"] == "payload_too_large"
