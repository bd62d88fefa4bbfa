"""Schema of the article body: one component per block value, the body a union by ``type``.

Values are produced by each block's ``get_api_representation`` (``blog/blocks.py``); these
serializers describe them so a frontend can generate one TypeScript type per block. Block
names (``heading``, ``paragraph``…) are a public contract.
"""

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from api.serializers.common import ArticleSummarySerializer, ImageSerializer, LinkSerializer, const


class HeadingValueSerializer(serializers.Serializer):
    """``{"text": "What does it feel like?", "level": 2, "anchor": "what-does-it-feel-like"}``

    ``anchor`` is the same id the table of contents links to.
    """

    text = serializers.CharField()
    level = serializers.ChoiceField(choices=[2, 3])
    anchor = serializers.SlugField()


class ParagraphValueSerializer(serializers.Serializer):
    """``{"html": "<p>Numbness is <b>protective</b>. See <a href=\\"/blog/stress/\\">…</a></p>"}``

    Clean HTML: links to our pages are public paths, no editor-internal markup.
    """

    html = serializers.CharField()


class SymptomListValueSerializer(serializers.Serializer):
    """``{"title": "People describe it as", "intro": null,
    "items": ["Going through life on autopilot"], "style": "bullets"}``"""

    title = serializers.CharField()
    intro = serializers.CharField(allow_null=True, help_text="HTML, or null.")
    items = serializers.ListField(child=serializers.CharField())
    style = serializers.ChoiceField(choices=["bullets", "checklist"])


class ApproachSummaryValueSerializer(serializers.Serializer):
    """``{"name": "Cognitive Behavioral Therapy", "abbreviation": "CBT",
    "summary": "<p>Helps you notice…</p>", "evidence_note": null, "link": null}``"""

    name = serializers.CharField()
    abbreviation = serializers.CharField(allow_null=True)
    summary = serializers.CharField(help_text="HTML.")
    evidence_note = serializers.CharField(allow_null=True)
    link = LinkSerializer(allow_null=True, help_text="Where to read more, if anywhere.")


class CallToActionValueSerializer(serializers.Serializer):
    """``{"heading": "Ready to feel again?", "text": "<p>…</p>",
    "button": {"label": "Book a free consultation", "url": "https://…/consultation/",
    "path": "/consultation/"}}``"""

    heading = serializers.CharField()
    text = serializers.CharField(help_text="HTML.")
    button = LinkSerializer()


class RelatedArticleValueSerializer(serializers.Serializer):
    """``{"lead_in": "Our post on chronic stress goes deeper.", "article": {ArticleSummary}}``

    ``article`` is null when the article pointed to is not live (a draft, unpublished…).
    """

    lead_in = serializers.CharField()
    article = ArticleSummarySerializer(allow_null=True)


class QuoteValueSerializer(serializers.Serializer):
    """``{"text": "You're not broken.", "attribution": null}``"""

    text = serializers.CharField()
    attribution = serializers.CharField(allow_null=True)


class ImageValueSerializer(serializers.Serializer):
    """``{"image": {Image}, "caption": null}`` (image null if it was deleted)."""

    image = ImageSerializer(allow_null=True)
    caption = serializers.CharField(allow_null=True)


class FaqItemSerializer(serializers.Serializer):
    """``{"question": "How long does therapy take?", "answer": "<p>…</p>"}``"""

    question = serializers.CharField()
    answer = serializers.CharField(help_text="HTML.")


class FaqValueSerializer(serializers.Serializer):
    """``{"title": "Frequently asked questions", "items": [{FaqItem}, …]}``"""

    title = serializers.CharField(allow_null=True)
    items = FaqItemSerializer(many=True)


def _block(type_name: str, value_serializer, doc: str):
    """A ``{"type", "id", "value"}`` wrapper serializer for one block type."""
    name = "".join(part.title() for part in type_name.split("_")) + "BlockSerializer"
    attrs = {
        "__doc__": doc,
        "__module__": __name__,
        "type": const(type_name),
        "id": serializers.CharField(help_text="Stable id of this block (a UUID)."),
        "value": value_serializer(),
    }
    return type(name, (serializers.Serializer,), attrs)


HeadingBlockSerializer = _block("heading", HeadingValueSerializer, "A section heading (H2 or H3).")
ParagraphBlockSerializer = _block("paragraph", ParagraphValueSerializer, "Rich text.")
SymptomListBlockSerializer = _block(
    "symptom_list", SymptomListValueSerializer, "A titled list of short items."
)
ApproachSummaryBlockSerializer = _block(
    "approach_summary", ApproachSummaryValueSerializer, "A therapeutic approach (CBT, ACT, EMDR…)."
)
CallToActionBlockSerializer = _block("call_to_action", CallToActionValueSerializer, "A box with a button.")
RelatedArticleBlockSerializer = _block(
    "related_article", RelatedArticleValueSerializer, "An inline pointer to another article."
)
QuoteBlockSerializer = _block("quote", QuoteValueSerializer, "A quote with optional attribution.")
ImageBlockSerializer = _block("image", ImageValueSerializer, "An image with caption.")
FaqBlockSerializer = _block("faq", FaqValueSerializer, "Questions and answers.")

# Blocks every page body may contain (BaseContentStreamBlock), then the article-only ones.
PAGE_BLOCKS = {
    "heading": HeadingBlockSerializer,
    "paragraph": ParagraphBlockSerializer,
    "call_to_action": CallToActionBlockSerializer,
    "quote": QuoteBlockSerializer,
    "image": ImageBlockSerializer,
    "faq": FaqBlockSerializer,
}
ARTICLE_BLOCKS = {
    **PAGE_BLOCKS,
    "symptom_list": SymptomListBlockSerializer,
    "approach_summary": ApproachSummaryBlockSerializer,
    "related_article": RelatedArticleBlockSerializer,
}


def article_body_field():
    """The article body: a list of blocks, ``oneOf`` discriminated by ``type``."""
    return PolymorphicProxySerializer(
        component_name="ArticleBodyBlock",
        serializers=ARTICLE_BLOCKS,
        resource_type_field_name="type",
        many=True,
    )


def page_body_field():
    """A page body (home, standard pages): the shared blocks only, discriminated by ``type``."""
    return PolymorphicProxySerializer(
        component_name="PageBodyBlock",
        serializers=PAGE_BLOCKS,
        resource_type_field_name="type",
        many=True,
    )
