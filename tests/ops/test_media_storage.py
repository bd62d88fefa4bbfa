"""Media on an S3-compatible bucket (a real moto server, tests/ops/conftest.py): uploads,
renditions, deletion and the URLs the API, the pages and JSON-LD give for them."""

import io
import json
import re
import urllib.request
from xml.etree import ElementTree

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model

from blog.representations import RENDITION_SPECS, share_rendition_spec
from tests.conftest import make_image

pytestmark = pytest.mark.django_db

CDN = "https://media.example-practice.test"


def jpeg(size=(1600, 900)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - the test's own server
        return response.status, response.headers["Content-Type"], response.read()


def test_an_image_uploaded_in_the_admin_is_stored_in_the_bucket_and_not_on_disk(
    admin_client, bucket, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = jpeg()

    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Lake",
            "description": "A still lake at dawn",
            "file": SimpleUploadedFile("lake.jpg", content, content_type="image/jpeg"),
        },
    )

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Lake")
    assert image.file.name == "original_images/lake.jpg"
    # The admin's listing thumbnail is a rendition; nothing else is written.
    originals = [key for key in bucket.object_keys() if key.startswith("original_images/")]
    assert originals == ["original_images/lake.jpg"]
    assert bucket.read("original_images/lake.jpg") == content
    head = bucket.client.head_object(Bucket=bucket.name, Key="original_images/lake.jpg")
    assert head["CacheControl"] == "public, max-age=86400"
    assert head["ContentType"] == "image/jpeg"
    assert not (tmp_path / "media").exists()


