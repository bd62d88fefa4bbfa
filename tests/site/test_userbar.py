"""Wagtail's userbar: staff get "Edit this page" on the live site, and the editor's preview
carries the content checker behind the Checks panel; anonymous visitors (and the page cache
they are served from) never see either."""

from django.test import Client

from tests.publishing.test_preview import admin_preview, edit_form

USERBAR = "<wagtail-userbar></wagtail-userbar>"


def test_staff_see_an_edit_this_page_link_on_the_live_article(client, practice, make_article, admin_user):
    article = make_article("Chronic stress")
    client.force_login(admin_user)

    html = client.get("/blog/chronic-stress/").content.decode()

    assert USERBAR in html
    assert f'href="//testserver/admin/pages/{article.pk}/edit/"' in html
    assert "Edit this page" in html


def test_anonymous_visitors_never_get_the_userbar_even_after_staff_viewed_the_cached_page(
    response_cache, practice, make_article, admin_user
):
    make_article("Chronic stress")
    staff = Client()
    staff.force_login(admin_user)
    assert USERBAR in staff.get("/blog/chronic-stress/").content.decode()

    anonymous = Client()
    first, second = anonymous.get("/blog/chronic-stress/"), anonymous.get("/blog/chronic-stress/")

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    for response in (first, second):
        html = response.content.decode()
        assert USERBAR not in html
        assert "Edit this page" not in html
        assert "wagtail-userbar" not in html


def test_the_editor_preview_carries_the_content_checker_the_checks_panel_reads(
    practice, make_article, admin_user
):
    article = make_article("Chronic stress")
    editor = Client()
    editor.force_login(admin_user)

    data = edit_form(article, title="Chronic stress", paragraph="<p>Words to count.</p>")
    html = admin_preview(editor, article, data).content.decode()

    assert USERBAR in html
    assert 'id="checker-axe-configuration"' in html
    assert "Checks" in html
