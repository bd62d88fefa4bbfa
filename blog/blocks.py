"""StreamField blocks of the practice's articles.

Small blocks first, the composed StreamBlocks last. Each block validates what an editor could
get wrong, explains itself in the editor (help text, icon, description, preview) and owns its
API representation (``get_api_representation``), so the API never re-walks raw block data.
Block names are a public contract: the frontend switches on them.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.forms.utils import ErrorList
from django.utils.functional import cached_property
from django.utils.text import slugify
from wagtail import blocks
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import blocks as image_blocks
from wagtail.snippets import blocks as snippet_blocks

from blog import representations
from blog.rich_text import ARTICLE_RICH_TEXT_FEATURES, SHORT_RICH_TEXT_FEATURES

# --- Choosers the API resolves from objects it has already loaded ---------------------------
# Iterating a body makes each chooser load its objects (``bulk_to_python``): the related
# articles' full rows, bodies included, images, snippets, pages; then the API loaded most of
# them again with what it shows (live status, renditions, link pages). Inside
# ``preloaded_choosers`` the choosers take the API's objects instead.

_preloaded: ContextVar[dict | None] = ContextVar("preloaded_chooser_objects", default=None)


@contextmanager
def preloaded_choosers(objects: dict) -> Iterator[None]:
    """Within it, chooser blocks for a model in ``objects`` (``{model: {pk: obj}}``) take their
    values from it without a query; an id the dict lacks is None (deleted, or for articles
    not live). Choosers of other models load as usual."""
    token = _preloaded.set(objects)
    try:
        yield
    finally:
        _preloaded.reset(token)


class PreloadableChooserMixin:
    def bulk_to_python(self, values):
        loaded = (_preloaded.get() or {}).get(self.model_class)
        if loaded is None:
            return super().bulk_to_python(values)
        result, seen = [], set()
        for pk in values:
            obj = loaded.get(_as_pk(pk))
            if obj is not None and pk in seen:  # as Wagtail does: one instance per occurrence
                obj = copy.copy(obj)
            seen.add(pk)
            result.append(obj)
        return result


class PageChooserBlock(PreloadableChooserMixin, blocks.PageChooserBlock):
    pass


class ImageChooserBlock(PreloadableChooserMixin, image_blocks.ImageChooserBlock):
    pass


class SnippetChooserBlock(PreloadableChooserMixin, snippet_blocks.SnippetChooserBlock):
    pass


# Migrations record Wagtail's own paths: these subclasses change loading, not stored data.
DECONSTRUCT_ALIASES = {
    PageChooserBlock: "wagtail.blocks.PageChooserBlock",
    ImageChooserBlock: "wagtail.images.blocks.ImageChooserBlock",
    SnippetChooserBlock: "wagtail.snippets.blocks.SnippetChooserBlock",
}


def _as_pk(value):
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


@dataclass
class BodyReferences:
    """What a body points at, read from its stored JSON before any chooser loads anything:
    ``ids`` per chooser model and every rich text source (see ``raw_references``)."""

    ids: dict = field(default_factory=dict)
    rich_text: list[str] = field(default_factory=list)

    def ids_for(self, model) -> set:
        return self.ids.get(model, set())


def _collect_raw(block, raw, refs: BodyReferences) -> None:
    if raw is None:
        return
    if isinstance(block, blocks.ChooserBlock):
        refs.ids.setdefault(block.model_class, set()).add(_as_pk(raw))
    elif isinstance(block, blocks.RichTextBlock):
        if raw:
            refs.rich_text.append(raw)
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                _collect_raw(child, raw.get(name), refs)
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            is_item = isinstance(item, dict) and item.get("type") == "item" and "value" in item
            _collect_raw(block.child_block, item["value"] if is_item else item, refs)
    elif isinstance(block, blocks.StreamBlock):
        for item in raw:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                _collect_raw(child, item.get("value"), refs)


class HeadingBlock(blocks.StructBlock):
    """A section heading. Builds the article's table of contents and its anchor links."""

    text = blocks.CharBlock(max_length=120, help_text="Short and descriptive, like a signpost.")
    level = blocks.ChoiceBlock(
        choices=[("2", "Section (H2)"), ("3", "Sub-section (H3)")],
        default="2",
        help_text="Use 'Section' for main parts; 'Sub-section' only inside a section.",
        search_index=False,
    )
    anchor = blocks.CharBlock(
        required=False,
        max_length=80,
        help_text="Optional link name for this heading (e.g. 'causes'). "
        "Leave empty to build it from the heading text.",
        search_index=False,
    )

    class Meta:
        icon = "title"
        label = "Heading"
        template = "blocks/heading.html"
        description = "A section or sub-section title; appears in the table of contents."
        preview_value = {"text": "What does emotional numbness feel like?", "level": "2"}
        form_classname = "struct-block heading-block"

    def clean(self, value):
        value = super().clean(value)
        if value.get("anchor") and slugify(value["anchor"]) != value["anchor"]:
            raise StructBlockValidationError(
                block_errors={
                    "anchor": ErrorList(
                        [
                            "Use lowercase letters, numbers and hyphens only, "
                            f"e.g. '{slugify(value['anchor']) or 'causes'}'."
                        ]
                    )
                }
            )
        return value

    @staticmethod
    def anchor_for(value) -> str:
        return value.get("anchor") or slugify(value.get("text", ""))[:80] or "section"

    def get_api_representation(self, value, context=None):
        return {
            "text": value["text"],
            "level": int(value["level"]),
            "anchor": self.anchor_for(value),
        }


