"""Every HTML form carries a CSRF token, and a POST without one is refused with 403."""

import re

import pytest
from django.test import Client

from readers.models import ConsultationPage

pytestmark = pytest.mark.django_db

FORM = re.compile(rb"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


def post_forms(content: bytes) -> list[tuple[str, dict[str, str], bool]]:
    """(action, fields, has_csrf_token) of every POST form in a page."""
    forms = []
    for attributes, inner in FORM.findall(content):
        if not re.search(rb'method="post"', attributes, re.I):
            continue
        action = re.search(rb'action="([^"]*)"', attributes)
        names = re.findall(rb'name="([^"]+)"', inner)
        fields = {n.decode(): "x" for n in names if n != b"csrfmiddlewaretoken"}
        forms.append((action.group(1).decode() if action else "", fields, b"csrfmiddlewaretoken" in inner))
    return forms


@pytest.fixture
def consultation_page(home, practice):
    page = ConsultationPage(title="Free consultation", slug="free-consultation")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_every_public_form_has_a_csrf_token_and_is_refused_without_it(
    make_article, consultation_page, practice
):
    article = make_article("Coping with stress", comments_enabled=True)
    strict = Client(enforce_csrf_checks=True)
    seen = []

    for url in [article.url, consultation_page.url]:
        page = strict.get(url)
        assert page.status_code == 200
        for action, fields, has_token in post_forms(page.content):
            seen.append(url)
            assert has_token, f"form posting to {action or url} on {url} has no CSRF token"
            response = strict.post(action or url, fields)
            assert response.status_code == 403, (url, action, response.status_code)
            assert b"CSRF verification failed" in response.content

    assert seen == [article.url, consultation_page.url]


def test_admin_sign_in_without_a_token_is_refused(admin_user):
    strict = Client(enforce_csrf_checks=True)

    response = strict.post("/admin/login/", {"username": admin_user.username, "password": "password"})

    assert response.status_code == 403
    assert "_auth_user_id" not in strict.session


def test_admin_forms_without_a_token_are_refused(admin_user, home):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(admin_user)

    response = strict.post(f"/admin/pages/{home.pk}/edit/", {"title": "Hijacked"})

    assert response.status_code == 403
    home.refresh_from_db()
    assert home.title != "Hijacked"


def test_a_post_to_a_path_no_api_view_serves_is_refused_in_the_api_error_shape():
    strict = Client(enforce_csrf_checks=True)

    # Wagtail's page-serving catch-all matches it, and CSRF refuses before any view runs.
    response = strict.post("/api/v1/nothing-here/", {}, content_type="application/json")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "error": {"code": "csrf_failed", "message": "This request was refused (CSRF check failed)."}
    }


def test_api_submissions_need_no_token_because_the_api_uses_no_cookies(make_article, practice):
    """The frontend posts comments with no session and no token: nothing ambient to forge."""
    article = make_article("Burnout at work", comments_enabled=True)
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"name": "Sam", "email": "sam@example.test", "body": "Thank you for this."},
        content_type="application/json",
    )

    assert response.status_code == 202
    assert "sessionid" not in response.cookies
    assert "csrftoken" not in response.cookies
