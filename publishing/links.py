"""Broken-link checking: links in the published content of live pages, checked by the task
worker (never while a page is served), with the results stored in ``PageLink`` for the
"Broken links" report.

- Internal links (rich text page links, page choosers such as a call to action's button or an
  inline related article) are broken when the page they point at was deleted or is not public
  (unpublished, expired, not yet live, under a view restriction): ``selectors.live_page_ids``
  decides, the rule every public surface uses.
- External links (``http(s)://`` in rich text, URL fields of blocks) are requested under the
  same destination rules as webhooks (``publishing.destinations``: no private or loopback
  addresses outside development, the request goes to the checked address). An answer of 400
  or more is broken (429, "too many requests", says nothing about the link and is not); a
  connection that fails is reported as unreachable; a destination the rules refuse (a private
  address, or plain http where only https may be requested) as not checked.

Only the live content is read: a draft's links are checked when it is published
(``publishing.signal_handlers`` enqueues ``tasks.check_page_links``); the scheduler's
``check_links`` command re-checks every live page, since a page elsewhere can disappear
without anything here changing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from blog import selectors
from blog.representations import page_path
from publishing import destinations
from publishing.models import PageLink

logger = logging.getLogger(__name__)

USER_AGENT = "PracticeCMS-LinkChecker/1.0"
# Statuses some servers give HEAD (or a bot's HEAD) though a browser's GET works: asked again
# with GET before the link is called broken.
RETRY_WITH_GET = frozenset({403, 405, 501})
# "Too many requests": the server is busy with us, not a dead link.
NOT_A_VERDICT = frozenset({429})
MAX_REDIRECTS = 5
MAX_TEXT = 200


@dataclass(frozen=True)
class FoundLink:
    """A link in a page's content. ``target_page_id`` for a page of this site, else ``url``."""

    location: str
    text: str
    url: str = ""
    target_page_id: int | None = None

    @property
    def key(self) -> str:
        return f"page:{self.target_page_id}" if self.target_page_id is not None else self.url


@dataclass(frozen=True)
class Verdict:
    status: str
    status_code: int | None = None
    problem: str = ""


# --- Extraction ---------------------------------------------------------------------------


def _clean_text(html: str) -> str:
    from django.utils.html import strip_tags

    return " ".join(strip_tags(html).split())[:MAX_TEXT]


def _rich_text_links(source: str, location: str) -> Iterator[FoundLink]:
    """Links of stored rich text: ``<a linktype="page" id=…>`` and ``<a href="http…">``."""
    for match in FIND_A_TAG.finditer(source or ""):
        attrs = extract_attrs(match.group(1))
        end = source.find("</a>", match.end())
        text = _clean_text(source[match.end() : end if end != -1 else match.end()])
        if attrs.get("linktype") == "page":
            if str(attrs.get("id", "")).isdigit():
                yield FoundLink(location, text, target_page_id=int(attrs["id"]))
        elif "linktype" not in attrs:
            href = attrs.get("href", "").strip()
            if href.lower().startswith(("http://", "https://")):
                yield FoundLink(location, text, url=href)


def _block_links(block, raw, location: str) -> Iterator[FoundLink]:
    """Links in a block's stored (raw JSON) value, whatever the block's nesting."""
    if raw in (None, ""):
        return
    if isinstance(block, blocks.PageChooserBlock):
        pk = raw.get("id") if isinstance(raw, dict) else raw
        if str(pk).isdigit():
            yield FoundLink(location, "", target_page_id=int(pk))
    elif isinstance(block, blocks.URLBlock):
        url = str(raw).strip()
        if url.lower().startswith(("http://", "https://")):
            yield FoundLink(location, "", url=url)
    elif isinstance(block, blocks.RichTextBlock):
        yield from _rich_text_links(str(raw), location)
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, child in block.child_blocks.items():
            yield from _block_links(child, raw.get(name), location)
    elif isinstance(block, blocks.ListBlock) and isinstance(raw, list):
        for item in raw:
            is_item = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            yield from _block_links(block.child_block, item["value"] if is_item else item, location)
    elif isinstance(block, blocks.StreamBlock) and isinstance(raw, list):
        for item in raw:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                label = str(child.label or item.get("type"))
                yield from _block_links(child, item.get("value"), label)


def page_links(page: Page) -> list[FoundLink]:
    """Every link in ``page``'s stored content (a specific page): its StreamFields' blocks
    and its rich text fields, each once per (target, place)."""
    found: dict[tuple[str, str], FoundLink] = {}
    for field in page._meta.get_fields():
        if isinstance(field, StreamField):
            value = getattr(page, field.name)
            label = str(field.verbose_name).capitalize()
            links = _block_links(field.stream_block, list(value.raw_data), label)
        elif isinstance(field, RichTextField):
            links = _rich_text_links(getattr(page, field.name) or "", str(field.verbose_name).capitalize())
        else:
            continue
        for link in links:
            found.setdefault((link.key, link.location), link)
    return list(found.values())


# --- Checking -----------------------------------------------------------------------------


