"""The seed article (shared/seed/emotional-numbness-article.txt, the practice's WordPress post
as text) as the HTML a browser puts on the clipboard when the post is copied from the
WordPress page: the title as <h1>, sections as <h2>, sub-sections as <h3>, lists as <ul>, in
WordPress's block markup (wp-block-heading, wp-block-list) with the inline styles a copy
carries."""

from __future__ import annotations

import os
from html import escape
from pathlib import Path

SEED = Path(os.environ.get("SEED_ARTICLE", Path(__file__).resolve().parents[3] / "shared" / "seed"))
SEED_FILE = SEED / "emotional-numbness-article.txt" if SEED.is_dir() else SEED
FALLBACK_SEED_FILE = Path("/work/shared/seed/emotional-numbness-article.txt")

SECTIONS = {
    "What Does Emotional Numbness Actually Feel Like?",
    "Why Do We Shut Down Emotionally?",
    "How Psychotherapy Helps You Reconnect",
    "Therapeutic Approaches That Work",
    "Building Emotional Resilience",
    "What to Expect in Therapy",
    "Signs You Might Benefit from Therapy",
    "Finding Support in Los Angeles and Orange County",
    "You Deserve to Feel Again",
}
# Where the post ends and WordPress's comment form begins.
END_MARKER = "Leave a Reply"
BULLET = "•"


def seed_text() -> str:
    path = SEED_FILE if SEED_FILE.exists() else FALLBACK_SEED_FILE
    return path.read_text(encoding="utf-8")


def is_heading(line: str) -> bool:
    return line in SECTIONS or (len(line) <= 70 and not line.endswith((".", ":", "!", "”", '"', "…")))


def seed_structure() -> tuple[str, list[tuple[str, object]]]:
    """(title, [("h2"|"h3", text) | ("p", text) | ("ul", [items])]) of the seed article."""
    lines = [line.strip() for line in seed_text().splitlines()]
    title = lines[0]
    parts: list[tuple[str, object]] = []
    for line in lines[1:]:
        if line == END_MARKER:
            break
        if not line or line == title:
            continue
        if line.startswith(BULLET):
            item = line.lstrip(BULLET).strip()
            if parts and parts[-1][0] == "ul":
                parts[-1][1].append(item)
            else:
                parts.append(("ul", [item]))
        elif line in SECTIONS:
            parts.append(("h2", line))
        elif is_heading(line):
            parts.append(("h3", line))
        else:
            parts.append(("p", line))
    return title, parts


def seed_wordpress_html() -> str:
    """The post as copied from the WordPress page (entry header and content)."""
    title, parts = seed_structure()
    out = [
        "<meta charset='utf-8'>",
        '<header class="entry-header">'
        f'<h1 class="entry-title" style="color: rgb(34, 34, 34);">{escape(title)}</h1></header>',
        '<div class="entry-content" style="font-family: Georgia, serif;">',
    ]
    for kind, value in parts:
        if kind == "ul":
            items = "".join(f"<li>{escape(item)}</li>" for item in value)
            out.append(f'<ul class="wp-block-list">{items}</ul>')
        elif kind in {"h2", "h3"}:
            anchor = "".join(c for c in value.lower() if c.isalnum() or c == " ").replace(" ", "-")
            out.append(f'<{kind} class="wp-block-heading" id="{anchor}">{escape(value)}</{kind}>')
        else:
            out.append(f'<p style="margin-bottom: 1.5em;">{escape(value)}</p>')
    out.append("</div>")
    return "\n".join(out)
