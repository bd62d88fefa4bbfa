"""The comment section under an article on the rendered site: list, form, and its posts."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings
from pytest_django.asserts import assertInHTML

from readers import spam
from readers.models import Comment

pytestmark = pytest.mark.django_db


def comments_section(response) -> str:
    html = response.content.decode()
    start = html.index('<section class="comments"')
    return html[start : html.index("</section>", start) + len("</section>")]


def post_url(article):
    return f"/comments/{article.pk}/"


@pytest.fixture
def post_form(client, started_token, django_capture_on_commit_callbacks):
    """POST the article's comment form as a person would: opened 30 seconds ago."""

    def _post(article, data, *, token="aged", **extra):  # noqa: S107 - not a password
        data = dict(data)
        if token == "aged":
            data["started"] = started_token("comment")
        elif token is not None:
            data["started"] = token
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(post_url(article), data, **extra)

    return _post


def test_the_article_page_shows_the_comment_form_with_a_hidden_honeypot_and_fill_time_token(client, article):
    section = comments_section(client.get(article.url))

    assert f'action="/comments/{article.pk}/#comments"' in section
    assert "Your email address will not be published." in section
    for name in ("name", "email", "website", "body"):
        assert f'name="{name}"' in section
    assert re.search(
        r'<div hidden aria-hidden="true"><label for="id_company">[^<]*</label>'
        r'<input type="text" name="company"',
        section,
    )
    token = re.search(r'<input type="hidden" name="started" value="([^"]+)"', section).group(1)
    assert spam.check_started_token("comment", token, now=__import__("time").time() + 60) is spam.FillCheck.OK


def test_a_valid_comment_redirects_to_an_awaiting_moderation_notice_and_is_not_shown(
    client, post_form, article, valid_comment
):
    response = post_form(article, valid_comment)

    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    comment = Comment.objects.get()
    assert (comment.status, comment.email) == ("pending", "jordan.private@example.org")
    assert len(mail.outbox) == 1

    section = comments_section(client.get(response["Location"]))
    assert "Your comment is awaiting moderation" in section
    assert "panic attacks" not in section
    assert "jordan.private@example.org" not in section


def test_approved_comments_are_shown_as_text_with_nofollow_links_and_without_email(
    client, article, make_comment
):
    make_comment(
        '<script>alert("x")</script> I found https://example.org/help useful.',
        name="Robin <b>",
        website="https://robin.example",
        email="robin.private@example.org",
    )
    make_comment("Not yet", status=Comment.Status.PENDING)

    response = client.get(article.url)
    section = comments_section(response)

    assert '<h2 id="comments-heading">1 comment</h2>' in section
    assertInHTML(
        '<div class="comment__body"><p>&lt;script&gt;alert("x")&lt;/script&gt; I found '
        '<a href="https://example.org/help" rel="nofollow ugc">https://example.org/help</a>'
        " useful.</p></div>",
        section,
    )
    assertInHTML('<a href="https://robin.example" rel="nofollow ugc">Robin &lt;b&gt;</a>', section)
    assert "<script>" not in section
    assert "Not yet" not in section
    assert "robin.private@example.org" not in response.content.decode()


def test_replies_are_nested_under_their_comment(client, article, make_comment):
    parent = make_comment("Parent comment")
    reply = make_comment("Staff answer", parent=parent, name="Heal & Thrive", email="", is_staff_reply=True)
    make_comment("Second top-level")

    section = comments_section(client.get(article.url))

    nested = re.search(
        rf'<li class="comment" id="comment-{parent.pk}">.*?<ol class="comment-list comment-list--replies">\s*'
        rf'<li class="comment comment--staff" id="comment-{reply.pk}">',
        section,
        re.S,
    )
    assert nested
    assert section.index("Parent comment") < section.index("Staff answer") < section.index("Second top-level")
    assert "(the practice)" in section
    assert '<h2 id="comments-heading">3 comments</h2>' in section


def test_a_reply_posted_through_the_form_nests_once_approved(
    client, post_form, article, make_comment, valid_comment
):
    parent = make_comment("Original")
    section = comments_section(client.get(article.url))
    assert f'<a href="?replyto={parent.pk}#comment-form" rel="nofollow">Reply to Alex</a>' in section
    form = comments_section(client.get(f"{article.url}?replyto={parent.pk}"))
    assert "<h3>Reply to Alex" in form
    assert f'<input type="hidden" name="parent" value="{parent.pk}" id="id_parent">' in form

    assert post_form(article, {**valid_comment, "parent": parent.pk}).status_code == 302
    Comment.objects.filter(parent=parent).update(status=Comment.Status.APPROVED)

    section = comments_section(client.get(article.url))
    assert re.search(r'comment-list--replies">\s*<li class="comment" id="comment-\d+">', section)
    assert "panic attacks" in section


