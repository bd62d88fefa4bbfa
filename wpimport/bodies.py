"""WordPress post bodies made ready for the shared HTML-to-blocks conversion: shortcodes,
classic-editor line breaks, and links to the old site."""

from __future__ import annotations

import html as html_lib
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

_CAPTION = re.compile(r"\[caption\b[^\]]*\](.*?)\[/caption\]", re.S | re.I)
_ENCLOSING = re.compile(r"\[([a-z][a-z0-9_-]*)\b[^\]]*\](.*?)\[/\1\]", re.S | re.I)
_SINGLE = re.compile(r"\[/?([a-z][a-z0-9_-]*)\b[^\]]*\]", re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|table|pre|hr|section|!--)\b", re.I
)
_HREF = re.compile(r'<a href="([^"]*)">')
_RESIZED = re.compile(r"-\d+x\d+(?=\.[a-z0-9]+$)", re.I)


def shortcodes(content: str, report: list[str]) -> str:
    """[caption] becomes a figure; other shortcodes lose their brackets (their enclosed text
    is kept) and are named in the report. Nothing in square brackets is published raw."""

    def caption(match: re.Match) -> str:
        inner = match.group(1)
        image = _IMG.search(inner)
        text = _IMG.sub("", inner)
        text = re.sub(r"</?a\b[^>]*>", "", text).strip()
        return f"<figure>{image.group(0) if image else ''}<figcaption>{text}</figcaption></figure>"

    content = _CAPTION.sub(caption, content)
    seen: list[str] = []

    def enclosing(match: re.Match) -> str:
        seen.append(match.group(1).lower())
        return match.group(2)

    previous = None
    while previous != content:  # nested shortcodes
        previous = content
        content = _ENCLOSING.sub(enclosing, content)

    def single(match: re.Match) -> str:
        seen.append(match.group(1).lower())
        return ""

    content = _SINGLE.sub(single, content)
    for name in sorted(set(seen)):
        report.append(f"Shortcode [{name}] removed (its enclosed text, if any, kept).")
    return content


def autop(content: str) -> str:
    """Classic-editor bodies: blank lines separate paragraphs and single line breaks are <br>
    (what WordPress's wpautop does on display); chunks that start with a block tag stay."""
    parts = []
    for chunk in re.split(r"\n\s*\n", content.replace("\r\n", "\n")):
        if not chunk.strip():
            continue
        if _BLOCK_START.match(chunk):
            parts.append(chunk)
        else:
            parts.append("<p>" + re.sub(r"\s*\n\s*", "<br/>", chunk.strip()) + "</p>")
    return "\n".join(parts)


def prepare(content: str, report: list[str]) -> str:
    """HTML the conversion reads: Gutenberg's block comments are left for the parser to drop
    with every other comment; classic bodies get their paragraphs."""
    content = shortcodes(content, report)
    if "<!-- wp:" not in content:
        content = autop(content)
    return content


def upload_path(url: str) -> str:
    """The path under wp-content/uploads of a media URL as it is (a document has no resized
    copies), or ``""``."""
    path = unquote(urlsplit(url).path)
    marker = "/wp-content/uploads/"
    return path.split(marker, 1)[1] if marker in path else ""


def is_image_path(path: str) -> bool:
    """True for files WordPress treats as images (its attachment mime type is image/*)."""
    mime, _encoding = mimetypes.guess_type(path)
    return bool(mime and mime.startswith("image/"))


def original_upload_path(url: str) -> str:
    """The path under wp-content/uploads of the original file behind a (resized) media URL:
    ``…/uploads/2024/01/desk-1024x576.jpg`` -> ``2024/01/desk.jpg``."""
    path = urlsplit(url).path
    marker = "/wp-content/uploads/"
    if marker not in path:
        return ""
    relative = path.split(marker, 1)[1]
    return _RESIZED.sub("", relative)


@dataclass
class OldSite:
    """The old site's addresses: which links point at which WordPress post."""

    hosts: set[str] = field(default_factory=set)
    by_path: dict[str, str] = field(default_factory=dict)  # "/2024/01/slug" -> post id
    by_slug: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)

    def add_host(self, url: str) -> None:
        host = urlsplit(url).hostname
        if host:
            self.hosts.add(host.lower())
            self.hosts.add(host.lower().removeprefix("www."))
            self.hosts.add("www." + host.lower().removeprefix("www."))

    def add_post(self, wp_id: str, link: str, slug: str) -> None:
        self.ids.add(wp_id)
        path = urlsplit(link).path.rstrip("/")
        if path:
            self.by_path[path] = wp_id
        if slug:
            self.by_slug.setdefault(slug, wp_id)

    def is_old(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(parts.hostname) and parts.hostname.lower() in self.hosts

    def post_for(self, url: str) -> str | None:
        """The WordPress id a link to the old site points at: its permalink, ``?p=ID``,
        ``?page_id=ID`` or a date-based permalink ending in the post's slug."""
        parts = urlsplit(url)
        if parts.hostname and parts.hostname.lower() not in self.hosts:
            return None
        if not parts.hostname and not url.startswith("/"):
            return None
        query = parse_qs(parts.query)
        for key in ("p", "page_id"):
            if query.get(key) and query[key][0] in self.ids:
                return query[key][0]
        path = parts.path.rstrip("/")
        if path in self.by_path:
            return self.by_path[path]
        last = path.rsplit("/", 1)[-1]
        if re.search(r"/\d{4}/\d{2}(/\d{2})?/[^/]+$", path) and last in self.by_slug:
            return self.by_slug[last]
        return None


def rewrite_links(html: str, target: Callable[[str], str | None]) -> str:
    """``<a href>`` in stored rich text replaced by ``target(href)`` when it gives a new tag
    opening (an internal page link), left as it is otherwise."""

    def replace(match: re.Match) -> str:
        new = target(html_lib.unescape(match.group(1)))
        return new if new else match.group(0)

    return _HREF.sub(replace, html)