def internal_verdicts(page_ids: Iterable[int]) -> dict[int, tuple[Verdict, str]]:
    """{page id: (verdict, path to show)} in two queries: deleted, not public, or working."""
    ids = set(page_ids)
    if not ids:
        return {}
    existing = {p.pk: p for p in Page.objects.filter(pk__in=ids).only("pk", "url_path", "title")}
    public = selectors.live_page_ids(ids)
    verdicts = {}
    for pk in ids:
        page = existing.get(pk)
        if page is None:
            verdicts[pk] = (Verdict(PageLink.Status.BROKEN, None, "The page it points to was deleted."), "")
        elif pk not in public:
            verdicts[pk] = (
                Verdict(
                    PageLink.Status.BROKEN,
                    None,
                    "The page it points to is not public (unpublished, expired, scheduled or restricted).",
                ),
                page_path(page),
            )
        else:
            verdicts[pk] = (Verdict(PageLink.Status.OK), page_path(page))
    return verdicts


def check_url(url: str) -> Verdict:
    """Ask ``url`` (HEAD, then GET for servers that refuse HEAD), following a few redirects,
    each hop checked against the destination rules."""
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"}
    timeout = float(getattr(settings, "LINK_CHECK_TIMEOUT_SECONDS", 10))
    try:
        response = destinations.request(
            "HEAD", url, headers=headers, timeout=timeout, max_redirects=MAX_REDIRECTS, max_body_bytes=0
        )
        if response.status in RETRY_WITH_GET:
            response = destinations.request(
                "GET", url, headers=headers, timeout=timeout, max_redirects=MAX_REDIRECTS, max_body_bytes=1024
            )
    except destinations.DestinationRefused as exc:
        return Verdict(PageLink.Status.UNCHECKED, None, f"Not checked: {exc}")
    except destinations.OutboundError as exc:
        return Verdict(PageLink.Status.UNREACHABLE, None, str(exc))
    status = response.status
    if status >= 400 and status not in NOT_A_VERDICT:
        return Verdict(PageLink.Status.BROKEN, status, f"HTTP {status} {response.reason}".strip()[:300])
    if 300 <= status < 400 and len(response.redirects) >= MAX_REDIRECTS:
        return Verdict(PageLink.Status.BROKEN, status, f"More than {MAX_REDIRECTS} redirects.")
    return Verdict(PageLink.Status.OK, status)


def check_urls(urls: Iterable[str]) -> dict[str, Verdict]:
    """``check_url`` for each distinct URL, a few at a time (``LINK_CHECK_CONCURRENCY``)."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    workers = max(1, int(getattr(settings, "LINK_CHECK_CONCURRENCY", 4)))
    with ThreadPoolExecutor(max_workers=min(workers, len(unique))) as pool:
        return dict(zip(unique, pool.map(check_url, unique), strict=True))


def checkable_pages(page_ids: Iterable[int] | None = None):
    """Live, public pages (the readers' rule) whose links are checked; all of them, or those
    among ``page_ids``."""
    pages = selectors.live_pages().order_by("path")
    if page_ids is not None:
        pages = pages.filter(pk__in=list(page_ids))
    return pages.specific()


def check_pages(page_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Check the links of the given live pages (every live page when None) and store what
    was found; rows of pages that are no longer public, or of links no longer there, go.
    Returns counts per status, for logs and the command's summary."""
    wanted = None if page_ids is None else list(page_ids)
    pages = list(checkable_pages(wanted))
    links = {page.pk: page_links(page) for page in pages}
    internal = internal_verdicts(
        link.target_page_id for found in links.values() for link in found if link.target_page_id is not None
    )
    external = check_urls(
        link.url for found in links.values() for link in found if link.target_page_id is None
    )
    now = timezone.now()
    counts = {status: 0 for status in PageLink.Status.values}
    with transaction.atomic():
        gone = PageLink.objects.exclude(page_id__in=[p.pk for p in pages])
        if wanted is not None:
            gone = gone.filter(page_id__in=wanted)
        gone.delete()
        for page in pages:
            rows = []
            for link in links[page.pk]:
                if link.target_page_id is not None:
                    verdict, path = internal[link.target_page_id]
                    url = path or f"(deleted page #{link.target_page_id})"
                else:
                    verdict, url = external[link.url], link.url
                counts[verdict.status] += 1
                rows.append(
                    PageLink(
                        page=page,
                        key=link.key,
                        location=link.location[:120],
                        kind=PageLink.Kind.INTERNAL
                        if link.target_page_id is not None
                        else PageLink.Kind.EXTERNAL,
                        url=url[:2000],
                        target_page_id=link.target_page_id,
                        text=link.text,
                        status=verdict.status,
                        status_code=verdict.status_code,
                        problem=verdict.problem[:300],
                        last_checked_at=now,
                    )
                )
            PageLink.objects.filter(page=page).delete()
            PageLink.objects.bulk_create(rows)
    logger.info("Link check of %s pages: %s", len(pages), counts)
    return counts


def pages_linking_to(page_ids: Iterable[int]) -> list[int]:
    """Pages whose last check found a link to any of ``page_ids`` (to re-check them when
    those pages are unpublished or deleted)."""
    return list(
        PageLink.objects.filter(target_page_id__in=list(page_ids))
        .values_list("page_id", flat=True)
        .distinct()
    )
