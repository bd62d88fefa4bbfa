"""manage.py copy_media_to_storage: the local media folder into the bucket, idempotently."""

import io

import pytest
from django.core.files.images import ImageFile
from django.core.management import CommandError, call_command
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("copy_media_to_storage", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def local_media(tmp_path, settings):
    """An image uploaded while media were on local disk, with two renditions."""
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (10, 90, 160)).save(buffer, format="JPEG")
    image = get_image_model().objects.create(title="Lake", file=ImageFile(buffer, name="lake.jpg"))
    image.get_renditions("width-400", "width-800")
    return root, image


def test_local_media_are_copied_under_the_same_names_and_a_second_run_copies_nothing(
    local_media, make_bucket, client
):
    root, image = local_media
    names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert len(names) == 3
    bucket = make_bucket()

    first = run(source=str(root))

    assert bucket.object_keys() == names
    for name in names:
        assert bucket.read(name) == (root / name).read_bytes()
    assert first.splitlines()[-1] == "3 copied, 0 replaced, 0 already there."
    assert run(source=str(root)).splitlines() == ["0 copied, 0 replaced, 3 already there."]
    # The database's file names now resolve to the bucket.
    image.refresh_from_db()
    assert image.file.url == f"{bucket.base_url}/{image.file.name}"


def test_a_file_changed_locally_is_replaced_and_a_dry_run_changes_nothing(local_media, make_bucket):
    root, image = local_media
    bucket = make_bucket()
    run(source=str(root))
    (root / image.file.name).write_bytes(b"a different, longer file than the original one" * 100)

    dry = run(source=str(root), dry_run=True)
    assert dry.splitlines() == [
        f"Would copy {image.file.name}",
        "0 copied, 1 replaced, 2 already there (dry run).",
    ]
    assert bucket.read(image.file.name) != (root / image.file.name).read_bytes()

    run(source=str(root))
    assert bucket.read(image.file.name) == (root / image.file.name).read_bytes()
    assert len(bucket.object_keys()) == 3


def test_copying_into_the_same_local_folder_is_refused(local_media):
    root, _ = local_media

    with pytest.raises(CommandError, match="The media storage is this same folder"):
        run()
