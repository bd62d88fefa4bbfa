"""API hits answered by ``api.response_cache`` before sessions, auth and DRF run."""

import gzip
import uuid

import pytest
from django.test import Client

from api import response_cache
from api.models import ContentVersion
from api.response_cache import accepts_json
from blog import selectors
from blog.models import ArticlePage
from tests.conftest import unreachable_cache

ALLOWED_ORIGIN = "https://frontend.example"
# Headers that differ per response by nature (or say whether the cache answered).
PER_RESPONSE = {"date", "content-length", "x-cache"}


@pytest.fixture
def shared_cache(shared_cache):
    """The API cache on (tests/conftest.py), and a frontend origin CORS allows."""
    shared_cache.CORS_ALLOWED_ORIGINS = [ALLOWED_ORIGIN]
    return shared_cache


def headers_of(response) -> dict[str, str]:
    return {name.lower(): value for name, value in response.items() if name.lower() not in PER_RESPONSE}


def test_a_hit_has_the_body_and_every_header_of_the_miss_that_stored_it_without_queries(
    client, shared_cache, make_article, django_assert_num_queries
):
    make_article("Chronic stress", topics=["Stress"])
    miss = client.get("/api/v1/articles/", {"topic": "stress"})

    with django_assert_num_queries(0):
        hit = client.get("/api/v1/articles/", {"topic": "stress"})

    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert hit.status_code == 200
    assert hit.content == miss.content
    assert headers_of(hit) == headers_of(miss)
    assert hit["Content-Type"] == "application/json; charset=utf-8"
    assert hit["Vary"] == "Accept, Accept-Encoding, Origin"
    assert hit["X-Frame-Options"] == "DENY"
    assert hit["ETag"] == miss["ETag"]
    assert hit.json()["results"][0]["slug"] == "chronic-stress"


def test_a_hit_skips_the_view_layer_entirely(client, shared_cache, make_article, monkeypatch):
    make_article("Chronic stress")
    miss = client.get("/api/v1/articles/chronic-stress/")

    def fail(*args, **kwargs):
        raise AssertionError("a hit must not reach the view")

    monkeypatch.setattr("api.views.articles.ArticleDetailView.dispatch", fail)
    hit = client.get("/api/v1/articles/chronic-stress/")

    assert hit["X-Cache"] == "HIT"
    assert hit.content == miss.content


def test_a_matching_if_none_match_on_a_hit_is_a_304(
    client, shared_cache, make_article, django_assert_num_queries
):
    make_article("Chronic stress")
    miss = client.get("/api/v1/articles/chronic-stress/")
    etag = miss["ETag"]

    with django_assert_num_queries(0):
        not_modified = client.get("/api/v1/articles/chronic-stress/", HTTP_IF_NONE_MATCH=etag)
        weak = client.get("/api/v1/articles/chronic-stress/", HTTP_IF_NONE_MATCH=f"W/{etag}")

    assert (not_modified.status_code, weak.status_code) == (304, 304)
    assert not_modified.content == b""
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"] == miss["Cache-Control"]
    assert not_modified["Vary"] == miss["Vary"]
    assert "Content-Type" not in not_modified


def test_a_304_from_the_cache_matches_the_304_from_the_view(client, shared_cache, make_article, settings):
    make_article("Chronic stress")
    url = "/api/v1/articles/chronic-stress/"
    etag = client.get(url)["ETag"]
    settings.RESPONSE_CACHE_ENABLED = False
    from_view = client.get(url, HTTP_IF_NONE_MATCH=etag)
    settings.RESPONSE_CACHE_ENABLED = True

    from_cache = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert (from_view.status_code, from_cache.status_code) == (304, 304)
    assert from_cache["X-Cache"] == "HIT"
    assert headers_of(from_cache) == headers_of(from_view)


def test_a_conditional_miss_still_stores_the_full_response(client, shared_cache, make_article):
    make_article("Chronic stress")
    url = "/api/v1/articles/chronic-stress/"
    with_etag = client.get(url)
    shared_cache.RESPONSE_CACHE_KEY_PREFIX = f"test-rc-{uuid.uuid4().hex}"  # an empty cache again

    first = client.get(url, HTTP_IF_NONE_MATCH=with_etag["ETag"])
    second = client.get(url)

    assert first.status_code == 304
    assert second["X-Cache"] == "HIT"
    assert second.content == with_etag.content
    assert headers_of(second) == headers_of(with_etag)


def test_a_stale_if_none_match_gets_the_full_hit(client, shared_cache, make_article):
    make_article("Chronic stress")
    miss = client.get("/api/v1/articles/chronic-stress/")

    hit = client.get("/api/v1/articles/chronic-stress/", HTTP_IF_NONE_MATCH='"an-older-version"')

    assert (hit.status_code, hit["X-Cache"]) == (200, "HIT")
    assert hit.content == miss.content


