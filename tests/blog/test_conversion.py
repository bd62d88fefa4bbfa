"""The HTML-to-blocks conversion shared by paste, .docx and WordPress imports: what Word,
Google Docs and WordPress put on the clipboard becomes the article's blocks, in order."""

import pytest

from blog.blocks import ArticleStreamBlock
from blog.conversion import html_to_blocks, text_to_html
from tests.blog.wordpress_seed import seed_structure, seed_wordpress_html


def shape(value):
    """Blocks without their generated ids (list items included)."""
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"type", "value", "id"}:
            return (value["type"], shape(value["value"]))
        return {key: shape(item) for key, item in value.items()}
    return value


def heading(text, level=2, anchor=""):
    return ("heading", {"text": text, "level": str(level), "anchor": anchor})


def symptoms(title, items, intro="", style="bullets"):
    return (
        "symptom_list",
        {"title": title, "intro": intro, "items": [("item", i) for i in items], "style": style},
    )


def assert_valid(blocks):
    """The blocks pass the body's own validation (choosers look their objects up)."""
    block = ArticleStreamBlock()
    block.clean(block.to_python(blocks))


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal {margin:0in;}</style>
<!--[if gte mso 9]><xml><o:OfficeDocumentSettings></o:OfficeDocumentSettings></xml><![endif]-->
</head><body lang=EN-US style='tab-interval:.5in'>
<!--StartFragment-->
<p class=MsoTitle>Feeling Numb<o:p></o:p></p>
<p class=MsoNormal>You are <b><span style='mso-bidi-font-weight:normal'>not</span></b> broken.<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<h1>Signs<o:p></o:p></h1>
<p class=MsoNormal>People describe it as:<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Symbol;mso-fareast-font-family:Symbol'><span style='mso-list:Ignore'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span></span><![endif]>Living on autopilot<o:p></o:p></p>
<p class=MsoListParagraphCxSpMiddle style='text-indent:-.25in;mso-list:l0 level2 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>o<span>&nbsp; </span></span><![endif]>Even at work<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-.25in;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>·<span>&nbsp; </span></span><![endif]>Far from people you love<o:p></o:p></p>
<h2>Steps<o:p></o:p></h2>
<p class=MsoListParagraphCxSpFirst style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span>&nbsp; </span></span><![endif]>Breathe<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='mso-list:l1 level1 lfo2'><![if !supportLists]><span
style='mso-list:Ignore'>2.<span>&nbsp; </span></span><![endif]>Notice<o:p></o:p></p>
<!--EndFragment-->
</body></html>"""  # noqa: E501 - Word's own line lengths


def test_word_html_keeps_headings_paragraphs_and_lists_and_drops_word_markup():
    conversion = html_to_blocks(WORD_HTML)

    assert conversion.title == "Feeling Numb"
    assert shape(conversion.blocks) == [
        ("paragraph", "<p>You are <b>not</b> broken.</p>"),
        heading("Signs", 2),
        symptoms(
            "People describe it as", ["Living on autopilot", "Even at work", "Far from people you love"]
        ),
        heading("Steps", 3),
        ("paragraph", "<ol><li>Breathe</li><li>Notice</li></ol>"),
    ]
    assert conversion.excerpt == "You are not broken."
    assert conversion.report == []
    assert_valid(conversion.blocks)


GOOGLE_DOCS_HTML = """<meta charset="utf-8"><b style="font-weight:normal;" id="docs-internal-guid-5c1a2b3c-7fff-1234">
<h1 dir="ltr" style="line-height:1.38;"><span style="font-size:20pt;font-weight:400;">Grounding at night</span></h1>
<p dir="ltr"><span style="font-weight:400;">Nights can be </span><span style="font-weight:700;">long</span><span
style="font-style:italic;"> and loud</span><span>. See <a href="https://www.google.com/url?q=https://example.org/sleep&amp;sa=D">this guide</a>.</span></p>
<br>
<h2 dir="ltr"><span style="font-size:16pt;">What helps</span></h2>
<p dir="ltr"><span>Try these:</span></p>
<ul style="margin-top:0;"><li dir="ltr" aria-level="1"><p dir="ltr" role="presentation"><span>A warm drink</span></p></li>
<ul><li dir="ltr" aria-level="2"><p dir="ltr" role="presentation"><span>No caffeine</span></p></li></ul>
<li dir="ltr" aria-level="1"><p dir="ltr" role="presentation"><span>Dim lights</span></p></li></ul>
<h3 dir="ltr"><span>Frequently asked questions</span></h3>
<p dir="ltr"><span style="font-weight:700;">Is it normal?</span></p><p dir="ltr"><span>Yes, very.</span></p>
<p dir="ltr"><span style="font-weight:700;">When should I call?</span></p><p dir="ltr"><span>If it lasts weeks.</span></p>
</b>"""  # noqa: E501 - as Google Docs writes it


def test_google_docs_html_unwraps_its_bold_wrapper_and_reads_styled_spans():
    conversion = html_to_blocks(GOOGLE_DOCS_HTML)

    assert conversion.title == "Grounding at night"
    assert shape(conversion.blocks) == [
        (
            "paragraph",
            "<p>Nights can be <b>long</b><i> and loud</i>. "
            'See <a href="https://example.org/sleep">this guide</a>.</p>',
        ),
        heading("What helps", 2),
        symptoms("Try these", ["A warm drink", "No caffeine", "Dim lights"]),
        (
            "faq",
            {
                "title": "Frequently asked questions",
                "items": [
                    ("item", {"question": "Is it normal?", "answer": "<p>Yes, very.</p>"}),
                    ("item", {"question": "When should I call?", "answer": "<p>If it lasts weeks.</p>"}),
                ],
            },
        ),
    ]
    assert_valid(conversion.blocks)


WORDPRESS_HTML = """<meta charset='utf-8'><h1 class="entry-title">Burnout</h1>
<div class="entry-content">
<p>Burnout is <strong>real</strong>.</p><p>It builds slowly.</p>
<h2 class="wp-block-heading" id="signs">Signs</h2>
<ul class="wp-block-list"><li>Tired</li><li>Cynical<ul><li>About work</li></ul></li></ul>
<blockquote class="wp-block-quote"><p>“Rest is not a reward.”</p><cite>— A client</cite></blockquote>
<figure class="wp-block-image size-large"><img src="https://old.example/wp-content/uploads/2024/01/desk-1024x576.jpg"
 alt="A tidy desk by a window"/><figcaption class="wp-element-caption">Make room to rest.</figcaption></figure>
