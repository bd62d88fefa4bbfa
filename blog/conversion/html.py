"""HTML to article blocks: what Word, Google Docs, a WordPress page or a WordPress export body
holds becomes the blocks of ``blog.blocks.ArticleStreamBlock``, in order.

The one conversion the editor's paste, the .docx import and the WordPress import share. It
reads the document's *structure* (headings, paragraphs, lists, quotes, figures, FAQ sections)
and drops its *presentation* (Word's ``mso-`` styles and conditional comments, Google Docs'
``<b style="font-weight:normal">`` wrapper and styled spans, WordPress's ``wp-block-``
classes). Paragraph HTML keeps only what the article's rich text allows (bold, italic, links,
lists) and is sanitised again on the way out. Anything without a block of its own (tables,
embeds, images nobody can supply) is kept as text or dropped, and always named in
``Conversion.report`` so the editor knows what to check.

Nothing here writes: images are handed to a resolver the caller supplies (``ImageResolver``),
which returns the id of an image in Wagtail's library, or None when it has none.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from urllib.parse import parse_qs, urlsplit

import nh3
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PreformattedString
from django.utils.text import slugify

from blog.blocks import ArticleStreamBlock

# Limits of the blocks the conversion fills (blog/blocks.py), read once from the blocks so the
# two cannot drift apart.
_BODY = ArticleStreamBlock()
HEADING_MAX = _BODY.child_blocks["heading"].child_blocks["text"].field.max_length
HEADINGS_PER_BODY = _BODY.meta.block_counts["heading"]["max_num"]
_SYMPTOMS = _BODY.child_blocks["symptom_list"]
LIST_TITLE_MAX = _SYMPTOMS.child_blocks["title"].field.max_length
LIST_ITEM_MAX = _SYMPTOMS.child_blocks["items"].child_block.field.max_length
LIST_ITEMS_MAX = _SYMPTOMS.child_blocks["items"].meta.max_num
QUOTE_MAX = _BODY.child_blocks["quote"].child_blocks["text"].field.max_length
ATTRIBUTION_MAX = _BODY.child_blocks["quote"].child_blocks["attribution"].field.max_length
_FAQ = _BODY.child_blocks["faq"]
FAQ_ITEMS_MAX = _FAQ.child_blocks["items"].meta.max_num
FAQ_QUESTION_MAX = _FAQ.child_blocks["items"].child_block.child_blocks["question"].field.max_length
CAPTION_MAX = _BODY.child_blocks["image"].child_blocks["caption"].field.max_length
ALT_MAX = _BODY.child_blocks["image"].child_blocks["alt_text"].field.max_length
CTA_LABEL_MAX = _BODY.child_blocks["call_to_action"].child_blocks["button_label"].field.max_length

DEFAULT_LIST_TITLE = "Key points"
DEFAULT_CTA_HEADING = "Take the next step"
EXCERPT_MAX = 300

# Markup that is never content. Their text goes too (a script's code is not prose).
_DROPPED = {
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "base", "svg",
    "math", "canvas", "form", "input", "button", "select", "textarea", "option", "nav", "map",
}  # fmt: skip
_MEDIA = {"iframe", "video", "audio", "embed", "object"}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements that start a new block when met among inline content.
_BLOCK_TAGS = {
    "p", "div", "section", "article", "main", "aside", "header", "footer", "address", "center",
    "blockquote", "figure", "figcaption", "ul", "ol", "li", "dl", "dt", "dd", "table", "pre",
    "hr", "details", "summary", "img", *_HEADINGS, *_MEDIA,
}  # fmt: skip
# What a paragraph may contain on the way out (ARTICLE_RICH_TEXT_FEATURES: bold, italic, links,
# lists); the same policy Draftail applies when the editor saves.
_ALLOWED_TAGS = {"p", "b", "i", "a", "br", "ul", "ol", "li"}
_ALLOWED_ATTRIBUTES = {"a": {"href"}}
_URL_SCHEMES = {"http", "https", "mailto", "tel"}
_CHECK_MARKS = "✓✔☑✅☐□■▢"
_FAQ_HEADING = re.compile(
    r"\b(faqs?|frequently asked|common questions|questions and answers|q\s*&\s*a)\b", re.I
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")
_WORD_LIST_LEVEL = re.compile(r"mso-list:\s*l\d+\s+level(\d+)", re.I)
_ORDERED_MARKER = re.compile(r"^\s*(\d+|[a-zA-Z]|[ivxlcdm]+)[.)]\s*$", re.I)
_SPACE = re.compile(r"[ \t\n\r\f\v\xa0\u200b]+")


ImageResolver = Callable[..., "int | tuple[int, str] | None"]
"""``resolver(src=..., alt=..., caption=...)`` -> the id of a Wagtail image (or ``(id, alt)``
when the library knows alt text for it, used where the document gives none), or None."""


@dataclass
class Conversion:
    """The outcome: a title (from the document when none was given), the body as StreamField
    raw data (``[{"type", "value", "id"}]``), a suggested excerpt, and what the editor should
    check (``report``: one plain sentence per thing that did not map exactly)."""

    title: str
    blocks: list[dict]
    excerpt: str
    report: list[str] = field(default_factory=list)

    @property
    def block_types(self) -> list[str]:
        return [block["type"] for block in self.blocks]


# --- Intermediate items, in document order --------------------------------------------------


@dataclass
class _Heading:
    level: int
    text: str


@dataclass
class _Para:
    html: str  # one <p> or one <ul>/<ol>, clean
    text: str


@dataclass
class _List:
    ordered: bool
    items: list[tuple[str, str]]  # (inline html, plain text), nested items flattened in order
    checklist: bool = False


@dataclass
class _Quote:
    text: str
    attribution: str


@dataclass
class _Image:
    src: str
    alt: str
    caption: str
    image_id: int | None = None


@dataclass
class _Faq:
    title: str
    items: list[tuple[str, str]]  # (question, answer html)


@dataclass
class _Button:
    label: str
    url: str


def _new_id() -> str:
    return str(uuid.uuid4())


def _collapse(text: str) -> str:
    return _SPACE.sub(" ", text)


def _style(tag: Tag) -> str:
    return (tag.get("style") or "").replace(" ", "").lower()


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class") or []
    return value if isinstance(value, list) else value.split()


def _is_bold(tag: Tag) -> bool | None:
    """True/False when the element sets boldness, None when it leaves it as inherited."""
    match = re.search(r"font-weight:(\w+)", _style(tag))
    if match:
        weight = match.group(1)
        return weight in {"bold", "bolder"} or (weight.isdigit() and int(weight) >= 600)
    if tag.name in {"b", "strong"}:
        return True
    return None


def _is_italic(tag: Tag) -> bool | None:
    match = re.search(r"font-style:(\w+)", _style(tag))
    if match:
        return match.group(1) in {"italic", "oblique"}
    if tag.name in {"i", "em", "cite", "dfn", "var"}:
        return True
    return None


def safe_href(href: str | None) -> str | None:
    """A link target fit for an article, or None: http(s), mailto, tel and site paths only.
    Google Docs' redirect links (google.com/url?q=…) point at their real target."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(href)
    if parts.netloc.endswith("google.com") and parts.path == "/url":
        target = parse_qs(parts.query).get("q")
        if target:
            return safe_href(target[0])
    if parts.scheme:
        return href if parts.scheme.lower() in _URL_SCHEMES else None
    return href if href.startswith("/") else None


