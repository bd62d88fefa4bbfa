"""Changing an article's slug or moving a page leaves a permanent redirect from the old URL
(Wagtail's redirects app, WAGTAILREDIRECTS_AUTO_CREATE), which editors manage in the admin."""

from wagtail.contrib.redirects.models import Redirect

from blog.models import StandardPage


def test_changing_a_slug_redirects_the_old_url_permanently(
    client, make_article, practice, django_capture_on_commit_callbacks
):
    article = make_article("Feeling numb", slug="feeling-numb")
    assert client.get("/blog/feeling-numb/").status_code == 200

    article.slug = "emotional-numbness"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()

    response = client.get("/blog/feeling-numb/")
    assert response.status_code == 301
    assert response["Location"] == "/blog/emotional-numbness/"
    assert client.get(response["Location"]).status_code == 200
    redirect = Redirect.objects.get(old_path="/blog/feeling-numb")
    assert redirect.is_permanent and redirect.automatically_created
    assert redirect.redirect_page_id == article.pk


def test_moving_a_page_redirects_its_old_url_and_its_childrens(
    client, home, practice, django_capture_on_commit_callbacks
):
    about = StandardPage(title="About", slug="about")
    home.add_child(instance=about)
    fees = StandardPage(title="Fees", slug="fees")
    home.add_child(instance=fees)
    insurance = StandardPage(title="Insurance", slug="insurance")
    fees.add_child(instance=insurance)

    with django_capture_on_commit_callbacks(execute=True):
        fees.move(about, pos="last-child")

    for old, new in (("/fees/", "/about/fees/"), ("/fees/insurance/", "/about/fees/insurance/")):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
        assert client.get(new).status_code == 200


def test_editors_manage_redirects_in_the_admin(admin_client, home):
    Redirect.objects.create(old_path="/old-page", redirect_link="/", is_permanent=True)
    response = admin_client.get("/admin/redirects/")
    assert response.status_code == 200
    assert "/old-page" in response.content.decode()
