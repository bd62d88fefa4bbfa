"""``/api/v1/articles/{slug}/comments/``: approved comments out, moderated comments in."""

import json

import pytest
from django.core import mail
from django.test import override_settings

from readers.models import Comment

pytestmark = pytest.mark.django_db


def url(article):
    return f"/api/v1/articles/{article.slug}/comments/"


@pytest.fixture
def post_json(client, api_response_log, django_capture_on_commit_callbacks):
    """POST a JSON body (running on-commit work such as staff emails); the email in it is
    watched for in every API response."""

    def _post(path, payload, **extra):
        if isinstance(payload, dict) and isinstance(payload.get("email"), str) and payload["email"]:
            api_response_log.emails.add(payload["email"])
        body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, data=body, content_type="application/json", **extra)

    return _post


def test_a_valid_comment_is_stored_pending_and_answered_202_without_personal_data(
    post_json, client, article, valid_comment
):
    response = post_json(url(article), valid_comment)

    assert response.status_code == 202
    assert response.json() == {
        "status": "pending",
        "message": "Thank you. Your comment will appear once a member of our team has approved it.",
    }
    assert response["Cache-Control"] == "no-store"
    comment = Comment.objects.get()
    assert (comment.article_id, comment.status, comment.name, comment.email) == (
        article.pk,
        "pending",
        "Jordan",
        "jordan.private@example.org",
    )
    assert client.get(url(article)).json() == {"count": 0, "results": []}


def test_staff_are_emailed_about_a_new_comment_without_its_text_or_email(post_json, article, valid_comment):
    post_json(url(article), valid_comment)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["team@example-practice.test"]
    assert "Coping with panic" in message.subject
    for private in ("jordan.private@example.org", "panic attacks", "Jordan"):
        assert private not in message.subject + message.body


def test_approved_comments_are_listed_oldest_first_with_replies_nested_and_no_email(
    client, article, make_comment
):
    first = make_comment("First!\n\nSecond paragraph <b>bold?</b> https://example.org/x.")
    second = make_comment(
        "Later one", name="Bea", email="bea.secret@example.org", website="https://bea.example"
    )
    reply = make_comment("Thanks, Alex.", parent=first, name="Heal & Thrive", email="", is_staff_reply=True)
    make_comment("Pending", status=Comment.Status.PENDING, email="pending.person@example.org")
    make_comment("Rejected", status=Comment.Status.REJECTED)
    make_comment("Spam", status=Comment.Status.SPAM)

    response = client.get(url(article))

    assert response.status_code == 200
    assert response.json() == {
        "count": 3,
        "results": [
            {
                "id": first.pk,
                "name": "Alex",
                "website": None,
                "body": "First!\n\nSecond paragraph <b>bold?</b> https://example.org/x.",
                "body_html": "<p>First!</p><p>Second paragraph &lt;b&gt;bold?&lt;/b&gt; "
                '<a href="https://example.org/x" rel="nofollow ugc">https://example.org/x</a>.</p>',
                "created_at": response.json()["results"][0]["created_at"],
                "is_staff_reply": False,
                "replies": [
                    {
                        "id": reply.pk,
                        "name": "Heal & Thrive",
                        "website": None,
                        "body": "Thanks, Alex.",
                        "body_html": "<p>Thanks, Alex.</p>",
                        "created_at": response.json()["results"][0]["replies"][0]["created_at"],
                        "is_staff_reply": True,
                        "replies": [],
                    }
                ],
            },
            {
                "id": second.pk,
                "name": "Bea",
                "website": "https://bea.example",
                "body": "Later one",
                "body_html": "<p>Later one</p>",
                "created_at": response.json()["results"][1]["created_at"],
                "is_staff_reply": False,
                "replies": [],
            },
        ],
    }
    body = response.content.decode()
    for absent in ("alex.reader@example.org", "bea.secret@example.org", "pending.person", "Rejected", "Spam"):
        assert absent not in body


def test_comment_times_are_iso_8601_with_time_zone(client, article, make_comment):
    make_comment()
    created_at = client.get(url(article)).json()["results"][0]["created_at"]
    assert created_at[10] == "T" and created_at[-6] in "+-" and created_at[-3] == ":"