<figure class="wp-block-table"><table><tbody><tr><td>Week</td><td>Hours</td></tr><tr><td>1</td><td>60</td></tr></tbody></table></figure>
<hr class="wp-block-separator"/>
<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=abc
</div></figure>
<h4 class="wp-block-heading">Small steps</h4>
<p>Start <em>today</em>.</p>
<script>document.cookie</script><style>.x{}</style><iframe src="javascript:alert(1)"></iframe>
</div>"""  # noqa: E501 - as WordPress writes it


def test_wordpress_html_maps_quotes_figures_and_reports_what_has_no_block(image):
    seen = []

    def resolve(*, src, alt, caption):
        seen.append((src, alt, caption))
        return image.pk

    conversion = html_to_blocks(WORDPRESS_HTML, resolve_image=resolve)

    assert conversion.title == "Burnout"
    assert shape(conversion.blocks) == [
        ("paragraph", "<p>Burnout is <b>real</b>.</p><p>It builds slowly.</p>"),
        heading("Signs", 2),
        symptoms("Key points", ["Tired", "Cynical", "About work"]),
        ("quote", {"text": "Rest is not a reward.", "attribution": "A client"}),
        (
            "image",
            {"image": image.pk, "alt_text": "A tidy desk by a window", "caption": "Make room to rest."},
        ),
        (
            "paragraph",
            '<p>Week | Hours<br>1 | 60</p><p><a href="https://www.youtube.com/watch?v=abc">'
            "https://www.youtube.com/watch?v=abc</a></p>",
        ),
        heading("Small steps", 3),
        ("paragraph", "<p>Start <i>today</i>.</p>"),
    ]
    assert seen == [
        (
            "https://old.example/wp-content/uploads/2024/01/desk-1024x576.jpg",
            "A tidy desk by a window",
            "Make room to rest.",
        )
    ]
    assert conversion.report == [
        "A table (2 rows) was kept as text, one line per row.",
        "An embed (https://www.youtube.com/watch?v=abc) was not imported; articles have no embed block, "
        "so it is kept as a link.",
        "An embedded iframe without an address was left out.",
        "A list (“Tired”…) had no introducing line to title it; it is titled “Key points”: give it a title.",
    ]
    assert_valid(conversion.blocks)


def test_scripts_styles_and_event_handlers_never_survive():
    conversion = html_to_blocks(
        '<h1>T</h1><p onclick="x()">Safe <a href="javascript:alert(1)">link</a> <img src=x onerror=alert(1)>'
        "<script>alert(2)</script><style>p{}</style></p><noscript>no</noscript>"
        '<p><a href="data:text/html,hi">data</a> <a href="/blog/x/">inside</a></p>'
    )

    assert shape(conversion.blocks) == [
        ("paragraph", '<p>Safe link</p><p>data <a href="/blog/x/">inside</a></p>'),
    ]
    assert conversion.report == ["Image “x” was not imported: add it with an Image block."]


def test_empty_paragraphs_and_whitespace_disappear():
    conversion = html_to_blocks(
        "<p>&nbsp;</p><p><br></p><p>  One\n  line  </p><p><b> </b></p><div></div>", title="T"
    )

    assert shape(conversion.blocks) == [("paragraph", "<p>One line</p>")]


def test_a_given_title_wins_and_a_heading_repeating_it_is_dropped():
    conversion = html_to_blocks("<h2>My post</h2><p>Text.</p><h2>Next</h2><p>More.</p>", title="My post")

    assert conversion.title == "My post"
    assert shape(conversion.blocks) == [
        ("paragraph", "<p>Text.</p>"),
        heading("Next"),
        ("paragraph", "<p>More.</p>"),
    ]


def test_heading_levels_map_into_sections_and_sub_sections():
    html = "<h1>Title</h1><h1>A</h1><h2>B</h2><h3>C</h3><h2>D</h2>"

    relative = html_to_blocks(html)
    absolute = html_to_blocks(html, relative_headings=False)

    assert [(b["value"]["text"], b["value"]["level"]) for b in relative.blocks] == [
        ("A", "2"),
        ("B", "3"),
        ("C", "3"),
        ("D", "3"),
    ]
    assert [(b["value"]["text"], b["value"]["level"]) for b in absolute.blocks] == [
        ("A", "2"),
        ("B", "2"),
        ("C", "3"),
        ("D", "2"),
    ]


def test_repeated_headings_get_distinct_anchors_so_the_body_validates():
    conversion = html_to_blocks("<h2>Why</h2><p>a</p><h2>Why</h2><p>b</p><h2>Why</h2>", title="T")

    assert [b["value"]["anchor"] for b in conversion.blocks if b["type"] == "heading"] == [
        "",
        "why-2",
        "why-3",
    ]
    assert_valid(conversion.blocks)


def test_lists_that_do_not_fit_a_list_block_stay_as_paragraph_lists_and_are_reported():
    long_item = "x" * 201
    many = "".join(f"<li>Item {n}</li>" for n in range(21))
    conversion = html_to_blocks(
        f'<p>Intro:</p><ul><li>{long_item}</li></ul><ul>{many}</ul><ul><li><a href="https://a.example/">A</a></li></ul>',
        title="T",
    )

    assert [b["type"] for b in conversion.blocks] == ["paragraph"]
    assert conversion.blocks[0]["value"].count("<ul>") == 3
    assert conversion.report == [
        f"A list (1 items, “{'x' * 59}…”…) stayed inside a paragraph because an item is longer than "
        "200 characters.",
        "A list (21 items, “Item 0”…) stayed inside a paragraph because it has more than 20 items.",
        "A list (1 items, “A”…) stayed inside a paragraph because its items contain links.",
    ]


def test_checklists_become_checklist_style_without_their_tick_marks():
    conversion = html_to_blocks(
        "<p>Signs you might benefit:</p><ul><li>✓ Flat</li><li>✓ Tired</li></ul>", title="T"
    )

    assert shape(conversion.blocks) == [
        symptoms("Signs you might benefit", ["Flat", "Tired"], style="checklist")
    ]


def test_long_quotes_and_headings_fall_back_to_paragraphs_with_a_report():
    quote = "q" * 601
    long_heading = "h" * 121
    conversion = html_to_blocks(f"<blockquote><p>{quote}</p></blockquote><h2>{long_heading}</h2>", title="T")

    assert shape(conversion.blocks) == [("paragraph", f"<p><i>{quote}</i></p><p><b>{long_heading}</b></p>")]
    assert len(conversion.report) == 2


def test_images_without_alt_text_are_kept_and_the_editor_is_asked_for_it():
    conversion = html_to_blocks(
        '<p>Hi</p><p><img src="data:image/png;base64,AAAA"></p>', title="T", resolve_image=lambda **_: 7
    )

    assert shape(conversion.blocks)[1] == ("image", {"image": 7, "alt_text": "", "caption": ""})
    assert conversion.report == [
        "Image “an image” has no alt text: describe it in its Image block before publishing."
    ]


def test_yoast_faq_and_buttons_map_to_faq_and_call_to_action():
    conversion = html_to_blocks(
        '<h2>Ready?</h2><div class="schema-faq wp-block-yoast-faq-block"><div class="schema-faq-section">'
        '<strong class="schema-faq-question">Is it private?</strong> '
        '<p class="schema-faq-answer">Yes.</p></div></div>'
        '<div class="wp-block-buttons"><div class="wp-block-button"><a class="wp-block-button__link" '
        'href="https://practice.example/book/">Book a call</a></div></div>',
        title="T",
    )

    assert shape(conversion.blocks) == [
        heading("Ready?"),
        (
            "faq",
            {
                "title": "Frequently asked questions",
                "items": [("item", {"question": "Is it private?", "answer": "<p>Yes.</p>"})],
            },
        ),
        (
            "call_to_action",
            {
                "heading": "Ready?",
                "text": "<p>Book a call</p>",
                "button_label": "Book a call",
                "page": None,
                "url": "https://practice.example/book/",
            },
        ),
    ]
    assert_valid(conversion.blocks)


def test_plain_text_paragraphs_and_bullets_become_html():
    assert text_to_html("First line\nsame paragraph\n\n• One\n• Two\n\n<b>x</b>") == (
        '<p>First line<br/>same paragraph</p><ul class=""><li>One</li><li>Two</li></ul>'
        "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    )


def test_the_seed_article_as_a_wordpress_page_keeps_every_heading_and_list():
    title, parts = seed_structure()

    conversion = html_to_blocks(seed_wordpress_html())

    assert conversion.title == title == "Psychotherapy for Emotional Numbness and Disconnection"
    headings = [
        (b["value"]["text"], int(b["value"]["level"])) for b in conversion.blocks if b["type"] == "heading"
    ]
    assert headings == [(text, int(kind[1])) for kind, text in parts if kind in {"h2", "h3"}]
    lists = [b["value"] for b in conversion.blocks if b["type"] == "symptom_list"]
    assert [[item["value"] for item in value["items"]] for value in lists] == [
        items for kind, items in parts if kind == "ul"
    ]
    assert [value["title"] for value in lists] == [
        "People describe it in different ways",
        "Together, you explore questions like",
        "Here are some signs that psychotherapy for emotional numbness could help",
    ]
    assert conversion.report == []
    assert conversion.excerpt.startswith(
        "Have you ever felt like you’re watching your own life through a foggy window?"
    )
    assert len(conversion.excerpt) <= 300
    assert_valid(conversion.blocks)


@pytest.mark.parametrize("html", ["", "   ", "<script>x</script>", "<!-- only a comment -->", "<p> </p><hr>"])
def test_documents_without_content_give_no_blocks(html):
    assert html_to_blocks(html, title="T").blocks == []
