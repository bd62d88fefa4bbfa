"""HTTP behaviour of every GET: validators, caching, CORS, compression, offline docs."""

import gzip
import json
import re

import pytest

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=60, s-maxage=300, stale-while-revalidate=600"
ENDPOINTS = [
    "/api/v1/articles/",
    "/api/v1/articles/emotional-numbness/",
    "/api/v1/topics/",
    "/api/v1/topics/anxiety/",
    "/api/v1/authors/",
    "/api/v1/authors/maya-chen/",
    "/api/v1/site/",
    "/api/v1/resolve/?path=/blog/",
    "/api/v1/redirects/",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_every_get_has_an_etag_cache_control_and_answers_304_when_unchanged(client, content, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == PUBLIC
    assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"])
    assert {"Accept", "Accept-Encoding", "Origin"} <= {v.strip() for v in response["Vary"].split(",")}
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]
    assert again["Cache-Control"] == PUBLIC
    # A weak form of the same tag (as a CDN that gzipped it sends back) matches too.
    assert client.get(url, HTTP_IF_NONE_MATCH=f"W/{response['ETag']}").status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"stale"').status_code == 200


def test_publishing_changes_the_etag_of_responses_the_article_appears_in(client, content, make_article):
    before = {url: client.get(url)["ETag"] for url in ["/api/v1/articles/", "/api/v1/topics/"]}
    make_article("Fresh post", topics=["Trauma"])
    for url, etag in before.items():
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_errors_are_not_cached_as_content(client, content):
    response = client.get("/api/v1/articles/nope/")
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-cache"
    assert "ETag" in response


def test_head_answers_like_get_without_a_body(client, content):
    get = client.get("/api/v1/site/")
    head = client.head("/api/v1/site/")
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]


def test_the_frontend_origin_may_call_the_api_from_a_browser(client, content):
    origin = "https://frontend.example-practice.test"
    response = client.get("/api/v1/site/", HTTP_ORIGIN=origin)
    assert response["Access-Control-Allow-Origin"] == origin
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/v1/articles/", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    assert preflight["Access-Control-Allow-Origin"] == origin
    other = client.get("/api/v1/site/", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_responses_are_gzipped_when_the_client_accepts_it_and_compact(client, content):
    plain = client.get("/api/v1/articles/emotional-numbness/")
    assert b"\n" not in plain.content and b'": ' not in plain.content  # no pretty printing
    zipped = client.get("/api/v1/articles/emotional-numbness/", HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert zipped["ETag"].startswith("W/")


def test_the_docs_work_offline_with_local_assets_only(client, content):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/") or asset.startswith("/api/v1/schema/"), asset
    assert "cdn" not in html.lower()


def test_the_schema_is_served_as_json(client, content):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json") or response[
        "Content-Type"
    ].startswith("application/json")
    assert response.json()["openapi"].startswith("3.")