def test_a_reply_to_a_rejected_comment_is_not_shown_out_of_context(client, article, make_comment):
    parent = make_comment("Rejected parent", status=Comment.Status.REJECTED)
    make_comment("Orphan reply", parent=parent)
    assert client.get(url(article)).json() == {"count": 0, "results": []}


def test_a_reply_posted_through_the_api_nests_once_approved(
    post_json, client, article, make_comment, valid_comment
):
    parent = make_comment("Original")
    assert post_json(url(article), {**valid_comment, "parent": parent.pk}).status_code == 202
    reply = Comment.objects.get(parent=parent)
    assert reply.status == "pending"
    reply.status = Comment.Status.APPROVED
    reply.save()

    results = client.get(url(article)).json()["results"]
    assert [c["id"] for c in results] == [parent.pk]
    assert [r["id"] for r in results[0]["replies"]] == [reply.pk]


def test_a_reply_must_point_at_an_approved_comment_of_the_same_article(
    post_json, article, make_article, make_comment, valid_comment
):
    other = make_article("Other article")
    elsewhere = make_comment("Elsewhere", on=other)
    pending = make_comment("Pending", status=Comment.Status.PENDING)
    message = "You can only reply to a published comment on this article."
    for parent in (elsewhere.pk, pending.pk, 999999):
        response = post_json(url(article), {**valid_comment, "parent": parent})
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"parent": [message]}
    assert Comment.objects.filter(email=valid_comment["email"]).count() == 0


def test_comments_on_an_article_with_comments_off_get_403_and_nothing_is_stored(
    post_json, closed_article, valid_comment
):
    response = post_json(url(closed_article), valid_comment)

    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "comments_closed", "message": "Comments are closed for this article."}
    }
    assert Comment.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("name", ["Jordan"], "Must be text."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "", "This field is required."),
        ("email", 42, "Must be text."),
        ("email", "a" * 250 + "@example.org", "Ensure this value has at most 254 characters (it has 262)."),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("website", "ftp://files.example.org", "Enter a valid URL."),
        (
            "website",
            "https://example.org/" + "a" * 190,
            "Ensure this value has at most 200 characters (it has 210).",
        ),  # noqa: E501
        ("body", "", "This field is required."),
        ("body", "x", "Ensure this value has at least 2 characters (it has 1)."),
        ("body", "x" * 3001, "Ensure this value has at most 3000 characters (it has 3001)."),
        ("body", {"html": "<p>hi</p>"}, "Must be text."),
        ("body", "null byte \x00 here", "Null characters are not allowed."),
        ("parent", "abc", "Must be a comment id (a number)."),
        ("parent", "5", "Must be a comment id (a number)."),
        ("parent", 2**63, "Ensure this value is less than or equal to 2147483647."),
        ("name", "J" + " " * 80, "Ensure this value has at most 80 characters (it has 81)."),
        ("parent", True, "Must be a comment id (a number)."),
        ("parent", 0, "Ensure this value is greater than or equal to 1."),
        ("favourite_colour", "blue", "Unknown field."),
    ],
)
def test_every_malformed_field_gets_400_naming_it_and_nothing_is_stored(
    post_json, article, valid_comment, field, value, message
):
    response = post_json(url(article), {**valid_comment, field: value})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["fields"] == {field: [message]}
    assert Comment.objects.count() == 0
    assert mail.outbox == []


def test_several_bad_fields_are_all_named(post_json, article):
    response = post_json(url(article), {"name": "", "email": "nope", "body": ""})

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Some fields are invalid.",
            "fields": {
                "name": ["This field is required."],
                "email": ["Enter a valid email address."],
                "body": ["This field is required."],
            },
        }
    }


@pytest.mark.parametrize("body", ["[1, 2]", '"just a string"', "null"])
def test_a_body_that_is_not_a_json_object_is_a_400(post_json, article, body):
    response = post_json(url(article), body)
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"non_field_errors": ["Send a JSON object."]}
    assert Comment.objects.count() == 0


