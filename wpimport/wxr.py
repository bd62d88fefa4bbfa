"""Streaming, safe reading of WordPress eXtended RSS (WXR 1.0-1.2, Tools › Export).

The file is read element by element (``iterparse``) and every item is dropped once handed
over, so a 50 MB export never sits in memory. defusedxml refuses a DOCTYPE (so no entity
expansion and no external entities) before anything is read. A malformed or truncated file
raises ``WxrError`` with one line saying where.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WP_PREFIX = "http://wordpress.org/export/"


class WxrError(ValueError):
    """The file is not a WordPress export this importer can read; the message is one line."""


@dataclass
class WpAuthor:
    login: str
    display_name: str
    email: str  # read only to tell authors apart; never stored


@dataclass
class WpTerm:
    taxonomy: str  # "category" or "post_tag"
    slug: str
    name: str


@dataclass
class WpComment:
    id: str
    author: str
    email: str
    url: str
    date_gmt: datetime | None
    content: str
    approved: str  # "1", "0", "spam", "trash"
    type: str  # "", "comment", "pingback", "trackback"
    parent: str


@dataclass
class WpItem:
    id: str
    post_type: str
    title: str
    link: str
    slug: str
    status: str
    password: str
    creator: str
    content: str
    excerpt: str
    date_gmt: datetime | None
    modified_gmt: datetime | None
    parent: str
    attachment_url: str
    terms: list[WpTerm] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[WpComment] = field(default_factory=list)


@dataclass
class WpSite:
    base_url: str = ""
    authors: dict[str, WpAuthor] = field(default_factory=dict)
    terms: dict[tuple[str, str], WpTerm] = field(default_factory=dict)


def _local(tag: str) -> tuple[str, str]:
    """('wp'|'content'|'excerpt'|'dc'|'', local name) of a namespaced tag."""
    if tag.startswith("{"):
        uri, _, name = tag[1:].partition("}")
        if uri.startswith(WP_PREFIX):
            return ("excerpt" if uri.rstrip("/").endswith("excerpt") else "wp"), name
        if uri == CONTENT_NS:
            return "content", name
        if uri == DC_NS:
            return "dc", name
        return "?", name
    return "", tag


def _children(element: Element) -> dict[tuple[str, str], str]:
    out = {}
    for child in element:
        out.setdefault(_local(child.tag), (child.text or "").strip() if child.tag else "")
    return out


def _text(element: Element, key: tuple[str, str]) -> str:
    for child in element:
        if _local(child.tag) == key:
            return child.text or ""
    return ""


def parse_gmt(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _author(element: Element) -> WpAuthor:
    fields = _children(element)
    return WpAuthor(
        login=fields.get(("wp", "author_login"), ""),
        display_name=fields.get(("wp", "author_display_name"), "") or fields.get(("wp", "author_login"), ""),
        email=fields.get(("wp", "author_email"), ""),
    )


def _term(element: Element) -> WpTerm | None:
    fields = _children(element)
    name = _local(element.tag)[1]
    if name == "category":
        return WpTerm(
            "category", fields.get(("wp", "category_nicename"), ""), fields.get(("wp", "cat_name"), "")
        )
    if name == "tag":
        return WpTerm("post_tag", fields.get(("wp", "tag_slug"), ""), fields.get(("wp", "tag_name"), ""))
    taxonomy = fields.get(("wp", "term_taxonomy"), "")
    if taxonomy in {"category", "post_tag"}:
        return WpTerm(taxonomy, fields.get(("wp", "term_slug"), ""), fields.get(("wp", "term_name"), ""))
    return None


def _comment(element: Element) -> WpComment:
    fields = _children(element)
    return WpComment(
        id=fields.get(("wp", "comment_id"), ""),
        author=fields.get(("wp", "comment_author"), ""),
        email=fields.get(("wp", "comment_author_email"), ""),
        url=fields.get(("wp", "comment_author_url"), ""),
        date_gmt=parse_gmt(fields.get(("wp", "comment_date_gmt"), "")),
        content=_text(element, ("wp", "comment_content")),
        approved=fields.get(("wp", "comment_approved"), "0"),
        type=fields.get(("wp", "comment_type"), ""),
        parent=fields.get(("wp", "comment_parent"), "0"),
    )


def _item(element: Element) -> WpItem:
    fields = _children(element)
    item = WpItem(
        id=fields.get(("wp", "post_id"), ""),
        post_type=fields.get(("wp", "post_type"), ""),
        title=_text(element, ("", "title")).strip(),
        link=fields.get(("", "link"), ""),
        slug=fields.get(("wp", "post_name"), ""),
        status=fields.get(("wp", "status"), ""),
        password=fields.get(("wp", "post_password"), ""),
        creator=fields.get(("dc", "creator"), ""),
        content=_text(element, ("content", "encoded")),
        excerpt=_text(element, ("excerpt", "encoded")),
        date_gmt=parse_gmt(fields.get(("wp", "post_date_gmt"), "")),
        modified_gmt=parse_gmt(fields.get(("wp", "post_modified_gmt"), "")),
        parent=fields.get(("wp", "post_parent"), "0"),
        attachment_url=fields.get(("wp", "attachment_url"), ""),
    )
    for child in element:
        key = _local(child.tag)
        if key == ("", "category"):
            domain = child.get("domain", "")
            if domain in {"category", "post_tag"}:
                item.terms.append(WpTerm(domain, child.get("nicename", ""), (child.text or "").strip()))
        elif key == ("wp", "postmeta"):
            meta = _children(child)
            item.meta[meta.get(("wp", "meta_key"), "")] = _text(child, ("wp", "meta_value"))
        elif key == ("wp", "comment"):
            item.comments.append(_comment(child))
    return item


def read(source: str | BinaryIO, site: WpSite | None = None) -> Iterator[WpItem]:
    """Yield the export's items in order, filling ``site`` (authors, terms, base URL) from the
    channel as it goes. Raises ``WxrError`` for a file that is not a complete, well-formed,
    DTD-free WXR document."""
    site = site if site is not None else WpSite()
    stack: list[Element] = []
    seen_rss = False
    try:
        for event, element in iterparse(source, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                if not stack and element.tag != "rss":
                    raise WxrError(
                        f"Not a WordPress export: the document starts with <{element.tag}>, not <rss>."
                    )
                seen_rss = True
                stack.append(element)
                continue
            stack.pop()
            if len(stack) != 2:  # only direct children of <channel> are handed over
                continue
            channel = stack[-1]
            prefix, name = _local(element.tag)
            if (prefix, name) == ("", "item"):
                yield _item(element)
            elif prefix == "wp" and name == "author":
                author = _author(element)
                site.authors[author.login] = author
            elif prefix == "wp" and name in {"category", "tag", "term"}:
                term = _term(element)
                if term and term.slug:
                    site.terms[(term.taxonomy, term.slug)] = term
            elif (
                prefix == "wp"
                and name == "base_site_url"
                or (prefix, name) == ("", "link")
                and not site.base_url
            ):
                site.base_url = (element.text or "").strip()
            channel.remove(element)  # keep memory flat: nothing read stays attached
    except DefusedXmlException as exc:
        raise WxrError(
            "Refused: the file declares a DTD or entities, which a WordPress export never does."
        ) from exc
    except ParseError as exc:
        line, column = getattr(exc, "position", (0, 0))
        raise WxrError(f"Malformed or truncated export (XML error at line {line}, column {column}).") from exc
    if not seen_rss:
        raise WxrError("Not a WordPress export: the file is empty.")
