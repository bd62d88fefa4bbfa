"""The import is one batch (``publishing.bulk``): what each publish would announce is done
once at its end, and still done: search finds the imported articles, the API's content version
changes, one webhook event lists the new paths. Imported live posts stay live under the
clinical review, with no review recorded and no workflow started."""

import io
import socket

import pytest
from django.core.management import call_command
from wagtail.models import ReferenceIndex, WorkflowState

from api.models import ContentVersion
from blog.models import ArticlePage, Topic
from blog.review import ensure_clinical_review
from publishing.models import WebhookDelivery, WebhookEndpoint
from readers.models import Comment
from tests.wpimport.wxr_factory import C, P, wxr

EXPORT = wxr(
    [
        P(10, "Burnout signs", slug="burnout-signs", content="<p>Burnout builds slowly.</p>",
          categories=[("stress", "Stress")], comments=[C(1, "Maria", content="This helped.")]),
        P(11, "Sleep and worry", slug="sleep-and-worry", content="<p>Worry keeps people awake.</p>"),
        P(12, "A draft", slug="a-draft", status="draft", content="<p>Not yet.</p>"),
    ]
)  # fmt: skip


def run(tmp_path, *args) -> str:
    path = tmp_path / "export.xml"
    path.write_bytes(EXPORT)
    out = io.StringIO()
    call_command("import_wordpress", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


def test_search_finds_the_imported_articles_after_the_import(tmp_path, blog_index):
    run(tmp_path)

    found = [page.slug for page in ArticlePage.objects.live().search("burnout")]
    assert found == ["burnout-signs"]
    assert [page.slug for page in ArticlePage.objects.live().search("worry")] == ["sleep-and-worry"]


def test_wagtails_reference_index_records_the_imported_articles_and_comments(tmp_path, blog_index):
    run(tmp_path)

    article = ArticlePage.objects.get(slug="burnout-signs")
    stress = Topic.objects.get(slug="stress")
    assert ReferenceIndex.get_references_to(stress).filter(object_id=str(article.pk)).exists()
    assert ReferenceIndex.get_references_to(article.author).count() == 3  # each article's author
    comment = Comment.objects.get(article=article)
    assert ReferenceIndex.get_references_to(article).filter(object_id=str(comment.pk)).exists()


def test_the_content_version_changes_once_and_the_api_lists_the_new_articles(
    tmp_path, blog_index, client, django_capture_on_commit_callbacks
):
    assert client.get("/api/v1/articles/").json()["results"] == []
    before = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True):
        run(tmp_path)

    assert ContentVersion.objects.get(pk=1).token != before
    listed = [item["slug"] for item in client.get("/api/v1/articles/").json()["results"]]
    assert sorted(listed) == ["burnout-signs", "sleep-and-worry"]


def test_one_webhook_event_announces_the_whole_import(
    tmp_path, blog_index, closed_port_url, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    WebhookEndpoint.objects.create(name="Frontend", url=closed_port_url, events=["page.published"])

    with django_capture_on_commit_callbacks(execute=True):
        run(tmp_path)

    payload = WebhookDelivery.objects.get().payload
    assert (payload["event"], payload["object"]) == (
        "page.published",
        {
            "type": "page",
            "id": blog_index.pk,
            "content_type": "blog.blogindexpage",
            "title": "Blog",
            "slug": "blog",
            "path": "/blog/",
            "previous_path": None,
        },
    )
    assert {"/blog/", "/blog/burnout-signs/", "/blog/sleep-and-worry/", "/blog/topics/stress/"} <= set(
        payload["paths"]
    )
    assert "/blog/a-draft/" not in payload["paths"]


def test_a_dry_run_announces_nothing(
    tmp_path, blog_index, closed_port_url, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(name="Frontend", url=closed_port_url, events=["page.published"])
    before = ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run(tmp_path, "--dry-run")

    assert callbacks == []
    assert WebhookDelivery.objects.count() == 0
    assert ContentVersion.objects.filter(pk=1).values_list("token", flat=True).first() == before
    assert list(ArticlePage.objects.live().search("burnout")) == []


def test_imported_live_posts_stay_live_under_the_clinical_review_with_no_review_recorded(
    tmp_path, blog_index, client
):
    workflow = ensure_clinical_review(blog_index)

    run(tmp_path)

    article = ArticlePage.objects.get(slug="burnout-signs")
    assert article.get_workflow() == workflow  # the review applies to it
    assert (article.live, article.has_unpublished_changes) == (True, False)
    assert (article.reviewer_id, article.last_reviewed, article.review_body_hash) == (None, None, "")
    assert not WorkflowState.objects.filter(page__in=ArticlePage.objects.all()).exists()
    assert ArticlePage.objects.get(slug="a-draft").current_workflow_state is None

    data = client.get("/api/v1/articles/burnout-signs/").json()
    assert (data["slug"], data["reviewed_by"], data["last_reviewed"]) == ("burnout-signs", None, None)
    assert data["review"] == {
        "reviewer": None,
        "reviewed_at": None,
        "next_review_due": None,
        "status": "never",
    }