def test_a_hit_carries_cors_headers_for_an_allowed_origin_only(client, shared_cache, make_article):
    make_article("Chronic stress")
    url = "/api/v1/articles/chronic-stress/"
    client.get(url, HTTP_ORIGIN=ALLOWED_ORIGIN)

    allowed = client.get(url, HTTP_ORIGIN=ALLOWED_ORIGIN)
    other = client.get(url, HTTP_ORIGIN="https://evil.example")

    assert (allowed["X-Cache"], other["X-Cache"]) == ("HIT", "HIT")
    assert allowed["Access-Control-Allow-Origin"] == ALLOWED_ORIGIN
    assert allowed["Access-Control-Expose-Headers"] == "ETag"
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Expose-Headers" not in other
    assert other.content == allowed.content


def test_a_hit_is_gzipped_for_clients_that_accept_it_like_the_miss(client, shared_cache, make_article):
    make_article("Chronic stress")
    url = "/api/v1/articles/chronic-stress/"
    miss = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get(url)

    assert (miss["X-Cache"], hit["X-Cache"]) == ("MISS", "HIT")
    assert hit["Content-Encoding"] == "gzip"
    assert hit["ETag"] == miss["ETag"] == f"W/{plain['ETag']}"
    assert gzip.decompress(hit.content) == gzip.decompress(miss.content) == plain.content


def test_an_invalid_query_is_never_answered_from_a_valid_ones_entry(client, shared_cache, make_article):
    make_article("Chronic stress", topics=["Stress"])
    valid = client.get("/api/v1/articles/?page_size=1&topic=stress")
    assert valid.status_code == 200

    # Once decoded, these values spell the valid query: the cache key must still differ.
    smuggled = client.get("/api/v1/articles/?page_size=1%26topic%3Dstress")
    unknown = client.get("/api/v1/articles/?page_size=1&topic=stress&colour=red")
    repeated = client.get("/api/v1/articles/?page_size=1&page_size=1&topic=stress")

    assert [r.status_code for r in (smuggled, unknown, repeated)] == [400, 400, 400]
    assert smuggled.json()["error"]["fields"].keys() == {"page_size"}
    assert unknown.json()["error"]["fields"].keys() == {"colour"}
    assert repeated.json()["error"]["fields"] == {"page_size": ["Give 'page_size' only once."]}
    assert all("X-Cache" not in r for r in (smuggled, unknown, repeated))
    assert client.get("/api/v1/articles/?page_size=1&topic=stress&colour=red").status_code == 400


def test_the_same_query_in_another_order_is_the_same_entry(client, shared_cache, make_article):
    make_article("Chronic stress", topics=["Stress"])
    make_article("Burnout", topics=["Work"])
    first = client.get("/api/v1/articles/?topic=stress&page_size=1&topic=work")
    reordered = client.get("/api/v1/articles/?page_size=1&topic=work&topic=stress")

    assert (first["X-Cache"], reordered["X-Cache"]) == ("MISS", "HIT")
    assert reordered.content == first.content
    assert client.get("/api/v1/articles/?page_size=2&topic=work&topic=stress")["X-Cache"] == "MISS"


def test_a_client_not_accepting_json_still_gets_the_406(client, shared_cache, make_article):
    make_article("Chronic stress")
    client.get("/api/v1/articles/chronic-stress/")

    refused = client.get("/api/v1/articles/chronic-stress/", HTTP_ACCEPT="text/html")
    accepted = client.get("/api/v1/articles/chronic-stress/", HTTP_ACCEPT="text/html, application/json;q=0.9")

    assert refused.status_code == 406
    assert "X-Cache" not in refused
    assert (accepted.status_code, accepted["X-Cache"]) == (200, "HIT")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("", True),
        ("*/*", True),
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("text/html,application/xhtml+xml,*/*;q=0.8", True),
        ("text/html", False),
        ("application/xml, text/plain", False),
    ],
)
def test_accepts_json_follows_drfs_negotiation(accept, expected):
    assert accepts_json(accept) is expected


def test_previews_and_personal_endpoints_are_not_looked_up(client, shared_cache, make_article, monkeypatch):
    make_article("Chronic stress")
    looked_up: list[str] = []
    cache_key = response_cache.cache_key

    def recording_cache_key(request):
        key = cache_key(request)
        if key is not None:
            looked_up.append(request.path)
        return key

    monkeypatch.setattr(response_cache, "cache_key", recording_cache_key)
    client.get("/api/v1/preview/", {"content_type": "blog.articlepage", "token": "x"})
    client.get("/api/v1/articles/chronic-stress/comments/")
    client.post("/api/v1/articles/", {})
    client.get("/api/v1/articles/chronic-stress/")

    assert looked_up == ["/api/v1/articles/chronic-stress/"]


def test_a_signed_in_editor_gets_the_same_public_hit(client, shared_cache, make_article, admin_user):
    make_article("Chronic stress")
    anonymous = client.get("/api/v1/articles/chronic-stress/")
    editor = Client()
    editor.force_login(admin_user)

    hit = editor.get("/api/v1/articles/chronic-stress/")

    assert hit["X-Cache"] == "HIT"
    assert hit.content == anonymous.content
    assert "Set-Cookie" not in hit