def sanitise(html: str) -> str:
    """The final say on paragraph HTML: only the article's rich text features survive."""
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class _Walker:
    """Reads the parsed document once, top to bottom, into intermediate items."""

    def __init__(self, report: list[str]):
        self.items: list = []
        self.report = report
        self._inline: list = []  # loose inline nodes waiting to become a paragraph
        self._word_list: list[tuple[int, bool, Tag]] = []  # Word's list paragraphs in a row
        self._images: list[_Image] = []  # images met inside inline content, placed after it

    # Blocks ---------------------------------------------------------------------------------

    def walk(self, container: Tag) -> None:
        for node in list(container.children):
            if isinstance(node, PreformattedString):
                continue
            if isinstance(node, NavigableString):
                if node.strip() or self._inline:
                    self._inline.append(node)
                continue
            if not isinstance(node, Tag):
                continue
            name = node.name.lower()
            if name in _DROPPED:
                continue
            if self._word_list_level(node) is not None:
                self._flush_inline()
                self._word_list.append((self._word_list_level(node), self._word_list_ordered(node), node))
                continue
            if (
                name not in _BLOCK_TAGS
                and not self._has_block_descendant(node)
                and _heading_level(node) is None
            ):
                self._inline.append(node)
                continue
            self._flush()
            self._block(node, name)
        self._flush()

    def _block(self, node: Tag, name: str) -> None:
        classes = _classes(node)
        level = _heading_level(node)
        if level is not None:
            self._heading(node, level)
        elif name in {"ul", "ol"}:
            self._list(node)
        elif name == "blockquote":
            self._quote(node)
        elif name == "img":
            self._image(node, caption="")
        elif name == "figure":
            self._figure(node)
        elif name == "table":
            self._table(node)
        elif name in _MEDIA:
            self._media(node)
        elif name == "hr":
            return  # a separator carries no content
        elif name == "pre":
            lines = [escape(line) for line in node.get_text().splitlines()]
            self._paragraph_html("<br/>".join(lines), node.get_text())
        elif name == "details":
            self._details(node)
        elif "schema-faq" in classes or "wp-block-yoast-faq-block" in classes:
            self._yoast_faq(node)
        elif "wp-block-buttons" in classes or "wp-block-button" in classes:
            self._buttons(node)
        elif self._has_block_descendant(node):
            self.walk(node)  # a container (div, section, Google Docs' <b> wrapper…)
        else:
            self._paragraph(node)

    def _flush(self) -> None:
        self._flush_inline()
        self._flush_word_list()

    def _flush_inline(self) -> None:
        nodes, self._inline = self._inline, []
        if nodes:
            html = "".join(self._inline_html(node) for node in nodes)
            self._paragraph_html(html, "".join(_text(node) for node in nodes))
        self._place_images()

    def _place_images(self) -> None:
        images, self._images = self._images, []
        self.items.extend(images)

    def _paragraph(self, node: Tag) -> None:
        self._paragraph_html(self._inline_html(node, root=True), _text(node))
        self._place_images()

    def _paragraph_html(self, html: str, text: str) -> None:
        html = _trim_breaks(html)
        text = _collapse(text).strip()
        if not text:
            return
        self.items.append(_Para(html=f"<p>{html}</p>", text=text))

    def _heading(self, node: Tag, level: int) -> None:
        text = _collapse(_text(node)).strip()
        if text:
            self.items.append(_Heading(level=level, text=text))
        for img in node.find_all("img"):
            self._image(img, caption="")

    def _list(self, node: Tag) -> None:
        items: list[tuple[str, str]] = []
        self._list_items(node, items)
        if items:
            checklist = "check" in " ".join(_classes(node)).lower() or all(
                text[:1] in _CHECK_MARKS for _html, text in items
            )
            if checklist:
                items = [
                    (html.lstrip(_CHECK_MARKS + " "), text.lstrip(_CHECK_MARKS + " ")) for html, text in items
                ]
            self.items.append(_List(ordered=node.name.lower() == "ol", items=items, checklist=checklist))
        self._place_images()

    def _list_items(self, node: Tag, items: list[tuple[str, str]]) -> None:
        """Items in reading order; a nested list's items follow their parent item."""
        for child in node.children:
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in {"ul", "ol"}:  # Google Docs nests lists directly in lists
                self._list_items(child, items)
            elif name == "li":
                nested = [c for c in child.children if isinstance(c, Tag) and c.name.lower() in {"ul", "ol"}]
                parts = [c for c in child.children if c not in nested]
                html = _trim_breaks("".join(self._inline_html(part) for part in parts))
                text = _collapse("".join(_text(part) for part in parts)).strip()
                if text:
                    items.append((html, text))
                for sub in nested:
                    self._list_items(sub, items)

    def _flush_word_list(self) -> None:
        rows, self._word_list = self._word_list, []
        if not rows:
            return
        items = []
        for _level, _ordered, node in rows:
            html = _trim_breaks(self._inline_html(node, root=True))
            text = _collapse(_text(node)).strip()
            if text:
                items.append((html, text))
        if items:
            self.items.append(_List(ordered=rows[0][1], items=items))
        self._place_images()

    @staticmethod
    def _word_list_level(node: Tag) -> int | None:
        """Word writes list items as paragraphs styled ``mso-list:l0 level1 lfo1``."""
        if node.name.lower() != "p":
            return None
        match = _WORD_LIST_LEVEL.search(node.get("style") or "")
        return int(match.group(1)) if match else None

    @staticmethod
    def _word_list_ordered(node: Tag) -> bool:
        marker = node.find(style=re.compile(r"mso-list:\s*Ignore", re.I))
        return bool(marker and _ORDERED_MARKER.match(_collapse(marker.get_text())))

    def _quote(self, node: Tag) -> None:
        if node.find(["ul", "ol", "table", *_HEADINGS]):
            self.report.append("A quote holding lists or headings was kept as ordinary text.")
            self.walk(node)
            return
        cite = node.find(["cite", "footer"])
        attribution = _collapse(cite.get_text()).strip().lstrip("—–- ").strip() if cite else ""
        if cite:
            cite.extract()
        for img in node.find_all("img"):
            self._images.append(self._image_item(img, caption=""))
        paragraphs = [_collapse(p.get_text()).strip() for p in node.find_all("p")]
        text = "\n\n".join(p for p in paragraphs if p) if paragraphs else _collapse(node.get_text()).strip()
        text = text.strip().strip('"“”„«»').strip()
        if not text:
            self._place_images()
            return
        if len(text) > QUOTE_MAX or len(attribution) > ATTRIBUTION_MAX:
            self.report.append(
                f"A quote longer than {QUOTE_MAX} characters was kept as a paragraph: “{_shorten(text)}”."
            )
            self._paragraph_html(f"<i>{escape(text)}</i>", text)
        else:
            self.items.append(_Quote(text=text, attribution=attribution))
        self._place_images()

    def _image_item(self, img: Tag, caption: str) -> _Image:
        return _Image(
            src=(img.get("src") or "").strip(),
            alt=_collapse(img.get("alt") or "").strip()[:ALT_MAX],
            caption=_collapse(caption).strip()[:CAPTION_MAX],
        )

    def _image(self, img: Tag, caption: str) -> None:
        self.items.append(self._image_item(img, caption))

    def _figure(self, node: Tag) -> None:
        caption_tag = node.find("figcaption")
        caption = caption_tag.get_text() if caption_tag else ""
        if caption_tag:
            caption_tag.extract()
        images = node.find_all("img")
        if node.find(["blockquote", "table", "ul", "ol", *_MEDIA]) or not images:
            if "wp-block-embed" in _classes(node):
                self._embed_url(node)
                return
            self.walk(node)
            if caption.strip():
                self._paragraph_html(f"<i>{escape(_collapse(caption).strip())}</i>", caption)
            return
        for index, img in enumerate(images):
            self._image(img, caption=caption if index == 0 else "")

    def _table(self, node: Tag) -> None:
        rows = []
        for row in node.find_all("tr"):
            cells = [_collapse(cell.get_text()).strip() for cell in row.find_all(["td", "th"])]
            if any(cells):
                rows.append(" | ".join(escape(cell) for cell in cells))
        if rows:
            self.report.append(f"A table ({len(rows)} rows) was kept as text, one line per row.")
            self._paragraph_html("<br/>".join(rows), " ".join(rows))

    def _media(self, node: Tag) -> None:
        source = node.get("src") or (node.find("source") or {}).get("src") or node.get("data")
        href = safe_href(source)
        self.report.append(
            f"An embedded {node.name} ({href or 'no address'}) was not imported; "
            "articles have no embed block, so it is kept as a link."
            if href
            else f"An embedded {node.name} without an address was left out."
        )
        if href:
            self._paragraph_html(f'<a href="{escape(href)}">{escape(href)}</a>', href)

    def _embed_url(self, node: Tag) -> None:
        url = safe_href(_collapse(node.get_text()).strip().split(" ")[0])
        self.report.append(
            f"An embed ({url or 'no address'}) was not imported; articles have no embed block, "
            "so it is kept as a link."
        )
        if url:
            self._paragraph_html(f'<a href="{escape(url)}">{escape(url)}</a>', url)

    def _details(self, node: Tag) -> None:
        summary = node.find("summary")
        question = _collapse(summary.get_text()).strip() if summary else ""
        if summary:
            summary.extract()
        answer = _Walker(self.report)
        answer.walk(node)
        paras = [item for item in answer.items if isinstance(item, _Para)]
        if question and paras:
            self.items.append(_Faq(title="", items=[(question, "".join(p.html for p in paras))]))
        else:
            self.items.extend(answer.items)

    def _yoast_faq(self, node: Tag) -> None:
        pairs = []
        for section in node.find_all(class_="schema-faq-section"):
            question = section.find(class_="schema-faq-question")
            answer = section.find(class_="schema-faq-answer")
            if question and answer:
                html = _trim_breaks(self._inline_html(answer, root=True))
                pairs.append((_collapse(question.get_text()).strip(), f"<p>{html}</p>"))
        if pairs:
            self.items.append(_Faq(title="", items=pairs))
        self._images = []  # a FAQ's images have nowhere to go
        if not pairs:
            self.walk(node)

    def _buttons(self, node: Tag) -> None:
        for link in node.find_all("a"):
            label = _collapse(link.get_text()).strip()
            href = safe_href(link.get("href"))
            if label and href:
                self.items.append(_Button(label=label[:CTA_LABEL_MAX], url=href))

    @staticmethod
    def _has_block_descendant(node: Tag) -> bool:
        return (
            node.find(lambda tag: tag.name.lower() in _BLOCK_TAGS or _heading_level(tag) is not None)
            is not None
        )

    # Inline ---------------------------------------------------------------------------------

    def _inline_html(self, node, *, root: bool = False, bold=False, italic=False) -> str:
        """Clean inline HTML of ``node``: text, <b>, <i>, <a href>, <br/>. ``root`` renders
        the element's children only (the element is the paragraph itself)."""
        if isinstance(node, PreformattedString):
            return ""
        if isinstance(node, NavigableString):
            return escape(_collapse(str(node)), quote=False)
        if not isinstance(node, Tag):
            return ""
        name = node.name.lower()
        if name in _DROPPED or name in _MEDIA:
            return ""
        if name == "br":
            return "<br/>"
        if name == "img":
            self._images.append(self._image_item(node, caption=""))
            return ""
        if "mso-list:ignore" in _style(node):
            return ""  # Word's typed bullet or number in front of a list paragraph
        if root:
            return "".join(self._inline_html(c, bold=bold, italic=italic) for c in node.children)
        sets_bold, sets_italic = _is_bold(node), _is_italic(node)
        child_bold = bold if sets_bold is None else sets_bold
        child_italic = italic if sets_italic is None else sets_italic
        inner = "".join(self._inline_html(c, bold=child_bold, italic=child_italic) for c in node.children)
        if name in {"p", "div", "li", "dd", "dt", "blockquote", "figcaption", *_HEADINGS} and inner.strip():
            inner = f"{inner}<br/>"  # block-level content met inline: keep it on its own line
        if not inner.strip():
            return inner
        if child_italic and not italic:
            inner = f"<i>{inner}</i>"
        if child_bold and not bold:
            inner = f"<b>{inner}</b>"
        if name == "a":
            href = safe_href(node.get("href"))
            if href:
                inner = f'<a href="{escape(href)}">{inner}</a>'
        return inner


