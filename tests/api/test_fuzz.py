"""Whatever a client puts in the query string or the path, the API answers 200, 304, 400 or
404 in JSON: never a 500 or an HTML page."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

NAMES = st.sampled_from(["topic", "author", "search", "ordering", "page", "page_size", "path", "x", ""])
VALUES = st.text(max_size=40) | st.sampled_from(["0", "-1", "1e9", "999999999999", "%", "/", "//x", "\x00"])
ENDPOINTS = st.sampled_from(
    [
        "/api/v1/articles/",
        "/api/v1/topics/",
        "/api/v1/resolve/",
        "/api/v1/redirects/",
        "/api/v1/site/",
        "/api/v1/paths/",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=ENDPOINTS, params=st.lists(st.tuples(NAMES, VALUES), max_size=4))
def test_query_strings_never_break_the_api(client, blog_index, practice, endpoint, params):
    response = client.get(endpoint, data=_multi(params))
    assert response.status_code in (200, 400, 404), (endpoint, params, response.status_code)
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    if response.status_code != 200:
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.text(min_size=1, max_size=60).filter(lambda s: "/" not in s and "?" not in s and "#" not in s))
def test_garbage_in_paths_is_a_json_404(client, blog_index, slug):
    from urllib.parse import quote

    for prefix in ("/api/v1/articles/", "/api/v1/topics/", "/api/v1/authors/"):
        response = client.get(f"{prefix}{quote(slug)}/")
        assert response.status_code == 404, (prefix, slug)
        assert response.json()["error"]["code"] == "not_found"


def _multi(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data