class ParagraphBlock(blocks.RichTextBlock):
    """Body text. Formatting is limited to what an article needs; structure lives in blocks."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", ARTICLE_RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = "Paragraph"
        template = "blocks/paragraph.html"
        description = "Body text with bold, italic, links and simple lists."
        preview_value = "<p>Emotional numbness is a <b>protective</b> response, not a personal failing.</p>"

    def get_api_representation(self, value, context=None):
        return {"html": representations.rich_text_html(value, context)}


class SymptomListBlock(blocks.StructBlock):
    """A titled list of short items: what a condition feels like, or signs you might benefit."""

    title = blocks.CharBlock(max_length=120, help_text="e.g. 'People describe it as…'.")
    intro = blocks.RichTextBlock(
        required=False,
        features=SHORT_RICH_TEXT_FEATURES,
        help_text="Optional sentence before the list.",
    )
    items = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label="Item", help_text="One short line."),
        min_num=1,
        max_num=20,
        help_text="Between 1 and 20 short lines.",
    )
    style = blocks.ChoiceBlock(
        choices=[("bullets", "Bullets"), ("checklist", "Checklist (ticks)")],
        default="bullets",
        help_text="Checklist suits 'signs you might benefit from therapy'.",
        # Layout choices are not words readers read: keep them out of search and reading time.
        search_index=False,
    )

    class Meta:
        icon = "list-ul"
        label = "Symptom list"
        template = "blocks/symptom_list.html"
        description = "A titled list of short items, shown as bullets or a checklist."
        preview_value = {
            "title": "People describe it as",
            "items": ["Going through life on autopilot", "Feeling far from people you love"],
            "style": "bullets",
        }

    def get_api_representation(self, value, context=None):
        intro = value.get("intro")
        return {
            "title": value["title"],
            "intro": representations.rich_text_html(intro, context) if intro and intro.source else None,
            "items": list(value["items"]),
            "style": value["style"],
        }


class ApproachSummaryBlock(blocks.StructBlock):
    """A therapeutic approach chosen from the shared list, so 'CBT' is written once."""

    approach = SnippetChooserBlock(
        "blog.TherapeuticApproach",
        help_text="Choose the approach. Edit its standard text under Content library › Therapy approaches.",
    )
    summary_override = blocks.RichTextBlock(
        required=False,
        features=SHORT_RICH_TEXT_FEATURES,
        label="Summary for this article",
        help_text="Optional. Leave empty to use the approach's standard summary.",
    )

    class Meta:
        icon = "doc-full"
        label = "Approach summary"
        template = "blocks/approach_summary.html"
        description = "A short summary of a therapy approach (CBT, ACT, EMDR…) from the shared list."

    def get_api_representation(self, value, context=None):
        approach = value["approach"]
        if approach is None:
            return None
        override = value.get("summary_override")
        return representations.approach(approach, summary_override=override, context=context)


class CallToActionBlock(blocks.StructBlock):
    """An invitation to act, usually 'book a free consultation'. Links a page or a URL."""

    heading = blocks.CharBlock(max_length=120, help_text="e.g. 'Ready to feel again?'.")
    text = blocks.RichTextBlock(
        features=SHORT_RICH_TEXT_FEATURES, help_text="One or two encouraging sentences."
    )
    button_label = blocks.CharBlock(max_length=40, help_text="e.g. 'Book a free consultation'.")
    page = PageChooserBlock(
        required=False, help_text="The page the button opens (usually the consultation page)."
    )
    url = blocks.URLBlock(
        required=False, help_text="Or an external address. Fill in the page or the URL, not both."
    )

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "blocks/call_to_action.html"
        description = "A highlighted box with a button, e.g. to book a free consultation."

    def clean(self, value):
        value = super().clean(value)
        has_page, has_url = bool(value.get("page")), bool(value.get("url"))
        if has_page == has_url:
            message = (
                "Choose either a page or a URL for the button, not both."
                if has_page
                else "The button needs somewhere to go: choose a page or enter a URL."
            )
            raise StructBlockValidationError(
                block_errors={"page": ErrorList([message]), "url": ErrorList([message])}
            )
        return value

    def get_api_representation(self, value, context=None):
        return {
            "heading": value["heading"],
            "text": representations.rich_text_html(value["text"], context),
            "button": representations.link(value.get("page"), value.get("url"), value["button_label"]),
        }


class RelatedArticleBlock(blocks.StructBlock):
    """An inline pointer to another article ('our post on chronic stress goes deeper').

    Called "Article pointer" in the editor, so it is never confused with the article's
    "Further reading" picks shown at the end (``ArticlePage.related_picks``); the block's name,
    ``related_article``, is the API's contract and stays."""

    lead_in = blocks.CharBlock(
        max_length=200,
        help_text="The sentence that introduces the link, e.g. 'If stress is wearing you down, "
        "our post on chronic stress goes deeper.'",
    )
    article = PageChooserBlock(page_type="blog.ArticlePage", help_text="The article to point to.")

    class Meta:
        icon = "link"
        label = "Article pointer"
        template = "blocks/related_article.html"
        description = "A sentence in the body pointing readers to another article, shown as a card there."

    def get_api_representation(self, value, context=None):
        return {
            "lead_in": value["lead_in"],
            "article": representations.live_article_summary(value.get("article"), context),
        }


