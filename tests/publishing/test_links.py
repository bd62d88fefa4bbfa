"""The broken-link report: links in live pages to pages that are gone or not public, and to
websites answering 4xx/5xx, found by the task worker (on publish and by the daily full check,
never while a page is served) under the webhooks' destination rules, listed in a Wagtail
report that sorts and exports."""

import csv
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from blog.blocks import ArticleStreamBlock
from blog.models import ArticlePage, StandardPage
from publishing import links
from publishing.models import PageLink
from tests.conftest import body_json

# The test server's port: in this suite's range of local ports, first free one.
PORTS = range(8740, 8760)


class Site:
    """A small website on 127.0.0.1: /ok 200, /gone 404, /broken 500, /no-head 405 to HEAD
    (200 to GET), /moved 301 → /ok, /loop 301 → itself. Records every request."""

    def __init__(self):
        self.requests: list[tuple[str, str]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                site.requests.append((self.command, self.path))
                status, location = {
                    "/ok": (200, None),
                    "/gone": (404, None),
                    "/broken": (500, None),
                    "/moved": (301, "/ok"),
                    "/loop": (301, "/loop"),
                }.get(self.path, (404, None))
                if self.path == "/no-head":
                    status = 405 if self.command == "HEAD" else 200
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_HEAD = do_GET = _answer

            def log_message(self, *args):
                pass

        for port in PORTS:
            try:
                self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
                break
            except OSError:
                continue
        else:
            pytest.skip("no free port in 8740-8759")
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def web(settings):
    settings.LINK_CHECK_ON_PUBLISH = True
    site = Site()
    yield site
    site.stop()


def test_the_test_settings_allow_a_local_website_and_production_does_not():
    assert "127.0.0.0/8" in django_settings.OUTBOUND_ALLOWED_NETWORKS


@pytest.fixture
def pages(home, make_article):
    """A live target, a draft, and a deleted page to link to."""
    target = make_article("Chronic stress")
    draft = make_article("Unfinished", live=False)
    doomed = StandardPage(title="Old fees", slug="old-fees")
    home.add_child(instance=doomed)
    doomed.save_revision().publish()
    doomed_id = doomed.pk
    doomed.delete()
    return target, draft, doomed_id


def linking_body(web, target, draft, doomed_id):
    return body_json(
        (
            "paragraph",
            f'<p>See <a linktype="page" id="{target.pk}">stress</a>, '
            f'<a linktype="page" id="{draft.pk}">a draft</a>, '
            f'<a linktype="page" id="{doomed_id}">old fees</a>, '
            f'<a href="{web.url("/ok")}">a good site</a>, <a href="{web.url("/gone")}">a dead one</a>, '
            f'<a href="{web.url("/no-head")}">a fussy one</a>, '
            f'<a href="{web.url("/moved")}">a moved one</a>, '
            f'<a href="mailto:hello@example-practice.test">mail</a>.</p>',
        ),
        (
            "call_to_action",
            {
                "heading": "Call us",
                "text": "<p>Any time.</p>",
                "button_label": "Go",
                "page": None,
                "url": web.url("/broken"),
            },
        ),
        ("related_article", {"lead_in": "Not ready yet.", "article": draft.pk}),
    )


def rows(page) -> set[tuple]:
    return set(
        PageLink.objects.filter(page=page).values_list(
            "location", "kind", "url", "status", "status_code", "problem"
        )
    )


def label(block_type: str) -> str:
    """The label the report shows for a block type (editors rename blocks; tests follow)."""
    return str(ArticleStreamBlock().child_blocks[block_type].label)


NOT_PUBLIC = "The page it points to is not public (unpublished, expired, scheduled or restricted)."


def test_publishing_a_page_checks_its_links_in_the_worker(web, pages, make_article, publish):
    target, draft, doomed_id = pages
    article = make_article("Links", live=False, body=linking_body(web, target, draft, doomed_id))

    publish(ArticlePage.objects.get(pk=article.pk).save_revision().publish)

    assert rows(article) == {
        (label("paragraph"), "internal", "/blog/chronic-stress/", "ok", None, ""),
        (label("paragraph"), "internal", "/blog/unfinished/", "broken", None, NOT_PUBLIC),
        (
            label("paragraph"),
            "internal",
            f"(deleted page #{doomed_id})",
            "broken",
            None,
            "The page it points to was deleted.",
        ),
        (label("paragraph"), "external", web.url("/ok"), "ok", 200, ""),
        (label("paragraph"), "external", web.url("/gone"), "broken", 404, "HTTP 404 Not Found"),
        (label("paragraph"), "external", web.url("/no-head"), "ok", 200, ""),
        (label("paragraph"), "external", web.url("/moved"), "ok", 200, ""),
        (
            label("call_to_action"),
            "external",
            web.url("/broken"),
            "broken",
            500,
            "HTTP 500 Internal Server Error",
        ),
        (label("related_article"), "internal", "/blog/unfinished/", "broken", None, NOT_PUBLIC),
    }
    assert ("HEAD", "/no-head") in web.requests and ("GET", "/no-head") in web.requests
    texts = dict(PageLink.objects.filter(page=article, kind="external").values_list("url", "text"))
    assert texts[web.url("/gone")] == "a dead one"


def test_reading_a_page_never_checks_links(client, web, pages, make_article):
    target, draft, doomed_id = pages
    make_article("Links", body=linking_body(web, target, draft, doomed_id))  # published, no commit hooks
    PageLink.objects.all().delete()
    web.requests.clear()

    assert client.get("/blog/links/").status_code == 200
    assert client.get("/api/v1/articles/links/").status_code == 200

    assert web.requests == []
    assert PageLink.objects.count() == 0


def test_without_the_development_allowance_a_local_address_is_never_contacted(web, make_article, settings):
    settings.OUTBOUND_ALLOWED_NETWORKS = []
    article = make_article("Local", body=body_json(("paragraph", f'<p><a href="{web.url("/ok")}">x</a></p>')))

    links.check_pages([article.pk])

    [(status, problem)] = PageLink.objects.filter(page=article).values_list("status", "problem")
    assert status == "unchecked"
    assert problem == "Not checked: 127.0.0.1 is a loopback address, not a public internet address."
    assert web.requests == []


def test_a_redirect_loop_and_a_closed_port_are_reported(web, make_article):
    from tests.conftest import closed_port

    closed = f"http://127.0.0.1:{closed_port()}/x"
    article = make_article(
        "Loops",
        body=body_json(
            ("paragraph", f'<p><a href="{web.url("/loop")}">loop</a> <a href="{closed}">closed</a></p>')
        ),
    )
    links.check_pages([article.pk])
    found = {
        url: (status, problem)
        for url, status, problem in PageLink.objects.values_list("url", "status", "problem")
    }
    assert found == {
        web.url("/loop"): ("broken", "More than 5 redirects."),
        closed: ("unreachable", "The connection failed."),
    }


def test_unpublishing_a_page_rechecks_the_pages_linking_to_it(web, pages, make_article, publish):
    target, draft, doomed_id = pages
    article = make_article("Links", live=False, body=linking_body(web, target, draft, doomed_id))
    publish(ArticlePage.objects.get(pk=article.pk).save_revision().publish)
    assert (label("paragraph"), "internal", "/blog/chronic-stress/", "ok", None, "") in rows(article)

    publish(ArticlePage.objects.get(pk=target.pk).unpublish)

    assert (label("paragraph"), "internal", "/blog/chronic-stress/", "broken", None, NOT_PUBLIC) in rows(
        article
    )


def test_the_full_check_covers_every_live_page_and_forgets_pages_no_longer_live(web, make_article, publish):
    gone = body_json(("paragraph", f'<p><a href="{web.url("/gone")}">x</a></p>'))
    first = make_article("First", body=gone)
    second = make_article("Second", body=gone)
    out = io.StringIO()

    call_command("check_links", "--now", stdout=out)

    assert out.getvalue() == "Checked 2 links: 0 working, 2 broken, 0 unreachable, 0 not checked.\n"
    assert web.requests.count(("HEAD", "/gone")) == 1  # one request per distinct URL
    assert set(PageLink.objects.values_list("page_id", "status_code")) == {(first.pk, 404), (second.pk, 404)}

    ArticlePage.objects.get(pk=second.pk).unpublish()
    out = io.StringIO()
    call_command("check_links", stdout=out)  # queued for the worker (run at once in tests)
    assert out.getvalue() == "Queued a check of every link on the live site.\n"
    assert set(PageLink.objects.values_list("page_id", flat=True)) == {first.pk}


def test_the_daily_full_check_is_scheduled():
    assert {"name": "check_links", "command": "check_links", "every_seconds": 86400} in (
        django_settings.SCHEDULED_COMMANDS
    )


# --- The report ------------------------------------------------------------------------------


@pytest.fixture
def checked(web, pages, make_article):
    target, draft, doomed_id = pages
    article = make_article("Links", body=linking_body(web, target, draft, doomed_id))
    links.check_pages([article.pk])
    return article


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_user("editor", "editor@example-practice.test", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def test_the_report_lists_broken_and_unreachable_links_only(editor, checked, web):
    response = editor.get(reverse("broken_links_report"))
    assert response.status_code == 200
    html = response.content.decode()
    for broken in (web.url("/gone"), web.url("/broken"), "/blog/unfinished/", "(deleted page #"):
        assert broken in html, broken
    assert web.url("/ok") not in html
    assert "HTTP 404 Not Found" in html
    assert reverse("wagtailadmin_pages:edit", args=[checked.pk]) in html
    listed = list(response.context["object_list"])
    assert len(listed) == 5 and all(link.status != "ok" for link in listed)


def test_the_report_sorts_by_its_columns(editor, checked, web):
    by_link = editor.get(reverse("broken_links_report"), {"ordering": "url"}).context["object_list"]
    assert [link.url for link in by_link] == sorted(link.url for link in by_link)
    by_status = editor.get(reverse("broken_links_report"), {"ordering": "-status_code"}).context[
        "object_list"
    ]
    assert by_status[0].status_code == 500


def test_the_report_exports_as_csv(editor, checked, web):
    response = editor.get(reverse("broken_links_report"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="broken-links-')
    body = b"".join(response.streaming_content).decode()
    table = list(csv.DictReader(io.StringIO(body)))
    assert list(table[0]) == [
        "Page",
        "Page URL",
        "Link",
        "Link to",
        "Where",
        "Link text",
        "Result",
        "HTTP status",
        "Problem",
        "Last checked",
    ]
    gone = next(row for row in table if row["Link"] == web.url("/gone"))
    assert gone["Page"] == "Links"
    assert gone["Page URL"] == "https://www.example-practice.test/blog/links/"
    assert (gone["Link to"], gone["Where"], gone["Link text"]) == (
        "Other website",
        label("paragraph"),
        "a dead one",
    )
    assert (gone["Result"], gone["HTTP status"], gone["Problem"]) == ("Broken", "404", "HTTP 404 Not Found")
    assert len(table) == 5


def test_the_report_filters_by_problem(editor, checked, web):
    internal = editor.get(reverse("broken_links_report"), {"kind": "internal"}).context["object_list"]
    assert {link.kind for link in internal} == {"internal"} and len(internal) == 3


def test_someone_who_cannot_edit_pages_cannot_open_the_report(client, checked):
    user = get_user_model().objects.create_user("viewer", "viewer@example-practice.test", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("broken_links_report")).status_code in (302, 403)
