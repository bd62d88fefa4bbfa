"""Each block rejects what an editor could get wrong, with the message the editor sees."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks.stream_block import StreamBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from blog.blocks import (
    ArticleStreamBlock,
    CallToActionBlock,
    FaqBlock,
    HeadingBlock,
    ImageWithCaptionBlock,
    SymptomListBlock,
)

NO_DESTINATION = "The button needs somewhere to go: choose a page or enter a URL."
BOTH_DESTINATIONS = "Choose either a page or a URL for the button, not both."


def clean(block, raw):
    """Validate raw (stored) block data the way the admin does on save."""
    return block.clean(block.to_python(raw))


def field_messages(error, name):
    """The messages the editor sees under one field (as the admin's block widget gets them)."""
    return error.as_json_data()["blockErrors"][name]["messages"]


# --------------------------------------------------------------------------- call to action


def cta(**overrides):
    return {
        "heading": "Ready to feel again?",
        "text": "<p>Book a free call.</p>",
        "button_label": "Book a free consultation",
        "page": None,
        "url": "",
        **overrides,
    }


def test_a_call_to_action_may_link_to_one_of_our_pages(home):
    value = clean(CallToActionBlock(), cta(page=home.pk))
    assert value["page"].pk == home.pk


def test_a_call_to_action_may_link_to_an_external_url(db):
    value = clean(CallToActionBlock(), cta(url="https://988lifeline.org/"))
    assert value["url"] == "https://988lifeline.org/"


def test_a_call_to_action_without_page_or_url_is_rejected_on_both_fields(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(CallToActionBlock(), cta())
    assert field_messages(caught.value, "page") == [NO_DESTINATION]
    assert field_messages(caught.value, "url") == [NO_DESTINATION]


def test_a_call_to_action_with_both_page_and_url_is_rejected(home):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(CallToActionBlock(), cta(page=home.pk, url="https://example.org/"))
    assert field_messages(caught.value, "page") == [BOTH_DESTINATIONS]
    assert field_messages(caught.value, "url") == [BOTH_DESTINATIONS]


def test_a_call_to_action_needs_a_button_label(home):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(CallToActionBlock(), cta(page=home.pk, button_label=""))
    assert field_messages(caught.value, "button_label") == ["This field is required."]


# --------------------------------------------------------------------------- symptom list


def symptom_list(items, style="bullets"):
    return {"title": "People describe it as", "intro": "", "items": items, "style": style}


def test_a_symptom_list_needs_at_least_one_item(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(SymptomListBlock(), symptom_list([]))
    assert field_messages(caught.value, "items") == ["The minimum number of items is 1"]


def test_a_symptom_list_takes_up_to_twenty_items(db):
    value = clean(SymptomListBlock(), symptom_list([f"Sign {i}" for i in range(20)], style="checklist"))
    assert list(value["items"]) == [f"Sign {i}" for i in range(20)]
    assert value["style"] == "checklist"


def test_a_symptom_list_rejects_a_twenty_first_item(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(SymptomListBlock(), symptom_list([f"Sign {i}" for i in range(21)]))
    assert field_messages(caught.value, "items") == ["The maximum number of items is 20"]


def test_a_symptom_list_only_offers_bullets_or_checklist(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(SymptomListBlock(), symptom_list(["One"], style="numbered"))
    assert "style" in caught.value.block_errors


# --------------------------------------------------------------------------- headings


def test_a_heading_anchor_must_be_lowercase_letters_numbers_and_hyphens(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(HeadingBlock(), {"text": "What helps", "level": "2", "anchor": "What Helps!"})
    assert field_messages(caught.value, "anchor") == [
        "Use lowercase letters, numbers and hyphens only, e.g. 'what-helps'."
    ]


def test_a_heading_anchor_in_the_right_format_is_kept(db):
    value = clean(HeadingBlock(), {"text": "What helps", "level": "3", "anchor": "what-helps-2"})
    assert HeadingBlock().get_api_representation(value) == {
        "text": "What helps",
        "level": 3,
        "anchor": "what-helps-2",
    }


def test_a_heading_without_anchor_links_by_its_slugified_text(db):
    value = clean(HeadingBlock(), {"text": "Why do we shut down?", "level": "2", "anchor": ""})
    assert HeadingBlock.anchor_for(value) == "why-do-we-shut-down"


def test_a_heading_level_is_section_or_sub_section_only(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(HeadingBlock(), {"text": "Title", "level": "1", "anchor": ""})
    assert "level" in caught.value.block_errors


def heading(text, anchor=""):
    return {"type": "heading", "value": {"text": text, "level": "2", "anchor": anchor}}


def paragraph(html="<p>Words.</p>"):
    return {"type": "paragraph", "value": html}


def test_two_headings_with_the_same_link_name_are_rejected_and_both_flagged(db):
    block = ArticleStreamBlock()
    raw = [heading("Causes"), paragraph(), heading("Signs"), heading("causes")]
    with pytest.raises(StreamBlockValidationError) as caught:
        block.clean(block.to_python(raw))
    error = caught.value
    assert [e.message for e in error.non_block_errors.as_data()] == [
        "Two headings share the link name 'causes'. Reword one of them or give it its own link name."
    ]
    assert sorted(error.block_errors) == [0, 3]
    assert error.block_errors[3].block_errors["anchor"].messages == [
        "Another heading also links as 'causes'."
    ]


def test_an_explicit_anchor_resolves_a_clash_between_identical_headings(db):
    block = ArticleStreamBlock()
    raw = [heading("Causes"), paragraph(), heading("Causes", anchor="more-causes")]
    value = block.clean(block.to_python(raw))
    assert block.table_of_contents(value) == [
        {"id": "causes", "text": "Causes", "level": 2},
        {"id": "more-causes", "text": "Causes", "level": 2},
    ]


# --------------------------------------------------------------------------- image and FAQ


def test_an_image_needs_alt_text(image):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(ImageWithCaptionBlock(), {"image": image.pk, "alt_text": "", "caption": "Morning light"})
    assert field_messages(caught.value, "alt_text") == ["This field is required."]


def test_an_image_needs_an_image(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(ImageWithCaptionBlock(), {"image": None, "alt_text": "A lake", "caption": ""})
    assert field_messages(caught.value, "image") == ["This field is required."]


def test_an_image_with_alt_text_and_no_caption_is_valid(image):
    value = clean(ImageWithCaptionBlock(), {"image": image.pk, "alt_text": "A calm lake", "caption": ""})
    assert value["image"].pk == image.pk
    assert value["alt_text"] == "A calm lake"


def faq(count):
    return {
        "title": "Frequently asked questions",
        "items": [{"question": f"Question {i}?", "answer": f"<p>Answer {i}.</p>"} for i in range(count)],
    }


def test_a_faq_needs_at_least_one_question(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(FaqBlock(), faq(0))
    assert field_messages(caught.value, "items") == ["The minimum number of items is 1"]


def test_a_faq_takes_up_to_fifteen_questions(db):
    value = clean(FaqBlock(), faq(15))
    assert [item["question"] for item in value["items"]][-1] == "Question 14?"


def test_a_faq_rejects_a_sixteenth_question(db):
    with pytest.raises(StructBlockValidationError) as caught:
        clean(FaqBlock(), faq(16))
    assert field_messages(caught.value, "items") == ["The maximum number of items is 15"]


def test_a_faq_answer_is_required(db):
    data = faq(1)
    data["items"][0]["answer"] = ""
    with pytest.raises(ValidationError):
        clean(FaqBlock(), data)


# --------------------------------------------------------------------------- the article body


def test_an_article_body_offers_exactly_the_contract_block_types():
    assert sorted(ArticleStreamBlock().child_blocks) == sorted(
        [
            "heading",
            "paragraph",
            "symptom_list",
            "approach_summary",
            "call_to_action",
            "related_article",
            "quote",
            "image",
            "faq",
        ]
    )


def test_every_article_block_explains_itself_to_editors():
    for name, block in ArticleStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.label, name
        assert getattr(block.meta, "description", ""), name


def test_paragraphs_offer_only_the_formatting_an_article_needs():
    assert ArticleStreamBlock().child_blocks["paragraph"].features == [
        "bold",
        "italic",
        "link",
        "document-link",
        "ol",
        "ul",
    ]


# --- What a body points at, read before anything loads (the API's batch loading) ------------


def test_raw_references_name_every_chooser_target_and_rich_text_source_of_a_body(
    make_article, approach, image, blog_index
):
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from blog.models import ArticlePage, TherapeuticApproach
    from tests.conftest import body_json

    target = make_article("Chronic stress")
    link = f'<p>See <a linktype="page" id="{target.pk}">this</a>.</p>'
    article = make_article(
        "Numbness",
        body=body_json(
            ("paragraph", link),
            ("approach_summary", {"approach": approach.pk, "summary_override": "<p>Ours.</p>"}),
            ("related_article", {"lead_in": "More", "article": target.pk}),
            ("image", {"image": image.pk, "alt_text": "A lake", "caption": ""}),
            (
                "call_to_action",
                {"heading": "Talk", "text": "<p>Free.</p>", "button_label": "Book", "page": blog_index.pk},
            ),
            ("faq", {"title": "FAQ", "items": [{"question": "Why?", "answer": "<p>Because.</p>"}]}),
        ),
    )

    refs = article.body.stream_block.raw_references(article.body)

    assert refs.ids == {
        TherapeuticApproach: {approach.pk},
        ArticlePage: {target.pk},
        get_image_model(): {image.pk},
        Page: {blog_index.pk},
    }
    assert refs.rich_text == [link, "<p>Ours.</p>", "<p>Free.</p>", "<p>Because.</p>"]


def test_inside_preloaded_choosers_a_body_loads_nothing_and_a_missing_id_is_none(
    make_article, approach, django_assert_num_queries
):
    from blog.blocks import preloaded_choosers
    from blog.models import ArticlePage, TherapeuticApproach
    from tests.conftest import body_json

    target = make_article("Chronic stress")
    article = make_article(
        "Numbness",
        body=body_json(
            ("approach_summary", {"approach": approach.pk}),
            ("related_article", {"lead_in": "More", "article": target.pk}),
        ),
    )
    page = ArticlePage.objects.get(pk=article.pk)

    with (
        django_assert_num_queries(0),
        preloaded_choosers({TherapeuticApproach: {approach.pk: approach}, ArticlePage: {}}),
    ):
        values = [child.value for child in page.body]

    assert values[0]["approach"] is approach
    assert values[1]["article"] is None  # not among the loaded (live) articles
