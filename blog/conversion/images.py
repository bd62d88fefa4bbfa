"""Images that arrive inside documents (a .docx's embedded pictures, a pasted data: URI, a
WordPress backup's uploads) stored in Wagtail's image library, once per content."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re

from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images import get_image_model

# What browsers show and Wagtail renders; Word's EMF/WMF drawings are not among them.
WEB_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_DATA_URI = re.compile(r"^data:(image/[\w.+-]+);base64,(.*)$", re.S | re.I)


class ImageRejected(ValueError):
    """The bytes are not an image the site can show; the message says why, for the report."""


def decode_data_uri(src: str) -> bytes | None:
    """The bytes of a ``data:image/…;base64,`` address (a pasted image), else None."""
    match = _DATA_URI.match(src.strip())
    if not match:
        return None
    try:
        return base64.b64decode(match.group(2), validate=False)
    except (binascii.Error, ValueError):
        return None


def content_hash(data: bytes) -> str:
    """SHA-1 of the bytes, as Wagtail stores it in ``Image.file_hash``."""
    return hashlib.sha1(data).hexdigest()  # noqa: S324 - a content key, as in Wagtail, not security


def check_image(data: bytes) -> str:
    """The file extension for ``data``, or ``ImageRejected`` when the site cannot use it."""
    if len(data) > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE:
        raise ImageRejected(f"larger than {settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE // (1024 * 1024)} MB")
    try:
        with PILImage.open(io.BytesIO(data)) as picture:
            image_format = picture.format
            width, height = picture.size
    except (UnidentifiedImageError, OSError, PILImage.DecompressionBombError) as exc:
        raise ImageRejected("not an image format a browser can show") from exc
    if image_format not in WEB_FORMATS:
        raise ImageRejected(f"a {image_format} drawing, which browsers cannot show")
    if width * height > settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS:
        raise ImageRejected("too many pixels")
    return WEB_FORMATS[image_format]


def store_image(*, data: bytes, name: str, title: str, alt: str, user=None) -> tuple[object, bool]:
    """(image, created): the library's image with these bytes (the same content is stored
    once), created when missing with ``alt`` as its description (the alt text Wagtail offers
    by default)."""
    digest = content_hash(data)
    Image = get_image_model()
    existing = Image.objects.filter(file_hash=digest).order_by("pk").first()
    if existing is not None:
        if alt and not existing.description:
            existing.description = alt[:255]
            existing.save(update_fields=["description"])
        return existing, False
    extension = check_image(data)
    stem = slugify(name.rsplit(".", 1)[0])[:60] or "image"
    image = Image(
        title=(title or alt or stem)[:255],
        description=alt[:255],
        uploaded_by_user=user,
        file_hash=digest,
        file_size=len(data),
        file=ImageFile(io.BytesIO(data), name=f"{stem}.{extension}"),
    )
    image.save()
    return image, True