def _text(node) -> str:
    if isinstance(node, PreformattedString):
        return ""
    if isinstance(node, NavigableString):
        return str(node)
    if not isinstance(node, Tag) or node.name.lower() in _DROPPED:
        return ""
    if "mso-list:ignore" in _style(node):
        return ""
    parts = []
    for child in node.children:
        parts.append(_text(child))
        if isinstance(child, Tag) and child.name.lower() in {"br", "p", "div", "li"}:
            parts.append(" ")
    return "".join(parts)


def _heading_level(tag: Tag) -> int | None:
    name = tag.name.lower()
    if name in _HEADINGS:
        return _HEADINGS[name]
    classes = _classes(tag)
    if "MsoTitle" in classes:
        return 1
    for cls in classes:
        match = re.fullmatch(r"MsoHeading(\d)", cls)
        if match:
            return int(match.group(1))
    if tag.get("role") == "heading":
        try:
            return max(1, min(6, int(tag.get("aria-level", "2"))))
        except ValueError:
            return 2
    return None


def _trim_breaks(html: str) -> str:
    html = html.strip()
    html = re.sub(r"^(\s*<br/>\s*)+", "", html)
    html = re.sub(r"(\s*<br/>\s*)+$", "", html)
    html = re.sub(r"(\s*<br/>\s*){3,}", "<br/><br/>", html)
    return html.strip()


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- Assembly -------------------------------------------------------------------------------


