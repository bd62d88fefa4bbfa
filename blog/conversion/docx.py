"""Word documents (.docx) into the HTML that ``blog.conversion.html`` reads.

mammoth reads the document's structure (paragraph styles, lists, tables, images with their
descriptions) rather than its looks, which is what the block conversion wants; its images are
handed back as bytes to be stored in Wagtail's library by the caller.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

import mammoth

# A .docx is a zip: refuse archives that expand far beyond any real article (a zip bomb)
# before mammoth reads them into memory.
MAX_EXPANDED_BYTES = 200 * 1024 * 1024

# Word styles that carry structure beyond mammoth's defaults (headings, lists, tables).
STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => p:fresh
p[style-name='Quote'] => blockquote > p:fresh
p[style-name='Intense Quote'] => blockquote > p:fresh
"""


class DocxError(ValueError):
    """The file is not a Word document this conversion can read; the message says why."""


@dataclass
class DocxImage:
    content_type: str
    data: bytes
    alt: str


@dataclass
class DocxDocument:
    html: str
    images: dict[str, DocxImage] = field(default_factory=dict)  # src placeholder -> image
    messages: list[str] = field(default_factory=list)


IMAGE_SRC_PREFIX = "docx-image:"


def docx_to_html(fileobj: BinaryIO) -> DocxDocument:
    """The document as HTML; each embedded image appears as ``<img src="docx-image:N">``
    and its bytes are in ``images``. Raises ``DocxError`` for anything that is not a .docx."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise DocxError("This file is not a Word document (.docx).") from exc
    if "word/document.xml" not in names:
        raise DocxError("This file is not a Word document (.docx): it has no document body.")
    if expanded > MAX_EXPANDED_BYTES:
        raise DocxError("This document is too large to import.")
    fileobj.seek(0)

    document = DocxDocument(html="")

    def keep_image(image) -> dict:
        with image.open() as stream:
            data = stream.read()
        src = f"{IMAGE_SRC_PREFIX}{len(document.images) + 1}"
        document.images[src] = DocxImage(
            content_type=image.content_type or "", data=data, alt=image.alt_text or ""
        )
        return {"src": src}

    try:
        result = mammoth.convert_to_html(
            fileobj,
            style_map=STYLE_MAP,
            include_embedded_style_map=False,
            convert_image=mammoth.images.img_element(keep_image),
        )
    except Exception as exc:  # mammoth raises many kinds on damaged documents
        raise DocxError("This Word document could not be read; it may be damaged.") from exc
    document.html = result.value
    document.messages = [message.message for message in result.messages if message.type == "warning"]
    return document
