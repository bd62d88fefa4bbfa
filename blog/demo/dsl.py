"""Tiny helpers the demo texts are written with, so ``content.py`` reads like an outline.

Each helper returns a plain dict describing one body block. References to pages, articles,
approaches and images are symbolic keys (``"consultation"``, ``"chronic-stress"``, ``"CBT"``,
``"window-light"``) that ``builder.py`` resolves once everything exists.

Inline formatting in text: ``**bold**``, ``*italic*`` and links written ``[words](key)``, where
``key`` is a page key or article slug (an internal link) or an ``https://`` address.
"""

from __future__ import annotations


def h2(text: str, anchor: str = "") -> dict:
    """A section heading."""
    return {"type": "heading", "text": text, "level": "2", "anchor": anchor}


def h3(text: str, anchor: str = "") -> dict:
    """A sub-section heading."""
    return {"type": "heading", "text": text, "level": "3", "anchor": anchor}


def para(*paragraphs: str | list[str]) -> dict:
    """One paragraph block; each argument is a paragraph, or a list of strings for bullets."""
    return {"type": "paragraph", "paragraphs": list(paragraphs)}


def symptoms(title: str, items: list[str], *, intro: str = "", style: str = "bullets") -> dict:
    """A titled list of short items, shown as bullets."""
    return {"type": "symptom_list", "title": title, "intro": intro, "items": items, "style": style}


def checklist(title: str, items: list[str], *, intro: str = "") -> dict:
    """A titled list of short items, shown with ticks ('signs you might benefit')."""
    return symptoms(title, items, intro=intro, style="checklist")


def approach(abbreviation: str, summary: str = "") -> dict:
    """A therapy approach from the shared list, with an optional article-specific summary."""
    return {"type": "approach_summary", "approach": abbreviation, "summary": summary}


def cta(heading: str, text: str, button: str, *, page: str = "", url: str = "") -> dict:
    """A call to action whose button opens one of our pages or an external address."""
    return {
        "type": "call_to_action",
        "heading": heading,
        "text": text,
        "button": button,
        "page": page,
        "url": url,
    }


def related(lead_in: str, article: str) -> dict:
    """An inline pointer to another article ('our post on chronic stress goes deeper')."""
    return {"type": "related_article", "lead_in": lead_in, "article": article}


def quote(text: str, attribution: str = "") -> dict:
    """A pull quote."""
    return {"type": "quote", "text": text, "attribution": attribution}


def picture(image: str, *, alt: str, caption: str = "") -> dict:
    """An image from ``IMAGES`` with its alt text and an optional caption."""
    return {"type": "image", "image": image, "alt": alt, "caption": caption}


def faq(items: list[tuple[str, str]], title: str = "Frequently asked questions") -> dict:
    """Questions and answers."""
    return {"type": "faq", "title": title, "items": items}