def _map_levels(items: list, *, relative: bool) -> None:
    """Heading levels into the contract's 2 and 3. ``relative``: the shallowest level in the
    body is a section (2) and anything deeper a sub-section (3), as documents that use
    Heading 1 for sections expect; otherwise h1-h2 are sections and h3-h6 sub-sections."""
    levels = [item.level for item in items if isinstance(item, _Heading)]
    top = min(levels) if levels else 2
    for item in items:
        if isinstance(item, _Heading):
            if relative:
                item.level = 2 if item.level <= top else 3
            else:
                item.level = 2 if item.level <= 2 else 3


def _take_title(items: list, title: str) -> str:
    """The document's title: its first heading when it opens the document or is its only
    level-1 heading. A heading repeating the title given is dropped."""
    first_heading = next((i for i, item in enumerate(items) if isinstance(item, _Heading)), None)
    if title:
        if first_heading is not None and items[first_heading].text.casefold() == title.casefold():
            del items[first_heading]
        return title
    h1s = [i for i, item in enumerate(items) if isinstance(item, _Heading) and item.level == 1]
    index = h1s[0] if len(h1s) == 1 else first_heading if first_heading == 0 else None
    if index is None and h1s:
        index = h1s[0]
    if index is None:
        return ""
    taken = items.pop(index).text
    # A title written twice (a WordPress page's title above its body's own copy) goes once.
    following = items[index] if index < len(items) else None
    if isinstance(following, _Heading | _Para) and following.text.casefold() == taken.casefold():
        del items[index]
    return taken


