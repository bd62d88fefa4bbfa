"""Service: a document (pasted HTML or a .docx) becomes a draft article under the blog index.

Everything is written in one transaction: on any refusal nothing stays behind, neither the
page nor an image (image files already stored are deleted again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from wagtail.log_actions import log

from blog.conversion.docx import IMAGE_SRC_PREFIX, DocxImage
from blog.conversion.html import Conversion, html_to_blocks
from blog.conversion.images import ImageRejected, decode_data_uri, store_image
from blog.models import ArticlePage, BlogIndexPage

TITLE_MAX = 255


class ImportRefused(ValueError):
    """The document cannot become an article; ``field`` is the form field to blame."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class DocumentImages:
    """Images a document brings along (a .docx's pictures, pasted data: URIs), stored in the
    library as the conversion meets them. Other addresses (a web page's images) are not
    fetched: the report asks the editor to add them."""

    user: object
    can_add: bool
    embedded: dict[str, DocxImage] = field(default_factory=dict)
    document_name: str = "document"
    stored: list = field(default_factory=list)  # images used, in order
    created: list = field(default_factory=list)  # of those, the ones this import stored
    report: list[str] = field(default_factory=list)

    def __call__(self, *, src: str, alt: str, caption: str) -> int | None:
        if src.startswith(IMAGE_SRC_PREFIX) and src in self.embedded:
            data = self.embedded[src].data
        else:
            data = decode_data_uri(src)
        if data is None:
            return None
        if not self.can_add:
            self.report.append(
                "You may not add images to the library, so the document's images were left out."
            )
            return None
        number = len(self.stored) + 1
        try:
            image, created = store_image(
                data=data,
                name=f"{self.document_name}-{number}",
                title=alt or f"{self.document_name} image {number}",
                alt=alt,
                user=self.user,
            )
        except ImageRejected as exc:
            self.report.append(f"Image {number} of the document was left out: {exc}.")
            return None
        self.stored.append(image)
        if created:
            self.created.append(image)
        return image.pk


def unique_child_slug(parent, title: str) -> str:
    base = slugify(title)[:240] or "article"
    taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def create_draft_article(
    *, parent: BlogIndexPage, html: str, title: str, user, images: DocumentImages
) -> tuple[ArticlePage, Conversion]:
    """Convert ``html`` and save it as a new draft article under ``parent`` (never live).
    Raises ``ImportRefused`` when there is nothing to make an article of."""
    try:
        with transaction.atomic():
            conversion = html_to_blocks(html, title=title, resolve_image=images)
            conversion.report.extend(images.report)
            if not conversion.blocks:
                raise ImportRefused("html", "There is nothing to import: the document has no text.")
            if not conversion.title:
                raise ImportRefused(
                    "title", "The document has no heading to take the title from: enter a title."
                )
            if len(conversion.title) > TITLE_MAX:
                raise ImportRefused(
                    "title", f"The title is longer than {TITLE_MAX} characters: enter a shorter one."
                )
            page = ArticlePage(
                title=conversion.title,
                slug=unique_child_slug(parent, conversion.title),
                excerpt=conversion.excerpt or conversion.title[:300],
                body=conversion.blocks,
                live=False,
                owner=user,
            )
            parent.add_child(instance=page)
            page.save_revision(user=user, log_action=False)
            log(instance=page, action="wagtail.create", user=user)
    except BaseException:
        for image in images.created:
            image.file.storage.delete(image.file.name)
        raise
    return page, conversion
