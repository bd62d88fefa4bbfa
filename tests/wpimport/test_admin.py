"""Settings › Import from WordPress: upload an export, the task worker's dry run and its report,
the confirmed import, and the screen's own rules (permission, validation, body limit, retention).

Tasks run inline in tests (the immediate backend); runs are queued on commit, so posts that
queue one run inside ``django_capture_on_commit_callbacks(execute=True)``."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.models import ArticlePage
from readers.models import Comment
from tests.wpimport.wxr_factory import BASE, C, P, wxr
from wpimport import runs
from wpimport.models import ExportChunk, ImportedObject, ImportRun, StoredExport

pytestmark = pytest.mark.django_db

URL = "/admin/wordpress-import/"
MB = 1024 * 1024


def items() -> list[P]:
    return [
        P(
            10,
            title="Burnout at work",
            slug="burnout-at-work",
            content="<!-- wp:paragraph --><p>Rest is part of the work.</p><!-- /wp:paragraph -->",
            categories=[("anxiety", "Anxiety")],
            comments=[C(1, author="Sam", email="sam@example.com", content="This helped.")],
        ),
        P(11, title="Coming soon", slug="coming-soon", status="draft", content="<p>Soon.</p>"),
        P(12, title="Old", slug="old", status="trash", content="<p>Gone.</p>"),
    ]


def export_file(data: bytes | None = None, name: str = "practice.WordPress.2026-12-01.xml"):
    return SimpleUploadedFile(name, wxr(items()) if data is None else data, content_type="text/xml")


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("owner", "owner@practice.test", "pw-for-tests")
    client.force_login(user)
    return client


@pytest.fixture
def moderator(django_user_model):
    user = django_user_model.objects.create_user(username="mod", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def upload(client, capture, file=None, **fields):
    with capture(execute=True):
        return client.post(URL, {"export": file or export_file(), **fields})


def run_page(client, run: ImportRun) -> str:
    response = client.get(reverse("wordpress_import_run", args=[run.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    return response.content.decode()


def table_rows(html: str) -> dict[str, list[int]]:
    """The report's counts table: kind -> [created, updated, unchanged, skipped]."""
    rows = re.findall(r'<tr data-kind="(\w+)">\s*<th scope="row">\w+</th>((?:\s*<td>\d+</td>){4})', html)
    return {kind: [int(n) for n in re.findall(r"\d+", cells)] for kind, cells in rows}


def counts(run: ImportRun, kind: str) -> dict[str, int]:
    return run.report["counts"][kind]


# --- Permission --------------------------------------------------------------------------------


def test_staff_without_the_import_permission_are_turned_away_and_queue_nothing(
    client, moderator, blog_index, django_capture_on_commit_callbacks
):
    client.force_login(moderator)

    get = client.get(URL)
    post = upload(client, django_capture_on_commit_callbacks)

    for response in (get, post):
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert StoredExport.objects.count() == 0
    assert ImportRun.objects.count() == 0
    assert '"label": "Import from WordPress"' not in client.get("/admin/").content.decode()


def test_the_import_permission_opens_the_screen_to_a_group_and_shows_the_menu_item(
    client, moderator, blog_index
):
    moderators = Group.objects.get(name="Moderators")
    moderators.permissions.add(
        Permission.objects.get(content_type__app_label="wpimport", codename="run_import")
    )
    client.force_login(moderator)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" enctype="multipart/form-data" novalidate>' in html
    assert 'name="export"' in html and 'name="uploads"' in html and 'name="overwrite"' in html
    assert "At most 50 MB." in html
    sidebar = client.get("/admin/").content.decode()
    assert '"label": "Import from WordPress"' in sidebar
    assert f'"url": "{URL}"' in sidebar


def test_the_permission_is_offered_when_editing_a_group(superuser_client):
    moderators = Group.objects.get(name="Moderators")

    html = superuser_client.get(f"/admin/groups/edit/{moderators.pk}/").content.decode()

    assert "Can import WordPress exports" in html


