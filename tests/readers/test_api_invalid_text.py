"""Text that is not valid Unicode (a lone surrogate, a NUL) in any JSON field of the submission
endpoints is a 400 in the error shape, and nothing is stored."""

import json

import pytest

from readers.models import Comment, ConsultationRequest

pytestmark = pytest.mark.django_db

SURROGATE = "Contains an unpaired surrogate (\\ud800-\\udfff), which is not valid text."
NUL = "Null characters are not allowed."


def post_raw(client, path, payload: dict, replace: dict[str, str]):
    """POST ``payload`` as JSON with some field values swapped for raw JSON text (escapes
    such as \\ud800 that json.dumps would never write)."""
    body = json.dumps(payload)
    for field, raw in replace.items():
        body = body.replace(json.dumps(payload[field]), raw, 1)
    return client.post(path, data=body.encode(), content_type="application/json")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('"Sam \\ud800"', SURROGATE),
        ('"\\udfff"', SURROGATE),
        ('"Sam\\u0000 Rivera"', NUL),
        ('["\\ud83d"]', SURROGATE),
    ],
)
@pytest.mark.parametrize("field", ["name", "message", "email", "phone", "location", "company"])
def test_a_consultation_request_with_invalid_text_in_any_field_is_a_400(
    client, valid_consultation, field, raw, message
):
    payload = {**valid_consultation, "company": "x"} if field == "company" else valid_consultation

    response = post_raw(client, "/api/v1/consultation-requests/", payload, {field: raw})

    assert response.status_code == 400
    assert response.json() == {"error": {"code": "invalid", "message": message, "fields": {field: [message]}}}
    assert ConsultationRequest.objects.count() == 0


@pytest.mark.parametrize("field", ["name", "body", "email", "website"])
def test_a_comment_with_a_lone_surrogate_in_any_field_is_a_400(client, article, valid_comment, field):
    payload = {**valid_comment, "website": "https://example.org/"}

    response = post_raw(client, f"/api/v1/articles/{article.slug}/comments/", payload, {field: '"a\\ud800b"'})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [SURROGATE]}
    assert Comment.objects.count() == 0


def test_a_field_name_that_is_not_valid_text_is_refused_without_being_echoed(client, valid_consultation):
    body = json.dumps(valid_consultation)[:-1] + ', "\\ud800": "x"}'

    response = client.post(
        "/api/v1/consultation-requests/", data=body.encode(), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["A field name contains characters that are not valid text."]
    }


def test_valid_astral_characters_are_accepted(client, article, valid_comment):
    """A correctly paired surrogate escape is one real character (an emoji), not invalid text."""
    body = json.dumps({**valid_comment, "body": "Thank you \\ud83d\\ude0a"}).replace("\\\\u", "\\u")

    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/", data=body, content_type="application/json"
    )

    assert response.status_code == 202
    assert Comment.objects.get().body.endswith("\N{SMILING FACE WITH SMILING EYES}")
