"""Personal data stays out of logs and API responses."""

import json
import re

import pytest
from django.test import override_settings

from tests.conftest import ApiResponseLog

pytestmark = pytest.mark.django_db

PRIVATE = ("jordan.private@example.org", "panic attacks", "sam.rivera.private@example.org", "anxiety at work")


@override_settings(COMMENT_THROTTLE_RATE="2/600", CONSULTATION_THROTTLE_RATE="2/600")
def test_no_log_line_carries_an_email_or_a_message_on_any_submission_path(
    client,
    log_records,
    article,
    valid_comment,
    valid_consultation,
    started_token,
    django_capture_on_commit_callbacks,
):
    def api(path, payload):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(path, json.dumps(payload), content_type="application/json")

    comments = f"/api/v1/articles/{article.slug}/comments/"
    statuses = [
        api(comments, valid_comment).status_code,  # stored
        api(comments, {**valid_comment, "email": "jordan.private@example.org!"}).status_code,  # invalid
        api(comments, {**valid_comment, "company": "x"}).status_code,  # throttled (third)
        api("/api/v1/consultation-requests/", valid_consultation).status_code,
        api("/api/v1/consultation-requests/", {**valid_consultation, "company": "x"}).status_code,  # bot
        api("/api/v1/consultation-requests/", {**valid_consultation, "consent": False}).status_code,  # 429
    ]
    html = client.post(
        f"/comments/{article.pk}/", {**valid_comment, "started": started_token("comment"), "name": ""}
    ).status_code

    assert statuses == [202, 400, 429, 201, 201, 429]
    assert html == 429
    text = "\n".join(record.getMessage() for record in log_records)
    assert re.search(r"Comment \d+ stored as pending", text)  # the log does say what happened…
    for private in PRIVATE:
        assert private not in text  # …never with whom or what they wrote


def test_the_api_response_guard_detects_an_email_in_a_body():
    # The autouse ``api_response_log`` fixture relies on this check; prove it can fail.
    log = ApiResponseLog()
    log.emails.add("Someone@Example.org")
    log.bodies.append(("/api/v1/x/", b'{"email": "someone@example.org"}'))
    log.bodies.append(("/api/v1/y/", b'{"ok": true}'))
    assert log.leaks() == [("/api/v1/x/", "Someone@Example.org")]


def test_the_guard_records_api_responses_made_through_the_test_client(client, api_response_log, article):
    client.get(f"/api/v1/articles/{article.slug}/comments/")
    client.get(article.url)  # not under /api/: not recorded
    assert [path for path, _ in api_response_log.bodies] == [f"/api/v1/articles/{article.slug}/comments/"]
