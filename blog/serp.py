"""How an article shows in a search result and when it is cut: widths, truncation, keyphrase checks.

Pure Python with no Django import: the editor's SEO panel (``blog/panels.py``) renders these
numbers on the server and ``static/cms/seo-panel.js`` recomputes them live with the same
character widths and the same rules (the table is handed to it as JSON), and the end-to-end
test imports this module to know what the panel must show.

Search engines cut titles and descriptions by width in pixels, not by characters. Widths here
are Arial's (the font of Google's results; its metrics equal Helvetica's published ones), in
thousandths of the font size; a character not in the table counts as a digit's width.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass

# Arial / Helvetica advance widths, 1/1000 em.
CHAR_WIDTHS: dict[str, int] = {
    " ": 278, "!": 278, '"': 355, "#": 556, "$": 556, "%": 889, "&": 667, "'": 191, "(": 333,
    ")": 333, "*": 389, "+": 584, ",": 278, "-": 333, ".": 278, "/": 278, ":": 278, ";": 278,
    "<": 584, "=": 584, ">": 584, "?": 556, "@": 1015, "[": 278, "\\": 278, "]": 278, "^": 469,
    "_": 556, "`": 333, "{": 334, "|": 260, "}": 334, "~": 584,
    **dict.fromkeys("0123456789", 556),
    "A": 667, "B": 667, "C": 722, "D": 722, "E": 667, "F": 611, "G": 778, "H": 722, "I": 278,
    "J": 500, "K": 667, "L": 556, "M": 833, "N": 722, "O": 778, "P": 667, "Q": 778, "R": 722,
    "S": 667, "T": 611, "U": 722, "V": 667, "W": 944, "X": 667, "Y": 667, "Z": 611,
    "a": 556, "b": 556, "c": 500, "d": 556, "e": 556, "f": 278, "g": 556, "h": 556, "i": 222,
    "j": 222, "k": 500, "l": 222, "m": 833, "n": 556, "o": 556, "p": 556, "q": 556, "r": 333,
    "s": 500, "t": 278, "u": 556, "v": 500, "w": 722, "x": 500, "y": 500, "z": 500,
    "\u2013": 556, "\u2014": 1000, "\u2018": 222, "\u2019": 222, "\u201c": 333, "\u201d": 333,
    "\u2026": 1000, "\u00a0": 278,
}  # fmt: skip
DEFAULT_CHAR_WIDTH = 556
ELLIPSIS = "\u2026"

# A desktop search result: title in 20 px Arial in a 580 px line, description in 14 px Arial
# over two lines of about 460 px each.
TITLE_FONT_PX = 20
TITLE_MAX_PX = 580
DESCRIPTION_FONT_PX = 14
DESCRIPTION_MAX_PX = 920
# The site's meta description is cut to this many characters (blog.seo.plain_description);
# search engines show roughly this many.
DESCRIPTION_MAX_CHARS = 160
# Social cards (Open Graph) cut titles and descriptions by characters.
SOCIAL_TITLE_MAX_CHARS = 70
SOCIAL_DESCRIPTION_MAX_CHARS = 200


def text_width(text: str, font_px: int) -> float:
    """Width of ``text`` in pixels at ``font_px``, to a tenth of a pixel."""
    units = sum(CHAR_WIDTHS.get(char, DEFAULT_CHAR_WIDTH) for char in text)
    # Halves round up, as the panel's script (Math.round) does.
    return math.floor(units * font_px / 100 + 0.5) / 10


def whole_px(width: float) -> int:
    """A width as the panel shows it: whole pixels, halves up."""
    return math.floor(width + 0.5)


@dataclass(frozen=True)
class Fit:
    """``text`` as a search result shows it in ``max_px``."""

    text: str
    shown: str  # what is displayed: the text, or its start and an ellipsis
    chars: int
    width_px: float
    max_px: int
    truncated: bool
    cut_at: int | None  # characters of ``text`` shown before the ellipsis

    def as_dict(self) -> dict:
        return asdict(self)


def fit(text: str, *, max_px: int, font_px: int) -> Fit:
    """Cut ``text`` like a search result does: the longest start (ending at a word boundary
    when the start has one) that fits beside an ellipsis."""
    text = " ".join(text.split())
    width = text_width(text, font_px)
    if width <= max_px:
        return Fit(text, text, len(text), width, max_px, False, None)
    budget = max_px - text_width(ELLIPSIS, font_px)
    used, end = 0.0, 0
    for index, char in enumerate(text):
        used += CHAR_WIDTHS.get(char, DEFAULT_CHAR_WIDTH) * font_px / 1000
        if used > budget:
            break
        end = index + 1
    head = text[:end]
    if " " in head.strip() and end < len(text) and text[end] != " ":
        head = head.rsplit(" ", 1)[0]
    head = head.rstrip(" ,;:.-\u2013\u2014")
    return Fit(text, head + ELLIPSIS, len(text), width, max_px, True, len(head))


def cut_description(text: str, *, limit: int = DESCRIPTION_MAX_CHARS) -> str:
    """Whitespace collapsed, cut at a word boundary with an ellipsis when longer than ``limit``
    (the meta description the site outputs)."""
    value = " ".join(text.split())
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.-")
    return f"{cut}{ELLIPSIS}"


def search_result(*, title: str, site_name: str, description: str, url: str, is_home: bool = False) -> dict:
    """The search result of a page: the full title (with the site's name, as the page's
    <title>), its description and address, each with its width and where it is cut."""
    full_title = title if is_home else f"{title} | {site_name}"
    return {
        "title": fit(full_title, max_px=TITLE_MAX_PX, font_px=TITLE_FONT_PX).as_dict(),
        "description": fit(description, max_px=DESCRIPTION_MAX_PX, font_px=DESCRIPTION_FONT_PX).as_dict(),
        "url": url,
    }


def _words(text: str) -> str:
    """Lower-case words separated by single spaces (accents and punctuation dropped)."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whether ``text`` contains every word of ``phrase`` in order, as whole words."""
    words, target = _words(text), _words(phrase)
    return bool(target) and f" {target} " in f" {words} "


