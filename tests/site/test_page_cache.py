"""The response cache on rendered pages (api.response_cache): hits without queries,
per-visitor form tokens, invalidation by the content version, and no cache, no problem."""

import re

import pytest
from django.test import Client

from blog.models import ArticlePage, BlogIndexPage
from readers.models import Comment
from tests.conftest import republish, unreachable_cache

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture
def page_cache(response_cache):
    """The response cache on, under a key prefix no other test (or earlier run) has used."""
    return response_cache


def test_a_second_anonymous_request_is_served_from_the_cache_without_queries(
    client, page_cache, practice, make_article, django_assert_num_queries
):
    make_article("Chronic stress", topics=["Stress"])
    first = client.get("/blog/chronic-stress/")

    with django_assert_num_queries(0):
        second = Client().get("/blog/chronic-stress/")

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert "<h1" in second.content.decode() and "Chronic stress</h1>" in second.content.decode()
    # Only the per-visitor tokens differ between the render and the cached copy.
    strip = lambda r: STARTED.sub("", TOKEN.sub("", r.content.decode()))  # noqa: E731
    assert strip(second) == strip(first)
    assert second["Content-Type"] == "text/html; charset=utf-8"
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    # The article carries the comment form's CSRF token: no shared cache may keep it.
    assert second["Cache-Control"] == "private, max-age=0"


def test_pages_without_a_form_let_a_cdn_hold_them(client, page_cache, practice, make_article):
    make_article("Chronic stress", topics=["Stress"])
    first = client.get("/blog/topics/stress/")
    second = client.get("/blog/topics/stress/")

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert "csrftoken" not in second.cookies


def test_listing_pages_are_cached_by_page_number_and_other_queries_are_not(
    client, page_cache, practice, make_article
):
    for n in range(14):
        make_article(f"Article {n}")
    assert client.get("/blog/?page=2")["X-Cache"] == "MISS"
    assert client.get("/blog/?page=2")["X-Cache"] == "HIT"
    assert client.get("/blog/")["X-Cache"] == "MISS"
    assert "X-Cache" not in client.get("/blog/?page=2&x=1")
    assert "X-Cache" not in client.get("/blog/?utm_source=mail")


def test_two_visitors_served_from_the_cache_get_their_own_csrf_tokens(page_cache, practice, make_article):
    make_article("Chronic stress")
    Client().get("/blog/chronic-stress/")
    one, two = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)

    first, second = one.get("/blog/chronic-stress/"), two.get("/blog/chronic-stress/")

    assert (first["X-Cache"], second["X-Cache"]) == ("HIT", "HIT")
    cookie_one, cookie_two = one.cookies["csrftoken"].value, two.cookies["csrftoken"].value
    assert cookie_one != cookie_two
    token_one = TOKEN.search(first.content.decode()).group(1)
    token_two = TOKEN.search(second.content.decode()).group(1)
    assert token_one != token_two
    assert "__page-cache-" not in first.content.decode()
    # A returning visitor keeps their cookie's secret (a new mask, the same secret).
    again = one.get("/blog/chronic-stress/")
    assert again["X-Cache"] == "HIT"
    assert "csrftoken" not in again.cookies or again.cookies["csrftoken"].value == cookie_one


def test_a_visitor_served_from_the_cache_can_post_the_comment_form(page_cache, practice, make_article):
    article = make_article("Chronic stress")
    Client().get("/blog/chronic-stress/")
    visitor = Client(enforce_csrf_checks=True)

    page = visitor.get("/blog/chronic-stress/")
    html = page.content.decode()
    response = visitor.post(
        f"/comments/{article.pk}/",
        {
            "csrfmiddlewaretoken": TOKEN.search(html).group(1),
            "started": STARTED.search(html).group(1),
            "name": "Jordan",
            "email": "jordan.private@example.org",
            "website": "",
            "body": "This helped me understand my panic attacks. Thank you.",
        },
    )

    assert page["X-Cache"] == "HIT"
    assert response.status_code == 302
    assert response["Location"].endswith("?comment=pending#comments")
    assert Comment.objects.get().body == "This helped me understand my panic attacks. Thank you."


def test_a_post_with_another_visitors_cached_token_is_refused(page_cache, practice, make_article):
    article = make_article("Chronic stress")
    first = Client(enforce_csrf_checks=True)
    html = first.get("/blog/chronic-stress/").content.decode()
    intruder = Client(enforce_csrf_checks=True)
    intruder.get("/blog/chronic-stress/")

    response = intruder.post(
        f"/comments/{article.pk}/",
        {
            "csrfmiddlewaretoken": TOKEN.search(html).group(1),
            "name": "X",
            "email": "x@example.org",
            "body": "Hi",
        },
    )

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_after_publishing_a_change_the_next_request_shows_it(
    client, page_cache, practice, make_article, publish
):
    article = make_article("Chronic stress", topics=["Stress"])
    for path in ("/blog/chronic-stress/", "/blog/", "/blog/topics/stress/", "/"):
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT"

    publish(republish, article, title="Chronic stress, explained")

    for path in ("/blog/chronic-stress/", "/blog/", "/blog/topics/stress/", "/"):
        response = client.get(path)
        assert response["X-Cache"] == "MISS", path
        assert "Chronic stress, explained" in response.content.decode(), path