# --- Upload validation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"export": ""}, "export", "This field is required."),
        (
            {"export": SimpleUploadedFile("posts.csv", b"id,title\n", content_type="text/csv")},
            "export",
            "Upload the .xml file WordPress exported.",
        ),
        ({"uploads": "../.."}, "uploads", "The uploads folder must be inside {root}."),
        ({"uploads": "missing"}, "uploads", "There is no folder {root}/missing on the server."),
    ],
)
def test_invalid_uploads_are_form_errors_and_store_nothing(
    superuser_client,
    blog_index,
    tmp_path,
    settings,
    django_capture_on_commit_callbacks,
    fields,
    field,
    message,
):
    settings.WORDPRESS_UPLOADS_ROOT = str(tmp_path)
    data = {"export": export_file(), **fields}
    if data["export"] == "":
        del data["export"]

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(URL, data)

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message.format(root=tmp_path.resolve())]}
    assert StoredExport.objects.count() == ExportChunk.objects.count() == ImportRun.objects.count() == 0


def test_without_an_uploads_root_the_folder_field_is_refused(
    superuser_client, blog_index, settings, django_capture_on_commit_callbacks
):
    settings.WORDPRESS_UPLOADS_ROOT = ""

    response = upload(superuser_client, django_capture_on_commit_callbacks, uploads="wp-content/uploads")

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "uploads": ["Images cannot be brought from the server: WORDPRESS_UPLOADS_ROOT is not set."]
    }


# --- Dry run, report, import --------------------------------------------------------------------