def _is_question(item) -> bool:
    if isinstance(item, _Heading):
        return item.text.endswith("?")
    if isinstance(item, _Para):
        inner = re.fullmatch(r"<p>\s*<b>(.*)</b>\s*</p>", item.html, re.S)
        return bool(inner) and "<b>" not in inner.group(1) and item.text.endswith("?")
    return False


def _find_faqs(items: list) -> list:
    """A heading such as 'Frequently asked questions' followed only by questions (sub-headings
    or bold lines ending in '?') each with an answer becomes one FAQ block."""
    out: list = []
    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, _Heading) and _FAQ_HEADING.search(item.text):
            end = index + 1
            while end < len(items) and not (
                isinstance(items[end], _Heading) and items[end].level <= item.level
            ):
                end += 1
            section = items[index + 1 : end]
            pairs, ok = [], bool(section)
            position = 0
            while ok and position < len(section):
                question = section[position]
                answers = []
                position += 1
                while position < len(section) and isinstance(section[position], _Para | _List):
                    if _is_question(section[position]):
                        break
                    answers.append(section[position])
                    position += 1
                ok = _is_question(question) and bool(answers) and len(question.text) <= FAQ_QUESTION_MAX
                pairs.append((question.text, "".join(_answer_html(answer) for answer in answers)))
            if ok and len(pairs) <= FAQ_ITEMS_MAX:
                out.append(_Faq(title=item.text[:LIST_TITLE_MAX], items=pairs))
                index = end
                continue
        out.append(item)
        index += 1
    return out


