"""The shared API cache: hits without queries, precise invalidation, and no cache, no problem."""

from datetime import timedelta

from django.utils import timezone
from wagtail.contrib.frontend_cache.backends import BaseBackend

from api import response_cache
from blog.models import ArticlePage
from tests.conftest import republish, unreachable_cache

PURGED: list[str] = []


class RecordingBackend(BaseBackend):
    """A frontend-cache (CDN) backend that remembers what it was asked to purge."""

    def purge(self, url):
        PURGED.append(url)


def test_a_repeated_request_is_answered_from_the_cache_without_queries(
    client, shared_cache, make_article, django_assert_num_queries
):
    make_article("Chronic stress", topics=["Stress"])
    first = client.get("/api/v1/articles/", {"topic": "stress"})

    with django_assert_num_queries(0):
        second = client.get("/api/v1/articles/", {"topic": "stress"})

    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == first["Cache-Control"]
    assert second["Content-Type"] == "application/json; charset=utf-8"
    assert second.json()["results"][0]["slug"] == "chronic-stress"


def test_the_query_string_is_normalised_in_the_cache_key(client, shared_cache, make_article):
    make_article("Chronic stress", topics=["Stress", "Burnout"])
    client.get("/api/v1/articles/", {"topic": ["stress", "burnout"], "page_size": 5})

    again = client.get("/api/v1/articles/?page_size=5&topic=burnout&topic=stress")

    assert again["X-Cache"] == "HIT"


