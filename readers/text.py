"""Showing what readers wrote: always as text, links marked ``rel="nofollow ugc"``.

Comments are stored exactly as typed (plain text). When shown, the text is escaped first, so
anything HTML-like appears literally; then bare http(s) addresses become links, paragraphs and
line breaks are kept, and the result goes through nh3 (ammonia) as a final allow-list: only
``p``, ``br`` and ``a href`` survive and every link gets ``rel="nofollow ugc"``.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_URL = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\""
_ALLOWED_TAGS = {"p", "br", "a"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
LINK_REL = "nofollow ugc"


def _linkify(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING_PUNCTUATION)
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(text[last:start]))
        parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        last = end
    parts.append(escape(text[last:]))
    return "".join(parts)


def render_plain_text(text: str) -> SafeString:
    """HTML for a reader's plain text: escaped, linkified, paragraphs kept, sanitised by nh3."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if p.strip()]
    html = "".join(f"<p>{'<br>'.join(_linkify(line) for line in p.split(chr(10)))}</p>" for p in paragraphs)
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        link_rel=LINK_REL,
        url_schemes={"http", "https"},
    )
    return mark_safe(cleaned)  # noqa: S308 - produced by nh3 from escaped text just above


def safe_website(url: str) -> str | None:
    """The commenter's website if it is a plain http(s) address, else None."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None