def _answer_html(item) -> str:
    if isinstance(item, _List):
        return "<ul>" + "".join(f"<li>{html}</li>" for html, _text in item.items) + "</ul>"
    return item.html


def _list_lead_in(para: _Para | None) -> tuple[str, str]:
    """(title, intro html) taken from the paragraph that introduces a list ('People describe
    it in different ways:'): its last sentence is the title, anything before it the intro."""
    if para is None or not para.text.endswith(":") or "<a " in para.html or para.html.startswith("<ul"):
        return "", ""
    sentences = _SENTENCE_END.split(para.text)
    title = sentences[-1].rstrip(":").strip()
    if not title or len(title) > LIST_TITLE_MAX:
        return "", ""
    intro = " ".join(sentences[:-1]).strip()
    return title, f"<p>{escape(intro)}</p>" if intro else ""


def _list_block_problem(item: _List) -> str | None:
    if item.ordered:
        return "ordered"
    if len(item.items) > LIST_ITEMS_MAX:
        return f"it has more than {LIST_ITEMS_MAX} items"
    if any(len(text) > LIST_ITEM_MAX for _html, text in item.items):
        return f"an item is longer than {LIST_ITEM_MAX} characters"
    if any("<a " in html for html, _text in item.items):
        return "its items contain links"
    return None


def _list_html(item: _List) -> str:
    tag = "ol" if item.ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{html}</li>" for html, _text in item.items) + f"</{tag}>"


