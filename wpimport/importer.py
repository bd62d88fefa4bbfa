"""Service: a WordPress export (WXR) into the CMS.

Two streamed passes over the file. The first reads it whole (authors, terms, which posts and
attachments exist, and that the file is complete and well formed) without writing anything.
The second writes everything inside one transaction: posts become articles through the same
HTML-to-blocks conversion the editor's paste uses, categories and tags become topics,
authors Author snippets, images from ``uploads`` the image library, comments readers'
comments, and old URLs redirects. A dry run is the same run rolled back (image files it
stored are deleted), so its report is exactly what the import would do.

Every object is keyed by its WordPress id (``ImportedObject``): a second run updates what
changed in WordPress, leaves the rest, and never duplicates. A page edited in the CMS after
its import is left alone unless ``overwrite``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import slugify
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction, Site

from blog.conversion.html import html_to_blocks
from blog.conversion.images import ImageRejected, content_hash, store_image
from blog.models import ArticlePage, Author, BlogIndexPage, HomePage, StandardPage, Topic
from publishing.bulk import bulk_changes, note_saved
from readers.models import COMMENT_BODY_MAX_LENGTH, NAME_MAX_LENGTH, WEBSITE_MAX_LENGTH, Comment
from wpimport import bodies, wxr
from wpimport.models import ImportedObject

# "document" last: rows are added at the end, so the table's existing lines keep their places.
KINDS = ("post", "page", "image", "comment", "topic", "author", "redirect", "document")
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
EXCERPT_MAX = 300


class ImportRefused(Exception):
    """The import cannot run (no blog index, unreadable file); the message is one line."""


@dataclass
class Report:
    """Counts per kind (created, updated, unchanged, skipped) and what the editor should check."""

    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def note(self, text: str) -> None:
        self.notes.append(text)

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "counts": {
                kind: {o: self.counts[kind][o] for o in ("created", "updated", "unchanged", "skipped")}
                for kind in KINDS
            },
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        head = "Dry run: nothing was written." if self.dry_run else "Import finished."
        rows = [head, f"{'':10} {'created':>8} {'updated':>8} {'unchanged':>9} {'skipped':>8}"]
        for kind in KINDS:
            c = self.counts[kind]
            rows.append(f"{kind:10} {c['created']:8} {c['updated']:8} {c['unchanged']:9} {c['skipped']:8}")
        rows.extend(f"- {note}" for note in self.notes)
        return rows


def _fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str, sort_keys=True).encode()).hexdigest()


@dataclass
class Attachment:
    wp_id: str
    url: str
    relative: str  # path under uploads
    alt: str
    title: str


class WordPressImport:
    def __init__(self, *, uploads: Path | None, dry_run: bool, overwrite: bool, user=None, progress=None):
        self.uploads = uploads
        self.progress = progress  # progress(done, total) after each item of pass 2
        self.total = 0
        self.dry_run = dry_run
        self.overwrite = overwrite
        self.user = user
        self.report = Report(dry_run=dry_run)
        self.site = wxr.WpSite()
        self.old = bodies.OldSite()
        self.source = ""
        self.attachments: dict[str, Attachment] = {}
        self.attachments_by_path: dict[str, Attachment] = {}
        self.page_ids: dict[str, int] = {}  # wp post id -> page id
        self.records: dict[tuple[str, str], ImportedObject] = {}
        self.created_files: list = []
        self.images: dict[str, int | None] = {}  # upload path -> image id
        self.documents: dict[str, int | None] = {}  # upload path -> document id
        self.topics: dict[tuple[str, str], Topic] = {}
        self.authors: dict[str, Author] = {}
        self.fixups: list[int] = []  # pages whose links point at posts imported after them
        self.new_records: list[ImportedObject] = []

    # --- Pass 1 ---------------------------------------------------------------------------

    def survey(self, source) -> None:
        """Read the whole file once: complete and well formed, or ``wxr.WxrError``."""
        for item in wxr.read(source, self.site):
            self.total += 1
            if item.post_type == "attachment":
                url = item.attachment_url or item.link
                relative = item.meta.get("_wp_attached_file") or bodies.original_upload_path(url)
                attachment = Attachment(
                    wp_id=item.id,
                    url=url,
                    relative=relative,
                    alt=item.meta.get("_wp_attachment_image_alt", "").strip(),
                    title=item.title,
                )
                self.attachments[item.id] = attachment
                if relative:
                    self.attachments_by_path[relative] = attachment
            elif item.post_type in {"post", "page"} and item.status not in SKIPPED_STATUSES:
                self.old.add_post(item.id, item.link, item.slug)
        self.old.add_host(self.site.base_url)
        self.source = self.site.base_url.rstrip("/") or "wordpress"

    # --- Pass 2 ---------------------------------------------------------------------------

    def run(self, open_source) -> Report:
        """``open_source()`` returns a fresh binary stream of the export (read twice)."""
        with open_source() as stream:
            self.survey(stream)
        self.index = BlogIndexPage.objects.first()
        if self.index is None:
            raise ImportRefused("There is no blog index to import posts into: create it first.")
        self.home = HomePage.objects.first()
        self.wagtail_site = Site.objects.filter(is_default_site=True).first()
        self.records = {(r.kind, r.wp_id): r for r in ImportedObject.objects.filter(source=self.source)}
        try:
            # One transaction (a failure or a dry run writes nothing), and one batch: the
            # per-publish side work (webhooks, CDN purges, link checks, the response cache's
            # content version, search indexing) runs once at its end (``publishing.bulk``).
            with transaction.atomic(), bulk_changes(announce_as=self.index) as batch:
                with open_source() as stream:
                    for done, item in enumerate(wxr.read(stream), 1):
                        self._item(item)
                        self._flush_records()
                        if self.progress is not None:
                            self.progress(done, self.total)
                self._fix_links()
                self._archive_redirects()
                self._flush_records()
                if self.dry_run:
                    batch.discard()
                    transaction.set_rollback(True)
        except BaseException:
            self._delete_created_files()
            raise
        if self.dry_run:
            self._delete_created_files()
        return self.report

    def _delete_created_files(self) -> None:
        for file in self.created_files:
            file.storage.delete(file.name)
        self.created_files = []

    def _record(self, kind: str, wp_id: str, obj_id: int, fingerprint: str, revision_id=None) -> None:
        record = self.records.get((kind, wp_id))
        new = record is None
        if new:
            record = ImportedObject(source=self.source, kind=kind, wp_id=wp_id)
            self.records[(kind, wp_id)] = record
        elif (record.object_id, record.fingerprint, record.revision_id) == (obj_id, fingerprint, revision_id):
            return
        record.object_id = obj_id
        record.fingerprint = fingerprint
        record.revision_id = revision_id
        if new:
            self.new_records.append(record)  # written together by _flush_records
        else:
            record.save()

    def _flush_records(self) -> None:
        ImportedObject.objects.bulk_create(self.new_records, batch_size=500)
        self.new_records = []

    def _item(self, item: wxr.WpItem) -> None:
        if item.post_type == "attachment":
            # Every document attachment is imported, linked from a post or not; images only
            # where posts show them.
            relative = self.attachments[item.id].relative if item.id in self.attachments else ""
            if relative and not bodies.is_image_path(relative):
                self._document_for_path(relative)
            return
        if item.post_type not in {"post", "page"}:
            return
        kind = item.post_type
        if item.status in SKIPPED_STATUSES:
            self.report.count(kind, "skipped")
            return
        if kind == "page":
            self._page(item)
        else:
            self._post(item)

    # Topics and authors ----------------------------------------------------------------------

    def _topic(self, term: wxr.WpTerm) -> Topic | None:
        slug = slugify(term.slug or term.name)[:100]
        if not slug:
            return None
        key = ("topic", slug)
        if key in self.topics:
            return self.topics[key]
        name = (self.site.terms.get((term.taxonomy, term.slug)) or term).name or term.name or slug
        topic = Topic.objects.filter(slug=slug).first() or Topic.objects.filter(name__iexact=name).first()
        if topic is None:
            topic = Topic.objects.create(name=name[:100], slug=slug)
            self.report.count("topic", "created")
        else:  # merged with the topic of the same slug (or name) already here
            self.report.count("topic", "unchanged")
        if ("term", slug) not in self.records:
            self._record("term", slug, topic.pk, _fingerprint(name))
        self.topics[key] = topic
        return topic

    def _author(self, login: str) -> Author | None:
        if not login:
            return None
        if login in self.authors:
            return self.authors[login]
        wp_author = self.site.authors.get(login)
        name = (wp_author.display_name if wp_author else "") or login
        record = self.records.get(("author", login))
        author = Author.objects.filter(pk=record.object_id).first() if record else None
        if author is None:
            author = (
                Author.objects.filter(name__iexact=name).first()
                or Author.objects.filter(name__iexact=login).first()
            )
            if author is None:
                slug = slugify(name)[:120] or slugify(login)[:120] or "author"
                if Author.objects.filter(slug=slug).exists():
                    slug = f"{slug[:110]}-{slugify(login)[:9]}"
                author = Author.objects.create(name=name[:120], slug=slug)
                self.report.count("author", "created")
            else:
                self.report.count("author", "unchanged")
            self._record("author", login, author.pk, _fingerprint(name))
        self.authors[login] = author
        return author

    # Images ---------------------------------------------------------------------------------

    def _image_for_path(self, relative: str, alt: str, title: str) -> int | None:
        if relative in self.images:
            return self.images[relative]
        image_id = None
        if self.uploads is None:
            self.report.note(f"Image {relative} not imported: run with --uploads to bring images.")
        else:
            path = (self.uploads / relative).resolve()
            if not path.is_relative_to(self.uploads.resolve()) or not path.is_file():
                self.report.note(f"Image file missing from the uploads folder: {relative}.")
                self.report.count("image", "skipped")
            else:
                try:
                    image, created = store_image(
                        data=path.read_bytes(), name=path.name, title=title or alt, alt=alt, user=self.user
                    )
                except ImageRejected as exc:
                    self.report.note(f"Image {relative} not imported: {exc}.")
                    self.report.count("image", "skipped")
                else:
                    image_id = image.pk
                    if created:
                        self.created_files.append(image.file)
                    self.report.count("image", "created" if created else "unchanged")
        self.images[relative] = image_id
        return image_id

    # Documents ------------------------------------------------------------------------------

    def _document_for_path(self, relative: str) -> int | None:
        """The document for the upload at ``relative`` (a PDF, a Word file): the one imported
        from the same WordPress attachment before, else the library's document with the same
        content, else a new one. Missing or refused files are reported, never fatal."""
        if relative in self.documents:
            return self.documents[relative]
        self.documents[relative] = document_id = self._document(relative)
        return document_id

    def _document(self, relative: str) -> int | None:
        attachment = self.attachments_by_path.get(relative)
        record = self.records.get(("attachment", attachment.wp_id)) if attachment else None
        Document = get_document_model()
        document = Document.objects.filter(pk=record.object_id).first() if record else None
        extension = relative.rsplit(".", 1)[-1].lower() if "." in relative else ""
        path = (self.uploads / relative).resolve() if self.uploads else None
        problem = None
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            problem = f"Document {relative} not imported: .{extension} files are not accepted here."
        elif path is None:
            problem = f"Document {relative} not imported: run with --uploads to bring documents."
        elif not path.is_relative_to(self.uploads.resolve()) or not path.is_file():
            problem = f"Document file missing from the uploads folder: {relative}."
        if problem is not None:
            if document is not None:  # imported by an earlier run: links still point at it
                self.report.count("document", "unchanged")
                return document.pk
            self.report.note(problem)
            self.report.count("document", "skipped")
            return None
        data = path.read_bytes()
        digest = content_hash(data)
        if document is not None and record.fingerprint == digest:
            self.report.count("document", "unchanged")
            return document.pk
        if document is not None:
            outcome = "updated"  # the same WordPress attachment with new content
        else:
            document = Document.objects.filter(file_hash=digest).order_by("pk").first()
            outcome = "unchanged" if document is not None else "created"
        if outcome != "unchanged":
            if document is None:
                title = (attachment.title if attachment else "") or path.stem
                document = Document(title=title[:255], uploaded_by_user=self.user)
            document.file = File(io.BytesIO(data), name=path.name)
            document.file_size = len(data)
            document.file_hash = digest
            document.save()
            self.created_files.append(document.file)
        self.report.count("document", outcome)
        if attachment is not None:
            self._record("attachment", attachment.wp_id, document.pk, digest)
        return document.pk

    def _resolve_image(self, *, src: str, alt: str, caption: str) -> tuple[int, str] | None:
        """An <img> of the old site's uploads, with the attachment's alt text for when the
        post's own <img> has none (a [caption] usually has none)."""
        relative = bodies.original_upload_path(src)
        if not relative:
            return None
        attachment = self.attachments_by_path.get(relative)
        known_alt = attachment.alt if attachment else ""
        image_id = self._image_for_path(relative, alt or known_alt, attachment.title if attachment else "")
        return (image_id, known_alt) if image_id is not None else None

    def _hero(self, item: wxr.WpItem) -> int | None:
        attachment = self.attachments.get(item.meta.get("_thumbnail_id", ""))
        if attachment is None or not attachment.relative:
            return None
        return self._image_for_path(attachment.relative, attachment.alt, attachment.title)

    # Bodies ---------------------------------------------------------------------------------

    def _body(self, item: wxr.WpItem, notes: list[str]) -> tuple[list, str]:
        html = bodies.prepare(item.content, notes)
        conversion = html_to_blocks(
            html, title=item.title, resolve_image=self._resolve_image, relative_headings=False
        )
        notes.extend(conversion.report)
        blocks = self._link_blocks(conversion.blocks, notes)
        return blocks, conversion.excerpt

    def _link_target(self, href: str, notes: list[str], pending: list[bool]) -> str | None:
        wp_id = self.old.post_for(href)
        if wp_id is not None:
            page_id = self.page_ids.get(wp_id)
            if page_id is None:
                pending.append(True)
                return None
            return f'<a linktype="page" id="{page_id}">'
        relative = bodies.upload_path(href) if self.old.is_old(href) or href.startswith("/") else ""
        if relative and not bodies.is_image_path(relative):
            document_id = self._document_for_path(relative)
            if document_id is not None:
                return f'<a linktype="document" id="{document_id}">'
        if self.old.is_old(href) and "/wp-content/uploads/" not in href:
            notes.append(f"Link to the old site kept as it is: {href}")
        elif self.old.is_old(href):
            notes.append(f"Link to an old media file kept as it is: {href}")
        return None

    def _link_blocks(self, blocks: list, notes: list[str], pending: list[bool] | None = None) -> list:
        pending = pending if pending is not None else []

        def walk(value):
            if isinstance(value, str) and "<a href=" in value:
                return bodies.rewrite_links(value, lambda href: self._link_target(href, notes, pending))
            if isinstance(value, list):
                return [walk(v) for v in value]
            if isinstance(value, dict):
                return {k: walk(v) for k, v in value.items()}
            return value

        out = walk(blocks)
        self._pending = bool(pending)
        return out

    def _fix_links(self) -> None:
        """Links to posts that came later in the file, now that every post has its page."""
        for page_id in self.fixups:
            page = ArticlePage.objects.get(pk=page_id)
            notes: list[str] = []
            pending: list[bool] = []
            raw = self._link_blocks(list(page.body.raw_data), notes, pending)
            page.body = raw
            dates = {
                "first_published_at": page.first_published_at,
                "last_published_at": page.last_published_at,
            }
            revision = page.save_revision(user=self.user, log_action=False, clean=False)
            if page.live:
                revision.publish(user=self.user, log_action=False, skip_permission_checks=True)
                ArticlePage.objects.filter(pk=page.pk).update(**dates)  # WordPress's dates stand
            for record in self.records.values():
                if record.object_id == page_id and record.kind in {"post", "page"}:
                    record.revision_id = revision.pk
                    record.save(update_fields=["revision_id"])

    # Posts ----------------------------------------------------------------------------------

    def _post(self, item: wxr.WpItem) -> None:
        record = self.records.get(("post", item.id))
        page = ArticlePage.objects.filter(pk=record.object_id).first() if record else None
        notes: list[str] = []
        seo = self._seo(item)
        fingerprint = _fingerprint(
            item.title, item.slug, item.status, item.password, item.content, item.excerpt, item.date_gmt,
            item.modified_gmt, [(t.taxonomy, t.slug) for t in item.terms], item.creator, seo,
            item.meta.get("_thumbnail_id"), bool(self.uploads),
        )  # fmt: skip
        if page is not None:
            self.page_ids[item.id] = page.pk
            if record.fingerprint == fingerprint:
                self.report.count("post", "unchanged")
                self._comments(item, page)
                return
            if page.latest_revision_id != record.revision_id and not self.overwrite:
                self.report.count("post", "skipped")
                self.report.note(
                    f"Post {item.id} “{item.title}” was edited in the CMS since its import: left alone "
                    "(use --overwrite to replace it)."
                )
                self._comments(item, page)
                return
        blocks, excerpt = self._body(item, notes)
        pending = self._pending
        fields = {
            "title": (item.title or f"Untitled post {item.id}")[:255],
            "excerpt": self._excerpt(item, excerpt),
            "body": blocks,
            "hero_image_id": self._hero(item),
            "author": self._author(item.creator),
            "seo_title": seo["title"],
            "search_description": seo["description"],
            "canonical_url": seo["canonical"],
            "noindex": seo["noindex"],
        }
        created = page is None
        if created:
            slug = self._free_slug(self.index, item.slug or slugify(item.title) or f"post-{item.id}", item)
            page = ArticlePage(slug=slug, live=False, owner=self.user, **fields)
            self.index.add_child(instance=page)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        topics = [t for t in (self._topic(term) for term in item.terms) if t is not None]
        page.topics.set(topics)
        revision = self._save_with_status(page, item, notes)
        self.page_ids[item.id] = page.pk
        if pending:
            self.fixups.append(page.pk)
        self._record("post", item.id, page.pk, fingerprint, revision.pk)
        self.report.count("post", "created" if created else "updated")
        self._redirects(item, page)
        for note in dict.fromkeys(notes):
            self.report.note(f"Post {item.id} “{_short(item.title)}”: {note}")
        self._comments(item, page)

    def _excerpt(self, item: wxr.WpItem, suggested: str) -> str:
        text = " ".join(strip_tags(item.excerpt).split()) or suggested or item.title
        if len(text) > EXCERPT_MAX:
            text = text[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"
        return text

    def _free_slug(self, parent, wanted: str, item) -> str:
        base = slugify(wanted)[:240] or f"post-{item.id}"
        slug, number = base, 1
        while parent.get_children().filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        if slug != base:
            self.report.note(f"Post {item.id}: the address '{base}' is taken here; it is now '{slug}'.")
        return slug

    def _save_with_status(self, page, item: wxr.WpItem, notes: list[str]):
        """A revision, published or not as WordPress's status says; dates from WordPress."""
        status = item.status
        published_at = item.date_gmt or timezone.now()
        if status == "future" and item.date_gmt:
            page.go_live_at = item.date_gmt
        revision = page.save_revision(user=self.user, log_action=False, clean=False)
        if status in {"publish", "private", "future"}:
            revision.publish(user=self.user, log_action=False, skip_permission_checks=True)
            if status != "future":
                type(page).objects.filter(pk=page.pk).update(
                    first_published_at=published_at,
                    last_published_at=item.modified_gmt or published_at,
                )
        elif page.live:
            page.unpublish(user=self.user, log_action=False)
        PageViewRestriction.objects.filter(page=page).delete()
        if status == "private":
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.GROUPS
            )
            restriction.groups.set(Group.objects.filter(name__in=["Editors", "Moderators"]))
        elif item.password:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password=item.password
            )
        return revision

    def _seo(self, item: wxr.WpItem) -> dict:
        meta = item.meta
        title = meta.get("_yoast_wpseo_title") or meta.get("rank_math_title") or ""
        # Yoast and Rank Math templates: the post's title stays, site-wide variables go.
        title = re.sub(r"%%title%%|%title%", item.title, title)
        title = re.sub(r"%%?[a-z_]+%%?", "", title).strip(" -|–")
        if title == item.title:
            title = ""
        description = meta.get("_yoast_wpseo_metadesc") or meta.get("rank_math_description") or ""
        canonical = meta.get("_yoast_wpseo_canonical") or meta.get("rank_math_canonical_url") or ""
        try:
            URLValidator()(canonical)
        except ValidationError:
            canonical = ""
        noindex = meta.get("_yoast_wpseo_meta-robots-noindex") == "1" or "noindex" in meta.get(
            "rank_math_robots", ""
        )
        return {
            "title": title[:255],
            "description": " ".join(description.split()),
            "canonical": canonical[:200],
            "noindex": noindex,
        }

    # Pages ----------------------------------------------------------------------------------

    def _page(self, item: wxr.WpItem) -> None:
        record = self.records.get(("page", item.id))
        if record is not None and StandardPage.objects.filter(pk=record.object_id).exists():
            self.page_ids[item.id] = record.object_id
            self.report.count(
                "page",
                "unchanged" if record.fingerprint == _fingerprint(item.content, item.title) else "skipped",
            )
            return
        slug = slugify(item.slug or item.title)
        if self.home is None or not slug or self.home.get_children().filter(slug=slug).exists():
            self.report.count("page", "skipped")
            self.report.note(f"Page {item.id} “{_short(item.title)}”: /{slug}/ is taken here; not imported.")
            return
        notes: list[str] = []
        blocks, _excerpt = self._body(item, notes)
        page = StandardPage(
            title=item.title[:255] or slug, slug=slug, body=blocks, live=False, owner=self.user
        )
        self.home.add_child(instance=page)
        revision = self._save_with_status(page, item, notes)
        self.page_ids[item.id] = page.pk
        if self._pending:
            self.report.note(f"Page {item.id}: links to posts later in the file were kept as they are.")
        self._record("page", item.id, page.pk, _fingerprint(item.content, item.title), revision.pk)
        self.report.count("page", "created")
        self._redirects(item, page)

    # Redirects ------------------------------------------------------------------------------

    def _redirect(self, old_path: str, *, page=None, link: str = "") -> None:
        old_path = Redirect.normalise_path(old_path)
        if not old_path or old_path == "/":
            return
        existing = Redirect.objects.filter(old_path=old_path, site=self.wagtail_site).first()
        if existing is not None:
            same = (
                existing.redirect_page_id == (page.pk if page else None)
            ) and existing.redirect_link == link
            if same:
                self.report.count("redirect", "unchanged")
                return
            if existing.redirect_page_id or existing.redirect_link:
                existing.redirect_page = page
                existing.redirect_link = link
                existing.is_permanent = True
                existing.save()
                self.report.count("redirect", "updated")
                return
        Redirect.objects.create(
            old_path=old_path,
            site=self.wagtail_site,
            redirect_page=page,
            redirect_link=link,
            is_permanent=True,
        )
        self.report.count("redirect", "created")

    def _redirects(self, item: wxr.WpItem, page) -> None:
        old = bodies.urlsplit(item.link)
        new_path = page.get_url_parts()[2] if page.get_url_parts() else ""
        key = "page_id" if item.post_type == "page" else "p"
        shortlink = f"/?{key}={item.id}"
        permalink = old.path + (f"?{old.query}" if old.query else "")
        if old.path and old.path.rstrip("/") != new_path.rstrip("/") and permalink != shortlink:
            self._redirect(permalink, page=page)
        self._redirect(shortlink, page=page)

    def _archive_redirects(self) -> None:
        """Category and tag archives (and their feeds) to topic pages, feeds to feeds."""
        for term in self.site.terms.values():
            topic = self.topics.get(("topic", slugify(term.slug)[:100]))
            if topic is None:
                continue
            prefix = "category" if term.taxonomy == "category" else "tag"
            topic_path = reverse("topic-index", kwargs={"slug": topic.slug})
            self._redirect(f"/{prefix}/{term.slug}/", link=topic_path)
            self._redirect(
                f"/{prefix}/{term.slug}/feed/", link=reverse("topic-feed-rss", kwargs={"slug": topic.slug})
            )
        for feed in ("/feed/", "/feed/rss2/", "/?feed=rss2"):
            self._redirect(feed, link=reverse("feed-rss"))
        self._redirect("/feed/atom/", link=reverse("feed-atom"))

    # Comments -------------------------------------------------------------------------------

    def _comments(self, item: wxr.WpItem, page) -> None:
        """New comments are written together (``bulk_create``), a batch ending before a reply to
        a comment of the same batch so that its parent has its id."""
        pending_cutoff = timezone.now() - timedelta(days=settings.COMMENT_EMAIL_RETENTION_DAYS)
        made: dict[str, Comment] = {}
        batch: list[tuple[str, str, Comment]] = []  # (wp id, fingerprint, comment)

        def flush() -> None:
            Comment.objects.bulk_create([comment for _, _, comment in batch])
            for wp_id, fingerprint, comment in batch:
                note_saved(comment)  # bulk_create sends no post_save: Wagtail's references too
                self._record("comment", wp_id, comment.pk, fingerprint)
            batch.clear()

        records = [self.records.get(("comment", c.id)) for c in item.comments]
        existing_ids = [record.object_id for record in records if record is not None]
        existing = Comment.objects.in_bulk(existing_ids) if existing_ids else {}
        for wp_comment in sorted(
            item.comments, key=lambda c: (c.date_gmt is None, c.date_gmt, int(c.id or 0))
        ):
            status = {"1": Comment.Status.APPROVED, "0": Comment.Status.PENDING}.get(wp_comment.approved)
            if status is None or wp_comment.type in {"pingback", "trackback"}:
                self.report.count("comment", "skipped")
                continue
            created_at = wp_comment.date_gmt or timezone.now()
            if status == Comment.Status.PENDING and created_at < pending_cutoff:
                self.report.count("comment", "skipped")
                continue
            body = " ".join(strip_tags(wp_comment.content).split("\n\n")).strip()[:COMMENT_BODY_MAX_LENGTH]
            if not body:
                self.report.count("comment", "skipped")
                continue
            parent = made.get(wp_comment.parent)
            if parent is None and wp_comment.parent not in {"", "0"}:
                record = self.records.get(("comment", wp_comment.parent))
                parent = Comment.objects.filter(pk=record.object_id).first() if record else None
            if parent is not None and parent.pk is None:
                flush()
            email = wp_comment.email.strip()
            try:
                EmailValidator()(email)
            except ValidationError:
                email = ""
            website = (
                wp_comment.url.strip() if wp_comment.url.strip().startswith(("http://", "https://")) else ""
            )
            values = {
                "article": page,
                "parent": parent,
                "name": (wp_comment.author.strip() or "Anonymous")[:NAME_MAX_LENGTH],
                "email": email,
                "website": website[:WEBSITE_MAX_LENGTH],
                "body": body,
                "created_at": created_at,
            }
            fingerprint = _fingerprint(values["name"], body, status, wp_comment.parent, str(created_at))
            record = self.records.get(("comment", wp_comment.id))
            comment = existing.get(record.object_id) if record else None
            if comment is not None and record.fingerprint == fingerprint:
                self.report.count("comment", "unchanged")
            elif comment is not None:
                for name, value in values.items():
                    setattr(comment, name, value)
                if comment.status not in {Comment.Status.REJECTED, Comment.Status.SPAM}:
                    comment.status = status  # a moderator's rejection here stands
                comment.save()
                self._record("comment", wp_comment.id, comment.pk, fingerprint)
                self.report.count("comment", "updated")
            else:
                comment = Comment(
                    status=status,
                    moderated_at=timezone.now() if status == Comment.Status.APPROVED else None,
                    **values,
                )
                batch.append((wp_comment.id, fingerprint, comment))
                self.report.count("comment", "created")
            made[wp_comment.id] = comment
        flush()


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def import_wordpress(
    source: str | Path | BinaryIO | bytes,
    *,
    uploads: Path | None = None,
    dry_run: bool = False,
    overwrite: bool = False,
    user=None,
    progress=None,
) -> Report:
    """Import the export at ``source`` (a path, bytes or a seekable binary stream).
    ``progress(done, total)``, if given, is called after each item of the file is written."""

    def open_source():
        if isinstance(source, bytes):
            return contextlib.closing(io.BytesIO(source))
        if isinstance(source, str | Path):
            return Path(source).open("rb")
        source.seek(0)
        return contextlib.nullcontext(source)

    job = WordPressImport(
        uploads=Path(uploads) if uploads else None,
        dry_run=dry_run,
        overwrite=overwrite,
        user=user,
        progress=progress,
    )
    return job.run(open_source)
