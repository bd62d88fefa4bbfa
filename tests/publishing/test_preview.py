"""Previewing drafts in the frontend: the admin's preview, tokens, GET /api/v1/preview/."""

import re
import time
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from publishing import preview
from publishing.models import PagePreview
from tests.conftest import body_json

FRONTEND = "https://www.example-practice.test/api/preview"


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example-practice.test", "pw")


@pytest.fixture
def article(make_article):
    return make_article(
        "Chronic stress",
        topics=["Stress"],
        body=body_json(
            ("heading", {"text": "What it is", "level": "2"}), ("paragraph", "<p>Live words.</p>")
        ),
    )


def edit_form(article, *, title, paragraph):
    """The admin edit form's data for ``article`` with a new title and paragraph."""
    return nested_form_data(
        {
            "title": title,
            "slug": article.slug,
            "excerpt": article.excerpt,
            "author": article.author_id,
            "body": streamfield(
                [
                    ("heading", {"text": "What it is", "level": "2", "anchor": ""}),
                    ("paragraph", rich_text(paragraph)),
                ]
            ),
            "topics": "Stress",
            "related_picks": inline_formset([]),
            "comments": inline_formset([]),
            "comments_enabled": "on",
        }
    )


def admin_preview(client, article, data):
    """Post the form to the admin's preview, then load the preview as the panel does."""
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk])
    posted = client.post(url, data)
    assert posted.json() == {"is_valid": True, "is_available": True}
    return client.get(url, {"in_preview_panel": "true"})


def frame_url(response) -> str:
    match = re.search(r'<iframe src="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:500]
    return unescape(match.group(1))


def test_the_admin_preview_frames_the_frontend_and_the_api_returns_the_draft(
    client, editor, article, settings
):
    settings.FRONTEND_PREVIEW_URL = FRONTEND
    client.force_login(editor)
    live_before = client.get(f"/api/v1/articles/{article.slug}/").json()

    response = admin_preview(
        client,
        article,
        edit_form(article, title="Chronic stress, revisited", paragraph="<p>Draft words.</p>"),
    )

    url = frame_url(response)
    assert url.startswith(FRONTEND + "?")
    query = parse_qs(urlsplit(url).query)
    assert query["content_type"] == ["blog.articlepage"]
    [token] = query["token"]

    client.logout()  # the frontend's server has no admin session
    draft = client.get("/api/v1/preview/", {"content_type": "blog.articlepage", "token": token})

    assert draft.status_code == 200
    assert draft["Cache-Control"] == "private, no-store"
    assert draft["X-Robots-Tag"] == "noindex, nofollow"
    data = draft.json()
    assert set(data) == set(live_before)
    assert data["title"] == "Chronic stress, revisited"
    assert [block["type"] for block in data["body"]] == ["heading", "paragraph"]
    # The editor's rich text carries Draftail's block keys (<p data-block-key="…">).
    assert re.fullmatch(r'<p( data-block-key="\w+")?>Draft words\.</p>', data["body"][1]["value"]["html"])
    for unchanged in ("id", "slug", "path", "url", "topics", "author", "related", "published_at"):
        assert data[unchanged] == live_before[unchanged], unchanged

    live_after = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert live_after == live_before
    assert live_after["title"] == "Chronic stress"
    assert live_after["body"][1]["value"] == {"html": "<p>Live words.</p>"}


def test_without_a_frontend_the_cms_templates_render_the_preview(client, editor, article, settings):
    settings.FRONTEND_PREVIEW_URL = ""
    client.force_login(editor)

    response = admin_preview(
        client, article, edit_form(article, title="Drafted title", paragraph="<p>Draft words.</p>")
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<iframe" not in html
    assert "Drafted title" in html
    assert "Draft words." in html
    assert PagePreview.objects.count() == 0


def draft_token(article) -> str:
    draft = article.get_latest_revision_as_object()
    draft.title = "A draft title"
    return preview.create_preview(draft)


def get_preview(client, token, content_type="blog.articlepage"):
    return client.get("/api/v1/preview/", {"content_type": content_type, "token": token})


def test_an_expired_token_is_refused(client, article, settings, monkeypatch):
    settings.PREVIEW_TOKEN_MAX_AGE_SECONDS = 600
    token = draft_token(article)
    assert get_preview(client, token).status_code == 200

    later = time.time() + 601
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    response = get_preview(client, token)

    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "error": {
            "code": "preview_expired",
            "message": "This preview link has expired. Preview the page again from the admin.",
        }
    }


def test_a_tampered_token_is_refused(client, article):
    token = draft_token(article)
    tampered = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")

    response = get_preview(client, tampered)

    assert response.status_code == 403
    assert response.json() == {
        "error": {"code": "invalid_token", "message": "This preview token is not valid."}
    }


def test_a_token_for_a_preview_that_no_longer_exists_is_not_found(client, article):
    token = draft_token(article)
    PagePreview.objects.all().delete()

    response = get_preview(client, token)

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "No draft matches this preview token."}
    }


def test_a_token_never_opens_another_pages_draft(client, article, make_article):
    other = make_article("Grief")
    token = draft_token(article)
    stored = PagePreview.objects.get()
    # A correctly signed claim that pairs this preview with another page finds nothing.
    forged = preview.make_token(PagePreview(pk=stored.pk, page_id=other.pk, content_type="blog.articlepage"))

    assert get_preview(client, forged).status_code == 404
    assert get_preview(client, token).json()["id"] == article.pk


def test_a_token_only_answers_for_its_content_type(client, article):
    response = get_preview(client, draft_token(article), content_type="blog.standardpage")

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Must be one of: blog.articlepage.",
            "fields": {"content_type": ["Must be one of: blog.articlepage."]},
        }
    }


def test_the_preview_needs_both_parameters(client, db):
    response = client.get("/api/v1/preview/")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "content_type": ["This parameter is required."],
        "token": ["This parameter is required."],
    }


def test_a_token_signed_for_something_else_is_refused(client, article):
    from django.core import signing

    other_signature = signing.TimestampSigner(salt="another.purpose").sign_object(
        {"preview": 1, "page": article.pk, "ct": "blog.articlepage"}
    )

    assert get_preview(client, other_signature).json()["error"]["code"] == "invalid_token"
