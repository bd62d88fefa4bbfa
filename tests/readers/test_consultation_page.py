"""The consultation page: its form posts to the same service as the API."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from pytest_django.asserts import assertInHTML

from blog.models import HomePage, StandardPage
from readers.models import ConsultationPage, ConsultationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation_page(home, practice):
    page = ConsultationPage(title="Book a free consultation", slug="consultation", intro="A short call.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def form_data(valid_consultation, started_token):
    return {**valid_consultation, "consent": "on", "started": started_token("consultation")}


@pytest.fixture
def post_page(client, consultation_page, django_capture_on_commit_callbacks):
    def _post(data, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(consultation_page.url, data, **extra)

    return _post


def form_html(response) -> str:
    html = response.content.decode()
    start = html.index('<form class="consultation-form"')
    return html[start : html.index("</form>", start) + len("</form>")]


def test_the_page_shows_the_form_with_the_privacy_note_above_the_message(client, consultation_page):
    response = client.get(consultation_page.url)
    form = form_html(response)

    assert response.status_code == 200
    assert "A short call." in response.content.decode()
    assert 'action="/consultation/"' in form
    assertInHTML(
        '<p class="field__help" id="id_message_helptext">Please don\'t include private health details '
        "here; we'll talk about what brings you in when we call you back.</p>",
        form,
    )
    assert 'aria-describedby="id_message_helptext"' in form
    assertInHTML('<option value="los-angeles">Los Angeles (In person)</option>', form)
    assertInHTML('<option value="california">California (Telehealth)</option>', form)
    assert 'name="consent"' in form
    assert '<div hidden aria-hidden="true"><label for="id_company">' in form
    assert re.search(r'<input type="hidden" name="started" value="[^"]+"', form)


def test_a_valid_request_is_stored_and_thanked_after_a_redirect(client, post_page, form_data):
    response = post_page(form_data)

    assert response.status_code == 302
    assert response["Location"] == "/consultation/?sent=1"
    stored = ConsultationRequest.objects.get()
    assert (stored.name, stored.email, stored.location.slug, stored.consent) == (
        "Sam Rivera",
        "sam.rivera.private@example.org",
        "los-angeles",
        True,
    )
    assert len(mail.outbox) == 1
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you for reaching out" in thanks
    assert "We have received your request" in thanks
    assert "consultation-form" not in thanks
    assert "Sam Rivera" not in thanks


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("email", "sam@", "Enter a valid email address."),
        ("phone", "", "Enter a phone number, or choose email as the way to reach you."),
        ("location", "atlantis", "Choose one of the locations we serve."),
        ("message", "m" * 1501, "Ensure this value has at most 1500 characters (it has 1501)."),
        ("consent", "", "Please agree to be contacted so we can reply to you."),
    ],
)
def test_every_malformed_field_is_re_rendered_with_its_message_and_nothing_is_stored(
    post_page, form_data, field, value, message
):
    response = post_page({**form_data, field: value})

    assert response.status_code == 400
    assertInHTML(f'<ul class="errorlist" id="id_{field}-errors"><li>{message}</li></ul>', form_html(response))
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


def test_honeypot_and_too_fast_posts_look_like_success_and_store_nothing(post_page, form_data):
    from readers import spam

    honeypot = post_page({**form_data, "company": "Acme"})
    too_fast = post_page({**form_data, "started": spam.make_started_token("consultation")})
    no_token = post_page({k: v for k, v in form_data.items() if k != "started"})

    assert [r.status_code for r in (honeypot, too_fast, no_token)] == [302, 302, 302]
    assert {r["Location"] for r in (honeypot, too_fast, no_token)} == {"/consultation/?sent=1"}
    assert ConsultationRequest.objects.count() == 0
    assert mail.outbox == []


@override_settings(CONSULTATION_THROTTLE_RATE="1/3600")
def test_a_second_request_within_the_window_gets_429(post_page, form_data):
    assert post_page(form_data).status_code == 302
    response = post_page(form_data)
    assert response.status_code == 429
    assert "You have sent several messages in a short time." in form_html(response)
    assert ConsultationRequest.objects.count() == 1


def test_the_form_needs_a_csrf_token(consultation_page, form_data):
    response = Client(enforce_csrf_checks=True).post(consultation_page.url, form_data)
    assert response.status_code == 403
    assert ConsultationRequest.objects.count() == 0


def test_the_consultation_page_lives_under_home_only_once(consultation_page):
    assert ConsultationPage.can_create_at(consultation_page.get_parent().specific) is False  # max_count 1
    assert ConsultationPage.allowed_parent_page_models() == [HomePage]
    assert StandardPage not in ConsultationPage.allowed_parent_page_models()


def test_the_demo_content_puts_a_consultation_page_at_consultation(db):
    from django.core.management import call_command

    call_command("load_demo_content", verbosity=0)

    page = ConsultationPage.objects.get(slug="consultation")
    assert page.live
    assert page.url == "/consultation/"
