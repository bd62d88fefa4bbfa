"""``POST /api/v1/consultation-requests/``: stored, staff told, never readable."""

import json

import pytest
from django.core import mail
from django.test import override_settings

from readers.models import ConsultationRequest

pytestmark = pytest.mark.django_db

URL = "/api/v1/consultation-requests/"


@pytest.fixture
def post_json(client, api_response_log, django_capture_on_commit_callbacks):
    def _post(payload, **extra):
        if isinstance(payload, dict) and isinstance(payload.get("email"), str) and payload["email"]:
            api_response_log.emails.add(payload["email"])
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data=json.dumps(payload), content_type="application/json", **extra)

    return _post


def test_a_valid_request_is_stored_and_answered_201_without_personal_data(post_json, valid_consultation):
    response = post_json(valid_consultation)

    assert response.status_code == 201
    assert response.json() == {
        "status": "received",
        "message": "Thank you for reaching out. We will contact you within one business day.",
    }
    assert response["Cache-Control"] == "no-store"
    stored = ConsultationRequest.objects.select_related("location").get()
    assert (
        stored.name,
        stored.email,
        stored.phone,
        stored.preferred_contact,
        stored.location.slug,
        stored.message,
        stored.consent,
        stored.status,
    ) == (
        "Sam Rivera",
        "sam.rivera.private@example.org",
        "(310) 555-0199",
        "phone",
        "los-angeles",
        "I'd like to talk about anxiety at work.",
        True,
        "new",
    )


def test_optional_fields_may_be_null(post_json, practice):
    response = post_json(
        {
            "name": "Kim",
            "email": "kim.private@example.org",
            "consent": True,
            "phone": None,
            "preferred_contact": None,
            "location": None,
            "message": None,
            "company": None,
        }
    )
    assert response.status_code == 201
    assert ConsultationRequest.objects.get().preferred_contact == "email"


def test_only_name_email_and_consent_are_required(post_json, practice):
    response = post_json({"name": "Kim", "email": "kim.private@example.org", "consent": True})

    assert response.status_code == 201
    stored = ConsultationRequest.objects.get()
    assert (stored.phone, stored.preferred_contact, stored.location) == ("", "email", None)
    assert stored.message == ""


def test_staff_are_emailed_without_the_message_or_contact_details(post_json, valid_consultation):
    post_json(valid_consultation)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["team@example-practice.test"]
    assert sent.subject == "New consultation request"
    assert "Preferred contact: Phone" in sent.body
    assert "Location: Los Angeles" in sent.body
    text = sent.subject + sent.body
    for private in ("Sam Rivera", "sam.rivera.private@example.org", "555-0199", "anxiety at work"):
        assert private not in text


@override_settings(STAFF_NOTIFICATION_EMAILS=[])
def test_no_notification_is_attempted_without_recipients(post_json, valid_consultation):
    assert post_json(valid_consultation).status_code == 201
    assert mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.readers.failing_email.FailingBackend")
def test_a_failing_mail_server_does_not_lose_the_request(post_json, valid_consultation):
    assert post_json(valid_consultation).status_code == 201
    assert ConsultationRequest.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "n" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("email", "sam@", "Enter a valid email address."),
        ("email", None, "This field is required."),
        ("phone", "call me maybe", "Enter a phone number using digits, spaces, brackets, dots or dashes."),
        ("phone", "1" * 31, "Ensure this value has at most 30 characters (it has 31)."),
        ("preferred_contact", "pigeon", "Select a valid choice. pigeon is not one of the available choices."),
        ("location", "atlantis", "Choose one of the locations we serve."),
        ("location", ["los-angeles"], "Must be text."),
        ("message", "m" * 1501, "Ensure this value has at most 1500 characters (it has 1501)."),
        ("consent", False, "Please agree to be contacted so we can reply to you."),
        ("consent", None, "Please agree to be contacted so we can reply to you."),
        ("consent", 1, "Must be true or false."),
        ("consent", "false", "Must be true or false."),
        ("consent", "yes", "Must be true or false."),
        ("id", 7, "Unknown field."),
    ],
)
def test_every_malformed_field_gets_400_naming_it_and_nothing_is_stored(
    post_json, valid_consultation, field, value, message
):
    response = post_json({**valid_consultation, field: value})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {field: [message]}
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


def test_phone_is_required_when_it_is_the_preferred_contact(post_json, valid_consultation):
    response = post_json({**valid_consultation, "phone": ""})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "phone": ["Enter a phone number, or choose email as the way to reach you."]
    }


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(post_json, valid_consultation):
    response = post_json({**valid_consultation, "company": "Acme"})

    assert response.status_code == 201
    assert response.json()["status"] == "received"
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


@override_settings(CONSULTATION_THROTTLE_RATE="2/3600")
def test_the_third_request_in_the_window_is_429(post_json, valid_consultation):
    assert [post_json(valid_consultation).status_code for _ in range(3)] == [201, 201, 429]
    assert ConsultationRequest.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_consultation_requests_cannot_be_read_or_changed_through_the_api(
    client, post_json, valid_consultation, method
):
    post_json(valid_consultation)
    stored = ConsultationRequest.objects.get()

    listing = getattr(client, method)(URL)
    detail = getattr(client, method)(f"{URL}{stored.pk}/")

    assert listing.status_code == 405
    assert listing.json()["error"]["code"] == "method_not_allowed"
    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"
    for response in (listing, detail):
        assert "Sam Rivera" not in response.content.decode()


def test_the_schema_documents_the_write_only_endpoints_with_separate_input_and_output(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    consult = schema["paths"]["/api/v1/consultation-requests/"]
    comments = schema["paths"]["/api/v1/articles/{slug}/comments/"]

    assert set(consult) == {"post"}
    assert set(comments) >= {"get", "post"}
    request_ref = consult["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    response_ref = consult["post"]["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert request_ref != response_ref
    output = schema["components"]["schemas"][response_ref.rsplit("/", 1)[-1]]
    assert set(output["properties"]) == {"status", "message"}
    comment = schema["components"]["schemas"]["Comment"]
    assert "email" not in comment["properties"]
    assert comment["properties"]["replies"]["items"]["$ref"] == "#/components/schemas/Comment"
    assert set(comments["post"]["responses"]) >= {"202", "400", "403", "404", "413", "415", "429"}