def test_malformed_json_is_a_400_in_the_error_shape(post_json, article):
    response = post_json(url(article), '{"name": "Jordan",')
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert Comment.objects.count() == 0


def test_a_form_encoded_body_is_415(client, article, valid_comment):
    response = client.post(url(article), valid_comment)  # multipart form data
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert Comment.objects.count() == 0


@override_settings(READERS_MAX_BODY_BYTES=1024)
def test_a_too_large_body_is_413_in_the_error_shape_and_nothing_is_stored(post_json, article, valid_comment):
    response = post_json(url(article), {**valid_comment, "body": "x" * 2000})

    assert response.status_code == 413
    assert response.json() == {
        "error": {"code": "payload_too_large", "message": "The request body is too large (at most 1 KiB)."}
    }
    assert Comment.objects.count() == 0


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(post_json, client, article, valid_comment):
    response = post_json(url(article), {**valid_comment, "company": "Best SEO Ltd"})

    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert Comment.objects.count() == 0
    assert mail.outbox == []


def test_a_bot_with_a_filled_honeypot_gets_success_even_with_invalid_fields(post_json, article):
    response = post_json(url(article), {"company": "x", "email": "nope"})
    assert response.status_code == 202
    assert Comment.objects.count() == 0


@override_settings(COMMENT_THROTTLE_RATE="3/600")
def test_the_fourth_comment_in_the_window_is_429_with_retry_after(post_json, article, valid_comment):
    for _ in range(3):
        assert post_json(url(article), valid_comment).status_code == 202

    response = post_json(url(article), valid_comment)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["message"].startswith("Too many submissions from your connection.")
    assert 1 <= int(response["Retry-After"]) <= 600
    assert Comment.objects.count() == 3


@override_settings(COMMENT_THROTTLE_RATE="2/600")
def test_the_throttle_is_per_client(post_json, article, valid_comment):
    for _ in range(2):
        post_json(url(article), valid_comment, REMOTE_ADDR="203.0.113.1")
    assert post_json(url(article), valid_comment, REMOTE_ADDR="203.0.113.1").status_code == 429
    assert post_json(url(article), valid_comment, REMOTE_ADDR="203.0.113.2").status_code == 202


@override_settings(COMMENT_THROTTLE_RATE="1/600", TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_client_cannot_dodge_the_throttle_with_a_forged_forwarded_header(
    post_json, article, valid_comment
):
    first = post_json(url(article), valid_comment, HTTP_X_FORWARDED_FOR="198.51.100.7")
    forged = post_json(url(article), valid_comment, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert (first.status_code, forged.status_code) == (202, 429)


def test_comments_of_a_draft_article_are_404(client, post_json, draft_article, valid_comment):
    get = client.get(url(draft_article))
    post = post_json(url(draft_article), valid_comment)

    assert get.status_code == post.status_code == 404
    assert get.json() == {"error": {"code": "not_found", "message": "No article with slug 'draft-thoughts'."}}
    assert Comment.objects.count() == 0


def test_comments_of_an_unknown_slug_are_404(client):
    response = client.get("/api/v1/articles/nothing-here/comments/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_comments_of_an_article_under_a_view_restriction_are_404(client, article, make_comment):
    from wagtail.models import PageViewRestriction

    make_comment()
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="secret")
    assert client.get(url(article)).status_code == 404


def test_the_comment_list_has_an_etag_and_answers_304_when_unchanged(client, article, make_comment):
    make_comment()
    first = client.get(url(article))
    assert first["Cache-Control"].startswith("public")
    assert first["ETag"]

    again = client.get(url(article), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    make_comment("A newly approved one")
    changed = client.get(url(article), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_unknown_query_parameters_on_the_comment_list_are_400(client, article):
    response = client.get(url(article) + "?include=email")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["include"]


def test_listing_comments_takes_a_fixed_number_of_queries(
    client, article, make_comment, django_assert_max_num_queries
):
    for i in range(5):
        parent = make_comment(f"Comment {i}")
        make_comment(f"Reply {i}", parent=parent)
    with django_assert_max_num_queries(4):
        response = client.get(url(article))
    assert response.json()["count"] == 10