def test_a_cached_etag_still_gets_304(client, shared_cache, make_article, django_assert_num_queries):
    make_article("Chronic stress")
    etag = client.get("/api/v1/articles/chronic-stress/")["ETag"]

    with django_assert_num_queries(0):
        response = client.get("/api/v1/articles/chronic-stress/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_after_publishing_the_next_responses_show_the_change(client, shared_cache, make_article, publish):
    article = make_article("Chronic stress")
    old_detail = client.get("/api/v1/articles/chronic-stress/")
    old_list = client.get("/api/v1/articles/")
    assert client.get("/api/v1/articles/chronic-stress/")["X-Cache"] == "HIT"

    publish(republish, article, title="Chronic stress, explained")

    detail = client.get("/api/v1/articles/chronic-stress/")
    listing = client.get("/api/v1/articles/")
    assert (detail["X-Cache"], listing["X-Cache"]) == ("MISS", "MISS")
    assert detail.json()["title"] == "Chronic stress, explained"
    assert listing.json()["results"][0]["title"] == "Chronic stress, explained"
    assert detail["ETag"] != old_detail["ETag"]
    assert listing["ETag"] != old_list["ETag"]


def test_unpublishing_removes_the_article_from_cached_responses(client, shared_cache, make_article, publish):
    article = make_article("Chronic stress", topics=["Stress"])
    assert client.get("/api/v1/topics/").json()["count"] == 1
    assert client.get("/api/v1/articles/chronic-stress/").status_code == 200

    publish(ArticlePage.objects.get(pk=article.pk).unpublish)

    assert client.get("/api/v1/articles/chronic-stress/").status_code == 404
    assert client.get("/api/v1/articles/").json()["count"] == 0
    assert client.get("/api/v1/topics/").json() == {"count": 0, "results": []}


def test_an_article_showing_the_changed_one_is_refreshed(client, shared_cache, make_article, publish):
    changed = make_article("Chronic stress", topics=["Stress"])
    make_article("Sleep and worry", topics=["Sleep"], related=[changed])
    before = client.get("/api/v1/articles/sleep-and-worry/").json()
    assert [r["title"] for r in before["related"]] == ["Chronic stress"]

    publish(republish, changed, title="Chronic stress, explained")

    after = client.get("/api/v1/articles/sleep-and-worry/")
    assert after["X-Cache"] == "MISS"
    assert [r["title"] for r in after.json()["related"]] == ["Chronic stress, explained"]


def test_a_new_article_sharing_a_topic_enters_cached_related_lists(
    client, shared_cache, make_article, publish
):
    make_article("Chronic stress", topics=["Stress"])
    assert client.get("/api/v1/articles/chronic-stress/").json()["related"] == []
    newcomer = make_article("Stress at work", topics=["Stress"], live=False)

    publish(newcomer.save_revision().publish)

    related = client.get("/api/v1/articles/chronic-stress/").json()["related"]
    assert [r["slug"] for r in related] == ["stress-at-work"]


def test_an_author_change_refreshes_their_articles(client, shared_cache, make_article, publish, author):
    make_article("Chronic stress")
    client.get("/api/v1/articles/chronic-stress/")
    client.get("/api/v1/authors/maya-chen/")

    author.role = "Clinical Director"
    publish(author.save)

    detail = client.get("/api/v1/articles/chronic-stress/")
    assert detail["X-Cache"] == "MISS"
    assert detail.json()["author"]["role"] == "Clinical Director"
    assert client.get("/api/v1/authors/maya-chen/").json()["role"] == "Clinical Director"


def test_site_settings_changes_refresh_every_response(client, shared_cache, make_article, practice, publish):
    make_article("Chronic stress")
    client.get("/api/v1/site/")
    client.get("/api/v1/articles/chronic-stress/")

    practice.tagline = "Therapy that meets you where you are"
    publish(practice.save)

    site = client.get("/api/v1/site/")
    assert site["X-Cache"] == "MISS"
    assert site.json()["tagline"] == "Therapy that meets you where you are"
    assert client.get("/api/v1/articles/chronic-stress/")["X-Cache"] == "MISS"


def test_errors_and_previews_are_never_stored(client, shared_cache, make_article):
    make_article("Chronic stress")

    assert client.get("/api/v1/articles/nope/").status_code == 404
    assert "X-Cache" not in client.get("/api/v1/articles/nope/")
    assert client.get("/api/v1/articles/", {"page_size": 1000}).status_code == 400
    assert "X-Cache" not in client.get("/api/v1/preview/", {"content_type": "blog.articlepage", "token": "x"})


def test_public_responses_let_a_cdn_hold_them(client, shared_cache, make_article):
    make_article("Chronic stress")

    response = client.get("/api/v1/articles/")

    assert response["Cache-Control"] == "public, max-age=60, s-maxage=300, stale-while-revalidate=600"


def test_an_upcoming_expiry_bounds_how_long_entries_live(make_article, settings):
    assert response_cache._lifetime() == settings.RESPONSE_CACHE_MAX_AGE
    make_article("Seasonal stress", expire_at=timezone.now() + timedelta(hours=1))

    assert 3500 < response_cache._lifetime() <= 3601


def schedule(article, go_live_at):
    """Live in the database but not due yet (a go-live date set on a live page)."""
    article.go_live_at = go_live_at
    article.save(update_fields=["go_live_at"], clean=False)
    return article


def test_an_upcoming_go_live_date_bounds_how_long_entries_live(make_article, settings):
    schedule(make_article("Seasonal stress"), timezone.now() + timedelta(hours=2))

    assert 7100 < response_cache._lifetime() <= 7201


def test_a_scheduled_article_enters_cached_lists_when_it_goes_live(
    client, shared_cache, make_article, django_capture_on_commit_callbacks
):
    """No edit happens at a go-live date: the entry's lifetime ends there, and the next
    request after it shows the article."""
    make_article("Chronic stress")
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = schedule(make_article("Seasonal stress"), timezone.now() + timedelta(seconds=2))
    first = client.get("/api/v1/articles/")
    assert [r["slug"] for r in first.json()["results"]] == ["chronic-stress"]
    assert client.get("/api/v1/articles/")["X-Cache"] == "HIT"

    import time

    time.sleep(2.5)
    later = client.get("/api/v1/articles/")

    assert later["X-Cache"] == "MISS"
    assert {r["slug"] for r in later.json()["results"]} == {"chronic-stress", scheduled.slug}


def test_the_api_answers_from_the_database_when_the_cache_server_is_down(
    client, shared_cache, make_article, publish
):
    unreachable_cache(shared_cache, "api-down")
    shared_cache.RESPONSE_CACHE_ALIAS = "api-down"
    article = make_article("Chronic stress")

    first = client.get("/api/v1/articles/chronic-stress/")
    second = client.get("/api/v1/articles/chronic-stress/")
    publish(republish, article, title="Chronic stress, explained")  # invalidation fails quietly
    third = client.get("/api/v1/articles/chronic-stress/")

    assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
    assert [r["X-Cache"] for r in (first, second, third)] == ["MISS", "MISS", "MISS"]
    assert first.content == second.content
    assert third.json()["title"] == "Chronic stress, explained"


def test_publishing_purges_the_affected_urls_from_the_cdn(settings, make_article, publish):
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "tests.publishing.test_caching.RecordingBackend"}}
    article = make_article("Chronic stress", topics=["Stress"], live=False)
    PURGED.clear()

    publish(article.save_revision().publish)

    base, api = settings.PUBLIC_BASE_URL, f"{settings.WAGTAILADMIN_BASE_URL}/api/v1"
    assert {
        f"{base}/",
        f"{base}/blog/",
        f"{base}/blog/chronic-stress/",
        f"{base}/blog/topics/stress/",
        f"{base}/blog/authors/maya-chen/",
        f"{api}/articles/",
        f"{api}/topics/",
        f"{api}/resolve/?path=%2Fblog%2Fchronic-stress%2F",
    } <= set(PURGED)
    assert not any("grief" in url for url in PURGED)


def test_a_publish_purges_each_url_once_and_only_on_the_public_and_api_bases(settings, make_article, publish):
    """Wagtail's own frontend-cache handlers (its app installed) would purge the page again,
    on the Site's host: publishing's purge is the only one."""
    settings.WAGTAILFRONTENDCACHE = {"default": {"BACKEND": "tests.publishing.test_caching.RecordingBackend"}}
    article = make_article("Chronic stress", topics=["Stress"], live=False)
    PURGED.clear()

    publish(article.save_revision().publish)

    base, api = settings.PUBLIC_BASE_URL, f"{settings.WAGTAILADMIN_BASE_URL}/api/v1"
    assert PURGED
    assert sorted(PURGED) == sorted(set(PURGED))
    assert [url for url in PURGED if not url.startswith((f"{base}/", f"{api}/"))] == []
