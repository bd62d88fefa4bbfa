"""/sitemap.xml lists exactly the indexable pages, topics and authors, with absolute URLs and
lastmod; /robots.txt points to it and keeps the admin and draft previews out."""

from datetime import datetime

import pytest
from django.utils import timezone

from blog.models import Author
from tests.site.helpers import BASE, sitemap_locs


def test_the_sitemap_lists_every_indexable_page_topic_and_author(client, site_content):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    locs = sitemap_locs(response)
    expected = {
        BASE + "/",
        BASE + "/blog/",
        BASE + "/about/",
        BASE + "/fees/",
        *(BASE + f"/blog/{a.slug}/" for a in site_content.listed_articles),
        BASE + "/blog/topics/anxiety/",
        BASE + "/blog/topics/stress/",
        BASE + "/blog/topics/trauma/",
        BASE + "/blog/topics/coping/",
        BASE + "/blog/authors/maya-chen/",
        BASE + "/blog/authors/daniel-ortiz/",
    }
    assert set(locs) == expected


def test_every_sitemap_entry_has_a_lastmod(client, site_content):
    locs = sitemap_locs(client.get("/sitemap.xml"))
    for loc, lastmod in locs.items():
        assert lastmod, loc
        datetime.fromisoformat(lastmod)
    published = timezone.localtime(site_content.article.last_published_at).date()
    assert locs[BASE + "/blog/emotional-numbness/"] == published.isoformat()
    newest_anxiety = max(a.last_published_at for a in (site_content.article, site_content.stress))
    assert locs[BASE + "/blog/topics/anxiety/"] == timezone.localtime(newest_anxiety).date().isoformat()


def test_an_author_without_listed_articles_is_not_in_the_sitemap(client, site_content):
    Author.objects.create(name="Sam Quiet", slug="sam-quiet")
    locs = sitemap_locs(client.get("/sitemap.xml"))
    assert BASE + "/blog/authors/sam-quiet/" not in locs
    assert client.get("/blog/authors/sam-quiet/").status_code == 200


def test_a_page_with_a_canonical_elsewhere_is_left_out_of_the_sitemap(client, site_content):
    fees = site_content.fees
    fees.canonical_url = "https://elsewhere.example/fees"
    fees.save_revision().publish()
    assert BASE + "/fees/" not in sitemap_locs(client.get("/sitemap.xml"))


@pytest.mark.django_db
def test_robots_txt_points_to_the_sitemap_and_keeps_admin_and_previews_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == (
        "User-agent: *\n"
        "Disallow: /admin/\n"
        "Disallow: /api/v1/preview/\n"
        "Allow: /\n"
        "\n"
        "Sitemap: https://www.example-practice.test/sitemap.xml\n"
    )