def _settle(items: list, resolve_image: ImageResolver | None, report: list[str]) -> list:
    """Headings a heading block cannot hold become bold paragraphs; images are looked up in
    document order and those nobody can supply are left out; both are reported."""
    out: list = []
    headings = 0
    for item in items:
        if isinstance(item, _Heading):
            if len(item.text) > HEADING_MAX or headings >= HEADINGS_PER_BODY:
                why = (
                    f"longer than {HEADING_MAX} characters"
                    if len(item.text) > HEADING_MAX
                    else f"past the {HEADINGS_PER_BODY} headings an article may have"
                )
                report.append(f"A heading {why} became a bold paragraph: “{_shorten(item.text)}”.")
                out.append(_Para(html=f"<p><b>{escape(item.text)}</b></p>", text=item.text))
                continue
            headings += 1
        elif isinstance(item, _Image):
            label = item.alt or item.caption or _file_name(item.src) or "an image"
            found = resolve_image(src=item.src, alt=item.alt, caption=item.caption) if resolve_image else None
            if isinstance(found, tuple):  # (id, the library's alt text for it)
                found, known_alt = found
                item.alt = item.alt or (known_alt or "")[:ALT_MAX]
            item.image_id = found
            if item.image_id is None:
                report.append(f"Image “{_shorten(label)}” was not imported: add it with an Image block.")
                continue
            if not item.alt:
                report.append(
                    f"Image “{_shorten(label)}” has no alt text: describe it in its Image block "
                    "before publishing."
                )
        out.append(item)
    return out


def _assemble(items: list, report: list[str]) -> list[dict]:
    blocks: list[dict] = []
    run: list[_Para] = []  # consecutive paragraphs become one paragraph block
    anchors: dict[str, int] = {}
    last_heading = ""

    def flush_run():
        if run:
            html = sanitise("".join(p.html for p in run))
            if html.strip():
                blocks.append({"type": "paragraph", "value": html, "id": _new_id()})
            run.clear()

    for position, item in enumerate(items):
        if isinstance(item, _Para):
            run.append(item)
            continue
        if isinstance(item, _List):
            problem = _list_block_problem(item)
            if problem:
                if problem != "ordered":
                    report.append(
                        f"A list ({len(item.items)} items, “{_shorten(item.items[0][1])}”…) stayed "
                        f"inside a paragraph because {problem}."
                    )
                run.append(_Para(html=_list_html(item), text=" ".join(t for _h, t in item.items)))
                continue
            lead_in = run[-1] if run and position and isinstance(items[position - 1], _Para) else None
            title, intro = _list_lead_in(lead_in)
            if title:
                run.pop()
            else:
                title = DEFAULT_LIST_TITLE
                report.append(
                    f"A list (“{_shorten(item.items[0][1])}”…) had no introducing line to title "
                    f"it; it is titled “{DEFAULT_LIST_TITLE}”: give it a title."
                )
            flush_run()
            blocks.append(
                {
                    "type": "symptom_list",
                    "value": {
                        "title": title,
                        "intro": sanitise(intro) if intro else "",
                        "items": [
                            {"type": "item", "value": text, "id": _new_id()} for _html, text in item.items
                        ],
                        "style": "checklist" if item.checklist else "bullets",
                    },
                    "id": _new_id(),
                }
            )
            continue
        flush_run()
        if isinstance(item, _Heading):
            last_heading = item.text
            anchor = slugify(item.text)[:80] or "section"
            explicit = ""
            if anchor in anchors:
                anchors[anchor] += 1
                explicit = f"{anchor[:76]}-{anchors[anchor]}"
                anchors[explicit] = 1
            else:
                anchors[anchor] = 1
            value = {"text": item.text, "level": str(item.level), "anchor": explicit}
            blocks.append({"type": "heading", "value": value, "id": _new_id()})
        elif isinstance(item, _Quote):
            blocks.append(
                {
                    "type": "quote",
                    "value": {"text": item.text, "attribution": item.attribution},
                    "id": _new_id(),
                }
            )
        elif isinstance(item, _Image):
            blocks.append(
                {
                    "type": "image",
                    "value": {"image": item.image_id, "alt_text": item.alt, "caption": item.caption},
                    "id": _new_id(),
                }
            )
        elif isinstance(item, _Faq):
            if blocks and blocks[-1]["type"] == "faq" and not item.title:
                faq_items = blocks[-1]["value"]["items"]
            else:
                faq_items = []
                blocks.append(
                    {
                        "type": "faq",
                        "value": {"title": item.title or "Frequently asked questions", "items": faq_items},
                        "id": _new_id(),
                    }
                )
            for question, answer in item.items[: FAQ_ITEMS_MAX - len(faq_items)]:
                faq_items.append(
                    {
                        "type": "item",
                        "value": {
                            "question": question[:FAQ_QUESTION_MAX],
                            "answer": _short_rich_text(answer),
                        },
                        "id": _new_id(),
                    }
                )
        elif isinstance(item, _Button):
            heading = last_heading[:120]
            if not heading:
                heading = DEFAULT_CTA_HEADING
                report.append(
                    f"The button “{item.label}” became a call to action headed “{DEFAULT_CTA_HEADING}”: "
                    "edit its heading."
                )
            blocks.append(
                {
                    "type": "call_to_action",
                    "value": {
                        "heading": heading,
                        "text": f"<p>{escape(item.label)}</p>",
                        "button_label": item.label,
                        "page": None,
                        "url": item.url,
                    },
                    "id": _new_id(),
                }
            )
    flush_run()
    return blocks