def test_two_images_with_the_same_file_name_get_two_objects(bucket):
    first = get_image_model().objects.create(
        title="One", file=SimpleUploadedFile("same.jpg", jpeg((100, 100)), content_type="image/jpeg")
    )
    second = get_image_model().objects.create(
        title="Two", file=SimpleUploadedFile("same.jpg", jpeg((200, 100)), content_type="image/jpeg")
    )

    assert first.file.name == "original_images/same.jpg"
    assert second.file.name != first.file.name
    assert re.fullmatch(r"original_images/same_\w{7}\.jpg", second.file.name)
    assert PILImage.open(io.BytesIO(bucket.read(first.file.name))).size == (100, 100)
    assert PILImage.open(io.BytesIO(bucket.read(second.file.name))).size == (200, 100)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("evil.jpg", b"<script>alert(1)</script>" * 100, "image/jpeg"),
        ("photo.jpg", b"", "image/jpeg"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/svg+xml"),
    ],
)
def test_a_rejected_upload_writes_nothing_to_the_bucket(admin_client, bucket, name, content, content_type):
    response = admin_client.post(
        "/admin/images/add/",
        {"title": "Bad", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert bucket.object_keys() == []
    assert not get_image_model().objects.exists()


def test_an_image_with_too_many_pixels_never_reaches_the_bucket(admin_client, bucket):
    buffer = io.BytesIO()
    PILImage.new("1", (8000, 5001)).save(buffer, format="PNG")

    response = admin_client.post(
        "/admin/images/add/",
        {
            "title": "Bomb",
            "file": SimpleUploadedFile("bomb.png", buffer.getvalue(), content_type="image/png"),
        },
    )

    assert response.context["form"].errors["file"] == [
        "This file has too many pixels (40008000). Maximum pixels 40000000."
    ]
    assert bucket.object_keys() == []


def test_the_api_names_renditions_in_the_bucket_made_once_and_fetchable(
    client, bucket, make_article, django_assert_max_num_queries
):
    image = make_image("Lake")
    make_article("Calm", hero_image=image)
    keys_before = bucket.object_keys()
    assert keys_before == [image.file.name]

    response = client.get("/api/v1/articles/calm/")

    hero = response.json()["hero_image"]
    rendition_keys = sorted(set(bucket.object_keys()) - set(keys_before))
    share_key = image.get_rendition(share_rendition_spec(image.width, image.height)).file.name
    # Three widths of a 1600-pixel original, in JPEG and WebP, and the sharing picture of `seo`.
    assert len(rendition_keys) == len(RENDITION_SPECS) + 1 == 7
    assert all(key.startswith("images/") for key in rendition_keys)
    assert response.json()["seo"]["image"]["url"] == f"{bucket.base_url}/{share_key}"
    urls = [hero["url"], *(r["url"] for r in hero["renditions"])]
    assert {url.removeprefix(f"{bucket.base_url}/") for url in urls} == set(rendition_keys) - {share_key}
    assert hero["url"] == f"{bucket.base_url}/{image.get_rendition('width-1200').file.name}"
    for item in hero["renditions"]:
        status, content_type, body = fetch(item["url"])
        assert status == 200
        assert content_type == f"image/{item['format']}"
        assert PILImage.open(io.BytesIO(body)).size == (item["width"], item["height"])

    # Asked again (another request, the rendition cache cleared): found, not remade.
    caches["renditions"].clear()
    again = client.get("/api/v1/articles/calm/").json()["hero_image"]
    assert again == hero
    assert sorted(set(bucket.object_keys()) - set(keys_before)) == rendition_keys


def test_pages_and_json_ld_name_the_cdn_in_front_of_the_bucket(client, make_bucket, make_article):
    bucket = make_bucket(base_url=CDN)
    image = make_image("Lake")
    article = make_article("Calm", hero_image=image)

    api = client.get("/api/v1/articles/calm/").json()
    html = client.get(article.url).content.decode()

    key = image.get_rendition("width-1200").file.name
    assert api["hero_image"]["url"] == f"{CDN}/{key}"
    assert all(r["url"].startswith(f"{CDN}/images/") for r in api["hero_image"]["renditions"])
    share_key = image.get_rendition(share_rendition_spec(image.width, image.height)).file.name
    assert f'<meta property="og:image" content="{CDN}/{share_key}">' in html
    img_sources = re.findall(r'<img src="([^"]+)"', html)
    assert img_sources and all(src.startswith(f"{CDN}/images/") for src in img_sources)
    ld = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    ld_images = [node["image"] for doc in ld for node in doc.get("@graph", [doc]) if "image" in node]
    assert ld_images and all(str(url).startswith(f"{CDN}/") for url in ld_images)
    assert f"img-src 'self' data: {CDN}" in client.get(article.url)["Content-Security-Policy"]
    large = image.get_rendition("width-1200")
    media = {"medium": "image", "url": f"{CDN}/{key}", "width": str(large.width), "height": str(large.height)}
    for feed in ("/blog/feed/rss/", "/blog/feed/atom/"):
        root = ElementTree.fromstring(client.get(feed).content)  # noqa: S314 - our own feed
        found = [el.attrib for el in root.iter("{http://search.yahoo.com/mrss/}content")]
        assert found == [media]
    assert bucket.object_keys()  # written to the bucket, named by the CDN


def test_deleting_an_image_removes_it_and_its_renditions_from_the_bucket(
    admin_client, bucket, django_capture_on_commit_callbacks
):
    image = make_image("Lake")
    image.get_renditions(*RENDITION_SPECS)
    assert len(bucket.object_keys()) == 7

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/images/{image.pk}/delete/")

    assert response.status_code == 302
    assert not get_image_model().objects.filter(pk=image.pk).exists()
    assert bucket.object_keys() == []


def test_readers_comments_and_requests_never_reach_the_bucket(bucket, settings):
    from django.apps import apps

    # No model of the readers app can hold a file...
    file_fields = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("readers").get_models()
        for field in model._meta.get_fields()
        if getattr(field, "upload_to", None) is not None
    ]
    assert file_fields == []
    # ...and their endpoints accept JSON only, so no upload is ever read.
    response = Client().post(
        "/api/v1/consultation-requests/",
        {"name": "A", "file": SimpleUploadedFile("notes.pdf", b"%PDF-1.4")},
    )
    assert response.status_code in (400, 404, 415)
    assert bucket.object_keys() == []


def test_a_document_in_the_bucket_is_served_by_a_redirect_to_its_public_url(client, bucket):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model().objects.create(
        title="Handout", file=ContentFile(b"%PDF-1.4 a handout", name="handout.pdf")
    )

    response = client.get(f"/documents/{document.pk}/handout.pdf")

    assert bucket.object_keys() == ["documents/handout.pdf"]
    assert response.status_code == 302
    assert response["Location"] == f"{bucket.base_url}/documents/handout.pdf"
    assert fetch(response["Location"])[2] == b"%PDF-1.4 a handout"