def slug_words(slug: str) -> str:
    return slug.replace("-", " ")


KEYPHRASE_CHECKS = (
    ("title", "Search title"),
    ("slug", "Address (slug)"),
    ("first_paragraph", "First paragraph"),
    ("description", "Search description"),
    ("headings", "A section heading"),
)


def keyphrase_checks(
    keyphrase: str, *, title: str, slug: str, first_paragraph: str, description: str, headings: list[str]
) -> list[dict]:
    """Where the focus keyphrase appears: one ``{"key", "label", "passed"}`` per place."""
    places = {
        "title": title,
        "slug": slug_words(slug),
        "first_paragraph": first_paragraph,
        "description": description,
        "headings": "\n".join(headings),
    }
    if not _words(keyphrase):
        return []
    results = []
    for key, label in KEYPHRASE_CHECKS:
        if key == "headings":
            passed = any(contains_phrase(heading, keyphrase) for heading in headings)
        else:
            passed = contains_phrase(places[key], keyphrase)
        results.append({"key": key, "label": label, "passed": passed})
    return results


def client_config(*, site_name: str, description_max_chars: int = DESCRIPTION_MAX_CHARS) -> dict:
    """What the panel's script needs to compute the same numbers in the browser."""
    return {
        "charWidths": CHAR_WIDTHS,
        "defaultCharWidth": DEFAULT_CHAR_WIDTH,
        "title": {"fontPx": TITLE_FONT_PX, "maxPx": TITLE_MAX_PX},
        "description": {"fontPx": DESCRIPTION_FONT_PX, "maxPx": DESCRIPTION_MAX_PX},
        "descriptionMaxChars": description_max_chars,
        "socialTitleMaxChars": SOCIAL_TITLE_MAX_CHARS,
        "socialDescriptionMaxChars": SOCIAL_DESCRIPTION_MAX_CHARS,
        "siteName": site_name,
        "checks": [{"key": key, "label": label} for key, label in KEYPHRASE_CHECKS],
    }
