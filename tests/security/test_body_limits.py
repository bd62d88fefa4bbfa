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
    assert response["Connection"] == "close"


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
