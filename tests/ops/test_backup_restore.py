"""manage.py backup / restore: back up, wipe the site, restore, and the API answers the same."""

import io
import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from ops.backup import files_named_by_the_database, storage_files
from tests.conftest import make_image

API_PATHS = ["/api/v1/articles/", "/api/v1/articles/calm/", "/api/v1/topics/", "/api/v1/site/"]


def answers(client) -> dict:
    return {path: (r.status_code, r.json()) for path in API_PATHS for r in [client.get(path)]}


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# The backup reads the database from outside the test's transaction (pg_dump is another
# process), and the restore replaces it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("media", ["local", "bucket"])
def test_a_backup_restored_after_a_wipe_gives_the_same_api_and_every_file(
    media, request, tmp_path, settings, client, practice, home, make_article
):
    settings.MEDIA_ROOT = tmp_path / "media"
    bucket = request.getfixturevalue("make_bucket")() if media == "bucket" else None
    image = make_image("Lake")
    make_article("Calm", hero_image=image, topics=["anxiety"])
    make_article("Second", topics=["anxiety", "stress"])
    get_document_model().objects.create(
        title="Handout", file=ContentFile(b"%PDF-1.4 handout", name="handout.pdf")
    )
    before = answers(client)  # makes the renditions the API names
    assert before["/api/v1/articles/calm/"][0] == 200
    named = files_named_by_the_database()
    assert len(named) == 1 + 6 + 1 + 1  # original, six srcset renditions, the sharing one, the document
    assert storage_files() == named

    output = run("backup", str(tmp_path / "backup"))

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    database_file = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
    assert manifest["database_file"] == database_file[manifest["database"]]
    assert manifest["media_files"] == 9
    assert sorted(p.name for p in (tmp_path / "backup").iterdir()) == sorted(
        [manifest["database_file"], "manifest.json", "media.tar"]
    )
    assert output.startswith(f"Backed up the {manifest['database']} database and 9 media files")

    # The wipe: content deleted, and every media file gone with it.
    home.delete()
    get_image_model().objects.all().delete()
    get_document_model().objects.all().delete()
    if bucket:
        for key in bucket.object_keys():
            bucket.client.delete_object(Bucket=bucket.name, Key=key)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert storage_files() == []
    assert client.get("/api/v1/articles/calm/").status_code == 404

    output = run("restore", str(tmp_path / "backup"), "--yes")

    assert output.splitlines() == [
        f"Restored the database from {manifest['database_file']}; media: 9 restored, 0 already there.",
        "Every image, rendition and document the database names is present.",
    ]
    assert answers(client) == before
    assert storage_files() == named
    if bucket:
        assert bucket.object_keys() == named
    # Restoring again changes nothing.
    assert "media: 0 restored, 9 already there." in run("restore", str(tmp_path / "backup"), "--yes")


@pytest.mark.django_db
def test_restore_needs_confirmation_and_a_finished_backup(tmp_path):
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(tmp_path))
    with pytest.raises(CommandError, match="has no manifest.json: not a backup, or an unfinished one"):
        call_command("restore", str(tmp_path), "--yes")


@pytest.mark.django_db
def test_a_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").write_text("x")

    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))