def test_the_dry_run_reports_what_the_import_would_do_and_writes_nothing(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    articles = ArticlePage.objects.count()

    response = upload(superuser_client, django_capture_on_commit_callbacks)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("wordpress_import_run", args=[run.pk])
    assert (run.kind, run.status, run.error, run.done, run.total) == ("dry-run", "done", "", 3, 3)
    assert run.started_by.username == "owner"
    assert run.started_at is not None and run.finished_at >= run.started_at
    assert run.report["dry_run"] is True
    assert counts(run, "post") == {"created": 2, "updated": 0, "unchanged": 0, "skipped": 1}
    assert counts(run, "comment") == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    assert counts(run, "topic") == {"created": 1, "updated": 0, "unchanged": 0, "skipped": 0}
    # Nothing written: no article, comment or import record, and the stored export is kept.
    assert ArticlePage.objects.count() == articles
    assert Comment.objects.count() == 0
    assert ImportedObject.objects.count() == 0
    assert run.export.name == "practice.WordPress.2026-12-01.xml"
    assert run.export.size == len(wxr(items()))

    html = run_page(superuser_client, run)
    assert "Dry run: done" in html
    assert "Nothing was written." in html
    assert table_rows(html)["post"] == [2, 0, 0, 1]
    assert table_rows(html)["comment"] == [1, 0, 0, 0]
    assert list(table_rows(html)) == [
        "post",
        "page",
        "image",
        "comment",
        "topic",
        "author",
        "redirect",
        "document",
    ]
    assert f'action="{reverse("wordpress_import_confirm", args=[run.pk])}"' in html
    assert '<meta http-equiv="refresh"' not in html
    assert "sam@example.com" not in html  # commenters' emails never shown


def test_confirming_imports_the_same_export_and_shows_the_final_report(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    upload(superuser_client, django_capture_on_commit_callbacks)
    dry_run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(reverse("wordpress_import_confirm", args=[dry_run.pk]))

    run = ImportRun.objects.exclude(pk=dry_run.pk).get()
    assert response["Location"] == reverse("wordpress_import_run", args=[run.pk])
    assert (run.kind, run.status, run.export_id, run.report["dry_run"]) == (
        "import",
        "done",
        dry_run.export_id,
        False,
    )
    assert run.report["counts"] == dry_run.report["counts"]
    article = ArticlePage.objects.get(slug="burnout-at-work")
    assert article.live and article.owner.username == "owner"
    assert [t.slug for t in article.topics.all()] == ["anxiety"]
    assert ArticlePage.objects.get(slug="coming-soon").live is False
    assert not ArticlePage.objects.filter(slug="old").exists()
    assert list(Comment.objects.values_list("name", "body", "status")) == [
        ("Sam", "This helped.", "approved")
    ]

    html = run_page(superuser_client, run)
    assert "Import: done" in html and "The import has finished" in html
    assert table_rows(html)["post"] == [2, 0, 0, 1]
    assert "wordpress_import_confirm" not in html and ">Import</button>" not in html
    dry_html = run_page(superuser_client, dry_run)
    assert ">Import</button>" not in dry_html
    assert (
        f'href="{reverse("wordpress_import_run", args=[run.pk])}">See the import of this export' in dry_html
    )

    # A second click starts no second import.
    again = superuser_client.post(reverse("wordpress_import_confirm", args=[dry_run.pk]))
    assert again["Location"] == reverse("wordpress_import_run", args=[run.pk])
    assert ImportRun.objects.count() == 2

    # The site shows the imported article.
    page = superuser_client.get(article.url)
    assert page.status_code == 200
    assert "Rest is part of the work." in page.content.decode()


def test_importing_the_same_export_again_reports_everything_unchanged(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    upload(superuser_client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(reverse("wordpress_import_confirm", args=[ImportRun.objects.get().pk]))
    articles = ArticlePage.objects.count()

    upload(superuser_client, django_capture_on_commit_callbacks)

    second = ImportRun.objects.order_by("pk").last()
    assert (second.kind, second.status) == ("dry-run", "done")
    assert counts(second, "post") == {"created": 0, "updated": 0, "unchanged": 2, "skipped": 1}
    assert counts(second, "comment") == {"created": 0, "updated": 0, "unchanged": 1, "skipped": 0}
    assert table_rows(run_page(superuser_client, second))["post"] == [0, 0, 2, 1]
    assert ArticlePage.objects.count() == articles


def test_only_a_finished_dry_run_can_be_confirmed(superuser_client, blog_index):
    export = StoredExport.objects.create(name="x.xml", size=1)
    queued = ImportRun.objects.create(export=export, kind="dry-run")
    failed = ImportRun.objects.create(export=export, kind="dry-run", status="failed", error="Broken.")
    done_import = ImportRun.objects.create(export=export, kind="import", status="done", report={})

    for run in (queued, failed, done_import):
        assert superuser_client.post(reverse("wordpress_import_confirm", args=[run.pk])).status_code == 404
    assert superuser_client.get(reverse("wordpress_import_confirm", args=[queued.pk])).status_code == 405
    assert ImportRun.objects.count() == 3


def test_a_broken_export_fails_with_one_clear_line_and_imports_nothing(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    truncated = wxr(items())[:-200]

    upload(superuser_client, django_capture_on_commit_callbacks, file=export_file(truncated))

    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.report is None
    assert "\n" not in run.error and run.error
    html = run_page(superuser_client, run)
    assert f'<p class="error-message" role="alert" data-import-error>{run.error}</p>' in html
    assert "Nothing was imported." in html
    assert ">Import</button>" not in html
    assert ArticlePage.objects.filter(slug="burnout-at-work").count() == 0


def test_an_unexpected_error_is_one_line_and_the_details_go_to_the_log(
    superuser_client, blog_index, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runs, "import_wordpress", explode)

    upload(superuser_client, django_capture_on_commit_callbacks)

    run = ImportRun.objects.get()
    assert (run.status, run.error) == ("failed", runs.UNEXPECTED_ERROR)
    assert "disk on fire" in caplog.text
    assert "disk on fire" not in run_page(superuser_client, run)


def test_a_queued_run_waits_for_the_worker_and_the_page_refreshes_itself(superuser_client, blog_index):
    upload_response = superuser_client.post(URL, {"export": export_file()})  # not committed: stays queued

    run = ImportRun.objects.get()
    assert upload_response["Location"] == reverse("wordpress_import_run", args=[run.pk])
    html = run_page(superuser_client, run)
    assert run.status == "queued"
    assert "Waiting for the task worker to start it." in html
    assert '<meta http-equiv="refresh" content="2">' in html
    assert "data-import-waiting" not in html
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert "Still waiting after a minute: is the task worker running?" in run_page(superuser_client, run)


def test_a_running_run_shows_the_workers_progress(superuser_client, blog_index):
    export = StoredExport.objects.create(name="x.xml", size=1)
    run = ImportRun.objects.create(export=export, kind="import", status="running")
    cache.set(runs.progress_key(run.pk), (30, 120))

    html = run_page(superuser_client, run)

    assert "30 of 120 items of the export (25%)" in html
    assert '<progress id="import-progress" max="120" value="30">25%</progress>' in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_the_worker_reports_progress_item_by_item_in_the_shared_cache(blog_index, monkeypatch):
    """What the admin reads while the import's transaction is still open."""
    seen = []
    real_import = runs.import_wordpress

    def spy(*args, progress, **kwargs):
        def record(done, total):
            progress(done, total)
            seen.append(cache.get(runs.progress_key(run.pk)))

        return real_import(*args, progress=record, **kwargs)

    monkeypatch.setattr(runs, "PROGRESS_EVERY_SECONDS", 0)
    monkeypatch.setattr(runs, "import_wordpress", spy)
    export = runs.store_export(export_file())
    run = ImportRun.objects.create(export=export, kind="dry-run")

    assert runs.execute(run.pk) == "done"

    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert cache.get(runs.progress_key(run.pk)) is None
    assert runs.execute(run.pk) == "skipped"  # a run runs once


def test_a_large_export_is_stored_in_chunks_and_read_back_whole(db):
    data = wxr(items()) + b" " * (2 * runs.CHUNK_BYTES)

    export = runs.store_export(export_file(data))

    assert export.chunks.count() == 3
    with runs.export_file(export) as path:
        assert path.read_bytes() == data
    assert not path.exists()


# --- Images from the uploads folder -------------------------------------------------------------


def test_images_come_from_a_folder_inside_the_uploads_root(
    superuser_client, blog_index, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.WORDPRESS_UPLOADS_ROOT = str(tmp_path)
    folder = tmp_path / "practice" / "uploads" / "2024" / "01"
    folder.mkdir(parents=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 36), (10, 20, 30)).save(buffer, format="JPEG")
    (folder / "desk.jpg").write_bytes(buffer.getvalue())
    post = P(
        20,
        title="Desk",
        slug="desk",
        content=f'<p>Tidy.</p><p><img src="{BASE}/wp-content/uploads/2024/01/desk.jpg" alt="A desk"></p>',
    )
    images = get_image_model().objects.count()

    upload(
        superuser_client,
        django_capture_on_commit_callbacks,
        file=export_file(wxr([post])),
        uploads="practice/uploads",
    )
    dry_run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        superuser_client.post(reverse("wordpress_import_confirm", args=[dry_run.pk]))

    run = ImportRun.objects.get(kind="import")
    assert dry_run.uploads == run.uploads == str((tmp_path / "practice" / "uploads").resolve())
    assert (
        counts(dry_run, "image")
        == counts(run, "image")
        == {
            "created": 1,
            "updated": 0,
            "unchanged": 0,
            "skipped": 0,
        }
    )
    assert get_image_model().objects.count() == images + 1


# --- Request body limit: this URL alone takes WORDPRESS_IMPORT_MAX_BYTES -------------------------


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000, WORDPRESS_IMPORT_MAX_BYTES=3 * MB)
def test_the_import_url_alone_accepts_a_body_over_the_admin_limit(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    big = wxr(items()) + b"\n" * (2 * MB)  # over the admin's 1000 bytes + 1 MB, under 3 MB

    elsewhere = superuser_client.post(
        reverse("blog_import_document"), {"document": SimpleUploadedFile("a.docx", big)}
    )
    here = upload(superuser_client, django_capture_on_commit_callbacks, file=export_file(big))

    assert elsewhere.status_code == 413
    assert "The request body is too large" in elsewhere.content.decode()
    assert here.status_code == 302
    assert ImportRun.objects.get().status == "done"


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000, WORDPRESS_IMPORT_MAX_BYTES=2 * MB)
def test_an_export_over_the_import_limit_is_a_form_error(
    superuser_client, blog_index, django_capture_on_commit_callbacks
):
    over = wxr(items()) + b"\n" * (2 * MB)

    response = upload(superuser_client, django_capture_on_commit_callbacks, file=export_file(over))

    assert response.status_code == 400
    size = len(over) / MB
    assert response.context["form"].errors == {
        "export": [f"The file is larger than 2 MB (WORDPRESS_IMPORT_MAX_BYTES); it was {size:.1f} MB."]
    }
    assert StoredExport.objects.count() == 0


@override_settings(WAGTAILIMAGES_MAX_UPLOAD_SIZE=1000, WORDPRESS_IMPORT_MAX_BYTES=1 * MB)
def test_a_body_far_over_the_import_limit_is_refused_before_it_is_read(superuser_client, blog_index):
    response = superuser_client.post(URL, {"export": export_file(b"\n" * (3 * MB))})

    assert response.status_code == 413
    assert StoredExport.objects.count() == 0


# --- Retention ----------------------------------------------------------------------------------


def test_old_exports_and_their_runs_are_deleted_unless_a_run_was_queued_since(settings):
    settings.WORDPRESS_IMPORT_RETENTION_DAYS = 7
    old, stuck, reused, recent = (runs.store_export(export_file()) for _ in range(4))
    eight_days_ago = timezone.now() - timedelta(days=8)
    StoredExport.objects.exclude(pk=recent.pk).update(created_at=eight_days_ago)
    ImportRun.objects.create(export=old, kind="dry-run", status="done", report={})
    ImportRun.objects.create(export=old, kind="import", status="failed", error="x")
    ImportRun.objects.create(export=stuck, kind="import", status="running")  # its worker died
    ImportRun.objects.create(export=reused, kind="dry-run", status="done", report={})
    ImportRun.objects.create(export=reused, kind="import", status="running")  # queued today
    ImportRun.objects.filter(export__in=[old, stuck]).update(created_at=eight_days_ago)
    ImportRun.objects.filter(export=reused, kind="dry-run").update(created_at=eight_days_ago)
    out = io.StringIO()

    call_command("prune_wordpress_imports", stdout=out)

    assert out.getvalue() == "Removed: 2 WordPress export(s) and 3 run(s) older than 7 days.\n"
    assert set(StoredExport.objects.values_list("pk", flat=True)) == {reused.pk, recent.pk}
    assert not ExportChunk.objects.filter(export_id__in=[old.pk, stuck.pk]).exists()
    assert ImportRun.objects.filter(export=reused).count() == 2


def test_the_pruning_is_scheduled_daily(settings):
    jobs = {job["name"]: job for job in settings.SCHEDULED_COMMANDS}

    assert jobs["prune_wordpress_imports"] == {
        "name": "prune_wordpress_imports",
        "command": "prune_wordpress_imports",
        "every_seconds": 86400,
    }


def test_a_site_without_a_blog_index_fails_the_run_with_the_reason(
    superuser_client, home, django_capture_on_commit_callbacks
):
    upload(superuser_client, django_capture_on_commit_callbacks)

    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.error == "There is no blog index to import posts into: create it first."
    assert run.report is None