def test_a_hit_is_one_cache_read_while_nothing_changes(client, shared_cache, make_article, monkeypatch):
    make_article("Chronic stress", topics=["Stress"])
    client.get("/api/v1/articles/")
    client.get("/api/v1/articles/")
    cache = response_cache._cache()
    calls: list[str] = []
    depth = [0]

    def recording(name, method):
        # Only the calls api.response_cache makes: LocMemCache's get_many calls its own get per key.
        def call(*args, **kwargs):
            if depth[0] == 0:
                calls.append(name)
            depth[0] += 1
            try:
                return method(*args, **kwargs)
            finally:
                depth[0] -= 1

        return call

    for name in ("get", "get_many", "set", "set_many", "add"):
        monkeypatch.setattr(cache, name, recording(name, getattr(cache, name)))

    hit = client.get("/api/v1/articles/")

    assert hit["X-Cache"] == "HIT"
    assert calls == ["get_many"]


def test_when_the_versions_copy_lapses_the_row_is_read_once_and_the_entry_still_answers(
    client, shared_cache, practice, make_article, django_assert_num_queries
):
    make_article("Chronic stress")
    lapse = lambda: response_cache._cache().delete(response_cache._version_key())  # noqa: E731
    lapse()  # the copy a commit would have made: the first request copies the row
    miss = client.get("/api/v1/articles/chronic-stress/")
    lapse()  # what VERSION_TTL does

    with django_assert_num_queries(1):  # the content version's row
        hit = client.get("/api/v1/articles/chronic-stress/")
    with django_assert_num_queries(0):  # the copy is back
        again = client.get("/api/v1/articles/chronic-stress/")

    assert (miss["X-Cache"], hit["X-Cache"], again["X-Cache"]) == ("MISS", "HIT", "HIT")
    assert hit.content == again.content == miss.content


def test_a_change_whose_copy_never_reached_the_cache_is_served_once_the_copy_lapses(
    client, shared_cache, practice, make_article
):
    article = make_article("Chronic stress")
    client.get("/api/v1/articles/chronic-stress/")
    # A change committed while the cache was unreachable: the row has a new token, the
    # cache neither the token nor the change.
    ArticlePage.objects.filter(pk=article.pk).update(title="Chronic stress, revised")
    ContentVersion.objects.filter(pk=1).update(token="changed-during-an-outage")
    response_cache._cache().delete(response_cache._version_key())

    fresh = client.get("/api/v1/articles/chronic-stress/")

    assert fresh["X-Cache"] == "MISS"
    assert fresh.json()["title"] == "Chronic stress, revised"


def test_the_api_answers_from_the_database_when_the_cache_server_is_down(client, shared_cache, make_article):
    unreachable_cache(shared_cache, "api-down")
    shared_cache.RESPONSE_CACHE_ALIAS = "api-down"
    make_article("Chronic stress")

    first = client.get("/api/v1/articles/chronic-stress/")
    second = client.get("/api/v1/articles/chronic-stress/")
    conditional = client.get("/api/v1/articles/chronic-stress/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert [r.status_code for r in (first, second, conditional)] == [200, 200, 304]
    assert [r["X-Cache"] for r in (first, second)] == ["MISS", "MISS"]
    assert second.content == first.content
    assert first.json()["slug"] == "chronic-stress"


def test_a_head_hit_has_the_headers_of_the_get_without_a_body(client, shared_cache, make_article):
    make_article("Chronic stress")
    get = client.get("/api/v1/articles/chronic-stress/")

    head = client.head("/api/v1/articles/chronic-stress/")

    assert head.status_code == 200
    assert head["X-Cache"] == "HIT"
    assert head.content == b""
    assert headers_of(head) == headers_of(get)


def test_a_response_built_while_its_article_changed_is_served_but_not_stored(
    client, shared_cache, make_article, monkeypatch, django_capture_on_commit_callbacks
):
    """An editor publishes between the view reading the article and the response being
    stored: that response predates the change, so it must not be served under the content
    version that already follows it (it would be served stale until the next change)."""
    article = make_article("Chronic stress")
    url = "/api/v1/articles/chronic-stress/"
    read_article = selectors.api_article

    def publish_meanwhile(*args, **kwargs):
        found = read_article(*args, **kwargs)
        page = ArticlePage.objects.get(pk=article.pk)
        page.title = "Chronic stress, explained"
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return found

    monkeypatch.setattr(selectors, "api_article", publish_meanwhile)
    during = client.get(url)
    monkeypatch.setattr(selectors, "api_article", read_article)

    assert (during["X-Cache"], during.json()["title"]) == ("MISS", "Chronic stress")
    after = client.get(url)
    assert (after["X-Cache"], after.json()["title"]) == ("MISS", "Chronic stress, explained")
    again = client.get(url)
    assert (again["X-Cache"], again.json()["title"]) == ("HIT", "Chronic stress, explained")
