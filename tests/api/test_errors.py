"""Every error under /api/ is JSON in one shape; nothing a client sends gives a 500."""

import json

import pytest
from django.http import HttpResponse

pytestmark = pytest.mark.django_db


def invalid(field, message):
    return {"error": {"code": "invalid", "message": message, "fields": {field: [message]}}}


def test_an_unknown_query_parameter_is_a_400_naming_it(client, content):
    assert client.get("/api/v1/articles/?colour=blue").json() == invalid(
        "colour",
        "Unknown query parameter 'colour'. "
        "Known parameters: author, ordering, page, page_size, search, topic.",
    )
    assert client.get("/api/v1/topics/?page=1").json() == invalid(
        "page", "Unknown query parameter 'page'. Known parameters: none."
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("page=0", "page", "Must be at least 1, got 0."),
        ("page=abc", "page", "Must be a whole number, got 'abc'."),
        ("page=-1", "page", "Must be a whole number, got '-1'."),
        ("page=99999999999999999999", "page", "Must be a whole number, got '99999999999999999999'."),
        ("page_size=0", "page_size", "Must be between 1 and 100, got 0."),
        ("page_size=101", "page_size", "Must be between 1 and 100, got 101."),
        ("page_size=1e3", "page_size", "Must be a whole number, got '1e3'."),
        ("ordering=newest", "ordering", '"newest" is not a valid choice.'),
        ("author=a", "author", "Give 'author' only once."),
        (
            "topic=not%20a%20slug",
            "topic",
            'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.',
        ),
        ("search=%00", "search", "Values cannot contain NUL bytes."),
    ],
)
def test_malformed_list_parameters_are_400s_naming_the_parameter(client, content, query, field, message):
    if field == "author":
        query = "author=a&author=b"
    response = client.get(f"/api/v1/articles/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body["error"]["fields"]) == [field]
    assert message in " ".join(body["error"]["fields"][field])


def test_a_page_past_the_last_one_is_a_404_as_the_contract_says(client, content):
    response = client.get("/api/v1/articles/?page=5")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Page 5 does not exist; there are 1 pages."}
    }


def test_a_search_that_is_too_long_is_a_400(client, content):
    response = client.get("/api/v1/articles/", {"search": "x" * 201})
    assert response.json() == invalid("search", "Ensure this field has no more than 200 characters.")


def test_unknown_api_paths_are_json_404s(client, content):
    response = client.get("/api/v1/nothing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": {"code": "not_found", "message": "Nothing is at '/api/v1/nothing/'."}}


def test_garbage_slugs_are_404s(client, content):
    for slug in ["x" * 300, "..", "%F0%9F%92%A5", "a%00b", "DROP-TABLE"]:
        response = client.get(f"/api/v1/articles/{slug}/")
        assert response.status_code == 404, slug
        assert response.json()["error"]["code"] == "not_found"


def test_write_methods_are_405_in_the_error_shape(client, content):
    response = client.post("/api/v1/articles/", data="{}", content_type="application/json")
    assert response.status_code == 405
    assert response.json() == {
        "error": {"code": "method_not_allowed", "message": 'Method "POST" not allowed.'}
    }
    assert client.delete("/api/v1/site/").json()["error"]["code"] == "method_not_allowed"


def test_asking_for_anything_but_json_is_a_406_in_json(client, content):
    response = client.get("/api/v1/site/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["error"]["code"] == "not_acceptable"


def test_pages_outside_the_api_get_html_404s(client, content):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert b"Page not found" in response.content


def test_a_server_error_under_the_api_is_json(rf):
    from cms.views import handler500

    response = handler500(rf.get("/api/v1/site/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.content == (
        b'{"error":{"code":"server_error",'
        b'"message":"Something went wrong on our side. Please try again later."}}'
    )
    html = handler500(rf.get("/blog/"))
    assert html.status_code == 500 and b"Something went wrong" in html.content


def test_a_bug_in_a_view_becomes_a_json_500(client, content, monkeypatch):
    from blog import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "api_articles", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/articles/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"


def test_a_body_that_is_not_json_is_a_415_in_the_error_shape(client, content):
    response = client.post(
        "/api/v1/articles/emotional-numbness/comments/", data="name=x", content_type="text/plain"
    )
    assert response.status_code == 415
    assert response.json() == {
        "error": {
            "code": "unsupported_media_type",
            "message": 'Unsupported media type "text/plain" in request.',
        }
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing/",
        "/api/",
        "/api/v2/articles/",
        "/api/v1/articles/a%01b/",
        "/api/v1/topics/%E2%80%AE/",
    ],
)
def test_unknown_paths_and_refused_slugs_are_json_404s_even_with_debug_on(client, content, settings, path):
    """`make run` has DEBUG on, where Django answers a URL no pattern matches with its HTML
    debug page; the API's clients get the error shape there too."""
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    body = response.json()
    assert body == {"error": {"code": "not_found", "message": body["error"]["message"]}}
    assert body["error"]["message"].startswith("Nothing is at '/api/")


def test_a_bug_in_a_view_is_a_json_500_even_with_debug_on(client, content, monkeypatch, settings):
    from blog import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    settings.DEBUG = True
    monkeypatch.setattr(selectors, "api_articles", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/articles/")
    assert response.status_code == 500
    assert response.json() == {
        "error": {
            "code": "server_error",
            "message": "Something went wrong on our side. Please try again later.",
        }
    }
    assert b"boom" not in response.content


def test_an_error_from_outside_the_api_views_keeps_its_status_and_allow_header(rf):
    """Any non-JSON error under /api/ (a plain Django view's 405, say) is put in the shape."""
    from django.http import HttpResponseNotAllowed

    from api.error_middleware import ApiErrorShapeMiddleware

    middleware = ApiErrorShapeMiddleware(lambda request: HttpResponseNotAllowed(["GET", "HEAD"]))
    response = middleware(rf.put("/api/v1/anything/"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {
        "error": {"code": "method_not_allowed", "message": "Method not allowed."}
    }
    teapot = ApiErrorShapeMiddleware(lambda request: HttpResponse("short and stout", status=418))
    assert json.loads(teapot(rf.get("/api/v1/x/")).content) == {
        "error": {"code": "error", "message": "I'm a Teapot."}
    }
    html = ApiErrorShapeMiddleware(lambda request: HttpResponse("<p>gone</p>", status=410))
    assert html(rf.get("/blog/x/"))["Content-Type"] == "text/html; charset=utf-8"