def test_an_article_with_comments_off_has_no_form_and_posts_get_403_storing_nothing(
    client, post_form, closed_article, valid_comment
):
    section = comments_section(client.get(closed_article.url))
    assert "Comments are closed for this article." in section
    assert "<form" not in section

    response = post_form(closed_article, valid_comment)

    assert response.status_code == 403
    assert "no longer accepts comments" in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("name", "x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("body", "", "This field is required."),
        ("body", "x" * 3001, "Ensure this value has at most 3000 characters (it has 3001)."),
        ("parent", "999999", "You can only reply to a published comment on this article."),
    ],
)
def test_every_malformed_field_is_re_rendered_with_its_message_and_nothing_is_stored(
    post_form, article, valid_comment, field, value, message
):
    response = post_form(article, {**valid_comment, field: value})

    assert response.status_code == 400
    section = comments_section(response)
    assertInHTML(f'<ul class="errorlist" id="id_{field}-errors"><li>{message}</li></ul>', section)
    assert Comment.objects.count() == 0
    assert mail.outbox == []


def test_a_re_rendered_form_keeps_what_the_reader_typed(post_form, article, valid_comment):
    response = post_form(article, {**valid_comment, "email": "typo@"})
    section = comments_section(response)
    assert "This helped me understand my panic attacks. Thank you.</textarea>" in section
    assert 'value="Jordan"' in section


@pytest.mark.parametrize(
    "token",
    [
        None,  # no token: not our form
        "forged:token",
        "fresh",  # opened a moment ago
    ],
)
def test_bot_like_posts_look_like_success_and_store_nothing(post_form, article, valid_comment, token):
    if token == "fresh":
        token = spam.make_started_token("comment")

    response = post_form(article, valid_comment, token=token)

    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=pending#comments"
    assert Comment.objects.count() == 0
    assert mail.outbox == []


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(post_form, article, valid_comment):
    response = post_form(article, {**valid_comment, "company": "Spam Inc"})
    assert response.status_code == 302
    assert Comment.objects.count() == 0


def test_a_token_from_another_form_does_not_count(post_form, article, valid_comment, started_token):
    response = post_form(article, valid_comment, token=started_token("consultation"))
    assert response.status_code == 302
    assert Comment.objects.count() == 0


def test_a_form_left_open_for_more_than_a_day_asks_to_send_again_with_a_fresh_token(
    post_form, article, valid_comment, started_token
):
    old = started_token("comment", seconds_ago=spam.FORM_MAX_AGE_SECONDS + 60)

    response = post_form(article, valid_comment, token=old)

    assert response.status_code == 400
    section = comments_section(response)
    assert "This form was open for a long time. Please check it and send it again." in section
    token = re.search(r'name="started" value="([^"]+)"', section).group(1)
    assert token != old
    assert Comment.objects.count() == 0


@override_settings(COMMENT_THROTTLE_RATE="2/600")
def test_too_many_comments_from_one_client_get_429_and_a_message(post_form, article, valid_comment):
    assert [post_form(article, valid_comment).status_code for _ in range(2)] == [302, 302]

    response = post_form(article, valid_comment)

    assert response.status_code == 429
    assert "You have sent several messages in a short time." in comments_section(response)
    assert Comment.objects.count() == 2


@override_settings(READERS_MAX_BODY_BYTES=1024)
def test_a_too_large_form_post_is_413_and_nothing_is_stored(post_form, article, valid_comment):
    response = post_form(article, {**valid_comment, "body": "x" * 2000})
    assert response.status_code == 413
    assert "Your message is too long" in response.content.decode()
    assert Comment.objects.count() == 0


def test_the_form_needs_a_csrf_token(article, valid_comment, started_token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(post_url(article), {**valid_comment, "started": started_token("comment")})
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_the_form_endpoint_accepts_only_post_and_only_for_live_articles(
    client, post_form, draft_article, article
):
    assert client.get(post_url(article)).status_code == 405
    assert post_form(draft_article, {"name": "x"}).status_code == 404
    assert Comment.objects.count() == 0
