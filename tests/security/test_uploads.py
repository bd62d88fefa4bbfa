"""Only real images of bounded size and pixel count get into the image library."""

import io
import os

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/images/add/"


def image_bytes(fmt="JPEG", size=(800, 600), mode="RGB"):
    buffer = io.BytesIO()
    PILImage.new(mode, size).save(buffer, format=fmt)
    return buffer.getvalue()


def upload(admin_client, name, content, content_type="image/jpeg"):
    return admin_client.post(
        ADD_URL,
        {
            "title": "Upload",
            "description": "A plain dark rectangle",
            "file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


def form_errors(response) -> list[str]:
    return [str(e) for e in response.context["form"].errors.get("file", [])]


def test_a_real_jpeg_is_accepted(admin_client):
    response = upload(admin_client, "lake.jpg", image_bytes())

    assert response.status_code == 302
    image = get_image_model().objects.get(title="Upload")
    assert (image.width, image.height) == (800, 600)


def test_text_pretending_to_be_a_jpeg_is_rejected(admin_client):
    response = upload(admin_client, "evil.jpg", b"<script>alert(1)</script>" * 100)

    assert response.status_code == 200
    assert form_errors(response) == [
        "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
    ]
    assert not get_image_model().objects.exists()


def test_a_png_named_jpg_is_rejected(admin_client):
    response = upload(admin_client, "photo.jpg", image_bytes("PNG"))

    assert form_errors(response) == [
        "Not a valid .jpeg image. The extension does not match the file format (png)"
    ]
    assert not get_image_model().objects.exists()


def test_svg_is_not_an_accepted_image_format(admin_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>'

    response = upload(admin_client, "logo.svg", svg, "image/svg+xml")

    assert form_errors(response)[0].startswith("Not a supported image format.")
    assert not get_image_model().objects.exists()


def test_an_image_over_the_size_limit_is_rejected(admin_client):
    # Random pixels barely compress: a PNG just over the configured 10 MiB.
    side = 1900
    noise = PILImage.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    noise.save(buffer, format="PNG", compress_level=0)
    content = buffer.getvalue()
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    assert limit < len(content) < limit * 1.1

    response = upload(admin_client, "huge.png", content, "image/png")

    assert response.status_code == 200
    assert form_errors(response)[0].startswith("This file is too big (")
    assert form_errors(response)[0].endswith("Maximum filesize 10.0\xa0MB.")
    assert not get_image_model().objects.exists()


def test_an_image_with_too_many_pixels_is_rejected(admin_client):
    # 8000 x 5001 pixels is over the 40 megapixel limit, yet a tiny file (one bit per pixel).
    content = image_bytes("PNG", size=(8000, 5001), mode="1")
    assert len(content) < 1024 * 1024

    response = upload(admin_client, "bomb.png", content, "image/png")

    assert response.status_code == 200
    assert form_errors(response) == ["This file has too many pixels (40008000). Maximum pixels 40000000."]
    assert not get_image_model().objects.exists()


def test_an_upload_body_over_the_admin_limit_is_refused_before_it_is_read(admin_client):
    content = b"\0" * (settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE + 1024 * 1024)

    response = upload(admin_client, "big.jpg", content)

    assert response.status_code == 413
    assert "Connection" not in response  # hop-by-hop: the server owns the connection
    assert b"The request body is too large (at most 11264 KiB)." in response.content
    assert not get_image_model().objects.exists()
