"""Security headers on every kind of response: rendered pages, the API, its docs, the admin
(including the preview iframe) and error pages; HSTS in production."""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from cms.security import PERMISSIONS_POLICY

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as directive -> sources."""
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        assert name not in directives, f"directive {name} given twice in {header!r}"
        directives[name] = values
    return directives


def assert_common_headers(response, *, frame_options="DENY"):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == frame_options


SCRIPT_TAG = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def assert_html_runs_under_the_site_policy(content: bytes):
    """What the strict site policy would block must not be in the page: inline script, inline
    event handlers, inline style attributes or blocks, scripts from other origins."""
    for attributes, body in SCRIPT_TAG.findall(content):
        type_ = re.search(rb'type="([^"]+)"', attributes)
        if type_ and type_.group(1) == b"application/ld+json":
            json.loads(body)  # a data block: valid JSON, never executed
            continue
        src = re.search(rb'src="([^"]+)"', attributes)
        assert src, f"inline script would be blocked by CSP: {attributes + body[:80]!r}"
        assert src.group(1).startswith(b"/"), f"script from another origin: {src.group(1)!r}"
    assert not re.search(rb"\son[a-z]+=", content), "inline event handler would be blocked"
    assert not re.search(rb"<style\b", content), "inline <style> would be blocked"
    assert not re.search(rb'\sstyle="', content), "inline style attribute would be blocked"


def test_rendered_pages_allow_no_inline_script_and_no_framing(client, home, practice):
    response = client.get("/")

    assert response.status_code == 200
    assert_common_headers(response)
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["frame-src"] == ["'none'"]
    # Images may come from the media host (a CDN in production).
    assert policy["img-src"] == ["'self'", "data:", settings.MEDIA_BASE_URL]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert_html_runs_under_the_site_policy(response.content)


def test_article_pages_keep_json_ld_as_data_and_run_under_the_site_policy(client, make_article, practice):
    article = make_article("Coping with stress", topics=["stress"])

    response = client.get(article.url)

    assert response.status_code == 200
    assert csp(response)["script-src"] == ["'self'"]
    assert b"application/ld+json" in response.content
    assert_html_runs_under_the_site_policy(response.content)


def test_error_pages_carry_the_same_headers(client, home, practice):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert_common_headers(response)
    assert csp(response)["script-src"] == ["'self'"]


def test_api_responses_have_a_deny_everything_policy(client):
    response = client.get("/api/v1/schema/")

    assert response.status_code == 200
    assert_common_headers(response)
    assert csp(response) == {
        "default-src": ["'none'"],
        "form-action": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }


def test_api_docs_load_their_scripts_from_this_host_only(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    policy = csp(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["frame-ancestors"] == ["'none'"]
    for attributes, body in SCRIPT_TAG.findall(response.content):
        src = re.search(rb'src="([^"]+)"', attributes)
        assert src and src.group(1).startswith(b"/static/"), (attributes, body[:80])


def test_admin_pages_get_the_admin_policy_and_load_only_own_assets(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert b"Dashboard" in response.content
    assert_common_headers(response)
    policy = csp(response)
    # Wagtail's widgets still use inline scripts; everything else is this host's own.
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["frame-src"]
    assert settings.CORS_ALLOWED_ORIGINS[0] in policy["frame-src"]
    for src in re.findall(rb'<script[^>]+src="([^"]+)"', response.content):
        assert src.startswith((b"/static/", b"/admin/jsi18n/")), src
    for href in re.findall(rb'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', response.content):
        assert href.startswith(b"/static/"), href


def test_admin_login_page_cannot_be_framed(client):
    response = client.get("/admin/login/")

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert csp(response)["frame-ancestors"] == ["'none'"]


def test_the_admin_preview_can_be_framed_by_the_admin_itself(admin_client, make_article, practice):
    article = make_article("Sleep and anxiety")
    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    edit = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert edit.status_code == 200

    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(response)["frame-ancestors"] == ["'self'"]


def test_production_settings_send_hsts_and_redirect_to_https(tmp_path):
    """Imports the real production settings in a fresh interpreter and requests a page."""
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client()\n"
        "plain = c.get('/api/v1/schema/')\n"
        "secure = c.get('/api/v1/schema/', secure=True)\n"
        "print(plain.status_code, plain.get('Location'))\n"
        "print(secure.status_code, secure.get('Strict-Transport-Security'))\n"
        "print(secure.get('Content-Security-Policy'))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", script],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    plain, secure, policy = result.stdout.strip().splitlines()[-3:]
    assert plain == "301 https://testserver/api/v1/schema/"
    assert secure == "200 max-age=31536000; includeSubDomains; preload"
    assert "upgrade-insecure-requests" not in policy  # the API policy loads nothing at all
    assert policy.startswith("default-src 'none'")


def test_a_posted_preview_can_be_framed_by_the_admin_even_though_it_renders_in_a_nested_request(
    admin_client, make_article, practice
):
    # The admin posts the editor's form to the preview URL, then loads it in an iframe; Wagtail
    # renders the draft through a nested request that passes through the whole middleware stack.
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    article = make_article("Sleep and anxiety")
    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    data = nested_form_data(
        {
            "title": "Sleep and anxiety (draft)",
            "slug": article.slug,
            "excerpt": "A draft excerpt.",
            "body": streamfield([("paragraph", rich_text("<p>Draft words.</p>"))]),
            "topics": "",
            "related_picks-TOTAL_FORMS": "0",
            "related_picks-INITIAL_FORMS": "0",
            "related_picks-MIN_NUM_FORMS": "0",
            "related_picks-MAX_NUM_FORMS": "4",
            "comments_enabled": "on",
        }
    )
    posted = admin_client.post(preview_url, data)
    assert posted.json()["is_valid"] is True

    response = admin_client.get(preview_url)

    assert response.status_code == 200
    assert b"Draft words." in response.content
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert csp(response)["frame-ancestors"] == ["'self'"]


def test_a_preview_rendered_through_a_nested_request_can_still_be_framed_by_the_admin(rf):
    """Wagtail renders a preview through a nested request, which already got the CSP with
    frame-ancestors 'none'; the preview view then relaxes X-Frame-Options to SAMEORIGIN."""
    from django.http import HttpResponse

    from cms.security import SecurityHeadersMiddleware

    def nested_then_relaxed(request):
        inner = SecurityHeadersMiddleware(lambda r: HttpResponse("preview"))(request)
        assert "frame-ancestors 'none'" in inner["Content-Security-Policy"]
        inner["X-Frame-Options"] = "SAMEORIGIN"
        return inner

    response = SecurityHeadersMiddleware(nested_then_relaxed)(rf.get("/admin/pages/3/edit/preview/"))

    policy = response["Content-Security-Policy"]
    assert policy.count("frame-ancestors") == 1
    assert policy.endswith("frame-ancestors 'self'")