def test_unpublishing_removes_the_page_from_the_cache(client, page_cache, practice, make_article, publish):
    article = make_article("Chronic stress")
    client.get("/blog/chronic-stress/")

    publish(ArticlePage.objects.get(pk=article.pk).unpublish)

    assert client.get("/blog/chronic-stress/").status_code == 404


def test_comment_moderation_refreshes_the_article_page(client, page_cache, practice, make_article, publish):
    article = make_article("Chronic stress")
    comment = Comment.objects.create(
        article=article, name="Jordan", email="j@example.org", body="Kind words, thank you.",
        status=Comment.Status.PENDING,
    )  # fmt: skip
    assert "Kind words" not in client.get("/blog/chronic-stress/").content.decode()

    comment.status = Comment.Status.APPROVED
    publish(comment.save, update_fields=["status"])

    response = client.get("/blog/chronic-stress/")
    assert response["X-Cache"] == "MISS"
    assert "Kind words, thank you." in response.content.decode()


def test_site_settings_changes_refresh_every_page(client, page_cache, practice, make_article, publish):
    make_article("Chronic stress")
    client.get("/blog/chronic-stress/")

    practice.phone = "(310) 555-0999"
    publish(practice.save)

    response = client.get("/blog/chronic-stress/")
    assert response["X-Cache"] == "MISS"
    assert "(310) 555-0999" in response.content.decode()


def test_signed_in_users_always_get_a_fresh_render(client, page_cache, practice, make_article, admin_user):
    make_article("Chronic stress")
    Client().get("/blog/chronic-stress/")
    client.force_login(admin_user)

    response = client.get("/blog/chronic-stress/")

    assert "X-Cache" not in response
    assert "Chronic stress</h1>" in response.content.decode()


def test_drafts_are_never_served_from_the_cache(
    client, page_cache, practice, make_article, admin_user, publish
):
    article = make_article("Chronic stress")
    draft = make_article("Unfinished thoughts", live=False)
    client.get("/blog/chronic-stress/")
    page = ArticlePage.objects.get(pk=article.pk)
    page.title = "Draft title nobody may see"
    publish(page.save_revision)

    anonymous = client.get("/blog/chronic-stress/")
    assert client.get(draft.url_path.replace("/home", "", 1)).status_code == 404
    editor = Client()
    editor.force_login(admin_user)
    preview = editor.get(f"/admin/pages/{article.pk}/edit/preview/?mode=")

    assert anonymous["X-Cache"] == "HIT"
    assert "Draft title nobody may see" not in anonymous.content.decode()
    assert "X-Cache" not in preview
    assert "Draft title nobody may see" not in client.get("/blog/chronic-stress/").content.decode()


def test_view_restricted_pages_are_never_stored(client, page_cache, practice, make_article):
    from wagtail.models import PageViewRestriction

    article = make_article("Members only")
    PageViewRestriction.objects.create(page=article, restriction_type="password", password="s3cret")  # noqa: S106

    first, second = client.get("/blog/members-only/"), client.get("/blog/members-only/")

    assert "X-Cache" not in first and "X-Cache" not in second
    assert "Members only</h1>" not in second.content.decode()


def test_pages_render_when_the_cache_server_is_down(client, page_cache, practice, make_article, publish):
    unreachable_cache(page_cache, "html-down")
    page_cache.RESPONSE_CACHE_ALIAS = "html-down"
    article = make_article("Chronic stress")

    first = client.get("/blog/chronic-stress/")
    publish(republish, article, title="Chronic stress, explained")  # invalidation fails quietly
    second = client.get("/blog/chronic-stress/")

    assert [r.status_code for r in (first, second)] == [200, 200]
    assert [r.get("X-Cache") for r in (first, second)] == ["MISS", "MISS"]
    assert "Chronic stress, explained</h1>" in second.content.decode()


@pytest.mark.parametrize("path", ["/blog/chronic-stress/", "/blog/?page=2"])
def test_a_render_that_raced_a_change_is_served_once_and_never_stored(
    client, page_cache, practice, make_article, publish, monkeypatch, path
):
    """An editor publishes while a page is being rendered from the old content: the render was
    stored under the content version read before it, which the change has replaced, so it is
    never served again. The article is the oldest of 13: page 2 of the blog lists it."""
    article = make_article("Chronic stress", topics=["Stress"])
    for n in range(12):
        make_article(f"Article {n}")
    page_class = ArticlePage if path == "/blog/chronic-stress/" else BlogIndexPage
    render_context = page_class.get_context

    def change_meanwhile(self, request, *args, **kwargs):
        context = render_context(self, request, *args, **kwargs)
        if "articles" in context:
            list(context["articles"].object_list)  # the listing is read now, like the article
        publish(republish, article, title="Chronic stress, explained")
        return context

    monkeypatch.setattr(page_class, "get_context", change_meanwhile)
    during = client.get(path)
    monkeypatch.setattr(page_class, "get_context", render_context)

    assert during["X-Cache"] == "MISS"
    assert "Chronic stress</" in during.content.decode()
    after = client.get(path)
    assert after["X-Cache"] == "MISS"
    assert "Chronic stress, explained</" in after.content.decode()
    assert client.get(path)["X-Cache"] == "HIT"