def _short_rich_text(html: str) -> str:
    """FAQ answers allow bold, italic, links and bullets (SHORT_RICH_TEXT_FEATURES)."""
    html = html.replace("<ol>", "<ul>").replace("</ol>", "</ul>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS - {"ol"},
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
    )


def _file_name(src: str) -> str:
    if src.startswith("data:"):
        return ""
    return urlsplit(src).path.rsplit("/", 1)[-1]


def suggest_excerpt(blocks: list[dict]) -> str:
    """The first paragraph's opening sentences, within the excerpt's 300 characters."""
    for block in blocks:
        if block["type"] != "paragraph":
            continue
        soup = BeautifulSoup(block["value"], "html.parser")
        first = soup.find(["p", "li"])
        text = _collapse((first or soup).get_text(" ")).strip()
        if not text:
            continue
        excerpt = ""
        for sentence in _SENTENCE_END.split(text):
            candidate = f"{excerpt} {sentence}".strip()
            if len(candidate) > EXCERPT_MAX:
                break
            excerpt = candidate
        if not excerpt:
            excerpt = text[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"
        return excerpt
    return ""


def parse(html: str) -> Tag:
    """The document's body, parsed leniently (pasted HTML is often a fragment)."""
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()  # Word's conditional comments, Gutenberg's block delimiters
    for tag in soup.find_all(re.compile(r"^o:|^v:|^w:|^m:", re.I)):
        if tag.name.lower().startswith("o:"):
            tag.unwrap()  # Word's <o:p> holds text
        else:
            tag.decompose()
    return soup.body or soup


def html_to_blocks(
    html: str,
    *,
    title: str = "",
    resolve_image: ImageResolver | None = None,
    relative_headings: bool = True,
) -> Conversion:
    """Convert ``html`` into article blocks.

    ``title``: the article's title when known; otherwise it is taken from the document's first
    heading (and removed from the body). ``resolve_image``: see ``ImageResolver``; an image it
    returns None for is reported. ``relative_headings``: see ``_map_levels``."""
    report: list[str] = []
    walker = _Walker(report)
    walker.walk(parse(html))
    items = walker.items
    title = _take_title(items, _collapse(title).strip())
    items = _find_faqs(items)
    _map_levels(items, relative=relative_headings)
    blocks = _assemble(_settle(items, resolve_image, report), report)
    return Conversion(title=title, blocks=blocks, excerpt=suggest_excerpt(blocks), report=report)


def text_to_html(text: str) -> str:
    """Plain text (what a clipboard holds without HTML) as HTML: blank lines separate
    paragraphs, lines starting with a bullet (•, -, *, ✓) are list items."""
    parts = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        bullets = [re.match(r"^([•\-*·▪◦]|[" + _CHECK_MARKS + r"])\s+(.*)$", line) for line in lines]
        if lines and all(bullets):
            checks = all(m.group(1) in _CHECK_MARKS for m in bullets)
            items = "".join(f"<li>{escape(m.group(2))}</li>" for m in bullets)
            parts.append(f'<ul class="{"checklist" if checks else ""}">{items}</ul>')
        elif lines:
            parts.append("<p>" + "<br/>".join(escape(line) for line in lines) + "</p>")
    return "".join(parts)