class QuoteBlock(blocks.StructBlock):
    """A pull quote or a client's words (with their consent)."""

    text = blocks.TextBlock(max_length=600, help_text="The quote, without quotation marks.")
    attribution = blocks.CharBlock(
        required=False, max_length=120, help_text="Optional: who said it. Never a client's full name."
    )

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "blocks/quote.html"
        description = "A highlighted quote with an optional attribution."
        preview_value = {"text": "You're not broken. You're protecting yourself.", "attribution": ""}

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "attribution": value.get("attribution") or None}


class ImageWithCaptionBlock(blocks.StructBlock):
    """An image in the article, with required alt text for screen-reader users."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe the image for people who cannot see it (required). "
        "e.g. 'A person sitting by a window in soft morning light'.",
    )
    caption = blocks.CharBlock(required=False, max_length=250, help_text="Optional caption shown below.")

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"
        description = "An image with alt text and an optional caption."

    def get_api_representation(self, value, context=None):
        image = value.get("image")
        return {
            "image": representations.image(image, alt=value["alt_text"], context=context) if image else None,
            "caption": value.get("caption") or None,
        }


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=200)
    answer = blocks.RichTextBlock(features=SHORT_RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = "Question"

    def get_api_representation(self, value, context=None):
        return {
            "question": value["question"],
            "answer": representations.rich_text_html(value["answer"], context),
        }


class FaqBlock(blocks.StructBlock):
    """Frequently asked questions. Also published as FAQ structured data for search engines."""

    title = blocks.CharBlock(required=False, max_length=120, default="Frequently asked questions")
    items = blocks.ListBlock(FaqItemBlock(), min_num=1, max_num=15, help_text="1 to 15 questions.")

    class Meta:
        icon = "help"
        label = "FAQ"
        template = "blocks/faq.html"
        description = "Questions and answers; search engines can show them as rich results."

    def get_api_representation(self, value, context=None):
        item_block = self.child_blocks["items"].child_block
        return {
            "title": value.get("title") or None,
            "items": [item_block.get_api_representation(item, context) for item in value["items"]],
        }


class BaseContentStreamBlock(blocks.StreamBlock):
    """Blocks any page may use."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    call_to_action = CallToActionBlock()
    quote = QuoteBlock()
    image = ImageWithCaptionBlock()
    faq = FaqBlock()

    def clean(self, value):
        value = super().clean(value)
        anchors = {
            index: HeadingBlock.anchor_for(child.value)
            for index, child in enumerate(value)
            if child.block_type == "heading"
        }
        seen = list(anchors.values())
        duplicates = sorted({anchor for anchor in seen if seen.count(anchor) > 1})
        if duplicates:
            message = (
                "Two headings share the link name "
                + ", ".join(f"'{a}'" for a in duplicates)
                + ". Reword one of them or give it its own link name."
            )
            # Flag each clashing heading too, so the editor sees where to look.
            raise StreamBlockValidationError(
                non_block_errors=ErrorList([message]),
                block_errors={
                    index: StructBlockValidationError(
                        block_errors={"anchor": ErrorList([f"Another heading also links as '{anchor}'."])}
                    )
                    for index, anchor in anchors.items()
                    if anchor in duplicates
                },
            )
        return value

    @cached_property
    def heading_block(self) -> HeadingBlock:
        return self.child_blocks["heading"]

    def raw_references(self, value) -> BodyReferences:
        """What ``value`` points at (chooser ids per model, rich text sources), from its stored
        JSON, so the caller can load everything at once (``selectors.body_objects``) and hand
        it to the choosers (``preloaded_choosers``) and to ``get_api_representation``
        (``context``): a body costs the same number of queries whatever its length."""
        refs = BodyReferences()
        _collect_raw(self, list(value.raw_data), refs)
        return refs

    def get_api_representation(self, value, context=None):
        """``[{"type", "id", "value"}]``; blocks whose content is gone (a deleted snippet) are
        left out rather than sent as ``null``."""
        items = []
        for child in value:
            rep = child.block.get_api_representation(child.value, context=context)
            if rep is not None:
                items.append({"type": child.block_type, "id": child.id, "value": rep})
        return items

    def table_of_contents(self, value) -> list[dict]:
        """[{id, text, level}] for every heading block, in order."""
        toc = []
        for child in value:
            if child.block_type == "heading":
                rep = self.heading_block.get_api_representation(child.value)
                toc.append({"id": rep["anchor"], "text": rep["text"], "level": rep["level"]})
        return toc


class ArticleStreamBlock(BaseContentStreamBlock):
    """The body of an article: shared blocks plus the health-content blocks."""

    symptom_list = SymptomListBlock()
    approach_summary = ApproachSummaryBlock()
    related_article = RelatedArticleBlock()

    class Meta:
        block_counts = {"heading": {"max_num": 40}}
