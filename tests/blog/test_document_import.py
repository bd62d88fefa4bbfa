"""'Create article from a document' in the admin: pasted HTML or a .docx becomes a draft
article of structured blocks; bad input is a 400 with the field to fix and writes nothing."""

import io
import zipfile

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry

from blog.models import ArticlePage
from tests.blog.wordpress_seed import seed_structure, seed_wordpress_html

URL = "/admin/blog/import-document/"
Image = get_image_model()


@pytest.fixture
def editor(django_user_model):
    """A moderator: may create and publish pages and add images, not a superuser."""
    user = django_user_model.objects.create_user(username="marketing", password="pw-for-tests", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def png_bytes(color=(200, 80, 40)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return buffer.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DRAWING_NS = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


def paragraph(text, style=None, numbered=False):
    props = ""
    if style or numbered:
        props = "<w:pPr>"
        props += f'<w:pStyle w:val="{style}"/>' if style else ""
        props += '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>' if numbered else ""
        props += "</w:pPr>"
    return f"<w:p>{props}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def picture(descr):
    return (
        "<w:p><w:r><w:drawing><wp:inline>"
        f'<wp:docPr id="1" name="Picture 1" descr="{descr}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic><pic:blipFill><a:blip r:embed="rIdImage1"/></pic:blipFill></pic:pic>'
        "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def make_docx(body_xml: str, image: bytes | None = None) -> bytes:
    """A minimal Word document: styles for Title/Heading/List, a bullet numbering, one image."""
    styles = (
        f"<w:styles {W}>"
        + "".join(
            f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/></w:style>'
            for sid, name in [("Title", "Title"), ("Heading1", "heading 1"), ("Heading2", "heading 2")]
        )
        + "</w:styles>"
    )
    numbering = (
        f"<w:numbering {W}><w:abstractNum w:abstractNumId='0'><w:lvl w:ilvl='0'><w:numFmt w:val='bullet'/>"
        "</w:lvl></w:abstractNum><w:num w:numId='1'><w:abstractNumId w:val='0'/></w:num></w:numbering>"
    )
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rIdStyles" Type="{kind}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rIdNum" Type="{kind}/numbering" Target="numbering.xml"/>'
        f'<Relationship Id="rIdImage1" Type="{kind}/image" Target="media/image1.png"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="png" ContentType="image/png"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr("word/_rels/document.xml.rels", rels)
        archive.writestr("word/styles.xml", styles)
        archive.writestr("word/numbering.xml", numbering)
        archive.writestr(
            "word/document.xml", f"<w:document {W} {DRAWING_NS}><w:body>{body_xml}</w:body></w:document>"
        )
        if image is not None:
            archive.writestr("word/media/image1.png", image)
    return buffer.getvalue()


DOCX_BODY = (
    paragraph("Sleep and worry", style="Title")
    + paragraph("Worry keeps many of us awake.")
    + paragraph("Why it happens", style="Heading1")
    + paragraph("Common signs:")
    + paragraph("Racing thoughts", numbered=True)
    + paragraph("Tense shoulders", numbered=True)
    + picture("A dark bedroom with a lamp on")
    + paragraph("What helps", style="Heading2")
    + paragraph("A routine.")
)


def docx_upload(content: bytes, name="Sleep and worry.docx"):
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


def test_the_form_is_offered_to_editors_from_the_menu_and_the_blog_index(editor_client, blog_index):
    response = editor_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="title"' in html
    assert 'name="html"' in html
    assert 'name="document"' in html
    assert "data-document-import-paste" in html
    dashboard = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Import a document" in dashboard and URL in dashboard  # the sidebar's menu data
    listing = editor_client.get(reverse("wagtailadmin_explore", args=[blog_index.pk])).content.decode()
    assert "Create article from a document" in listing


def test_pasted_html_becomes_a_draft_article_and_the_editor_lands_in_its_edit_view(
    editor_client, editor, blog_index
):
    title, parts = seed_structure()
    editor_client.post(URL, {"html": "<h1>First</h1><p>Warms the session and caches.</p>"})
    with CaptureQueriesContext(connection) as short:
        editor_client.post(URL, {"html": "<h1>Short</h1><p>One paragraph.</p>"})

    with CaptureQueriesContext(connection) as seed:
        response = editor_client.post(URL, {"html": seed_wordpress_html(), "title": ""})

    # Saving a page costs what it costs (revision, search index, counts); the document's
    # length adds no query: conversion reads no database.
    assert len(seed.captured_queries) == len(short.captured_queries) <= 110
    page = ArticlePage.objects.get(slug__startswith="psychotherapy")
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert (page.title, page.slug, page.live, page.owner) == (
        title,
        "psychotherapy-for-emotional-numbness-and-disconnection",
        False,
        editor,
    )
    assert page.get_parent().pk == blog_index.pk
    assert page.excerpt.startswith("Have you ever felt like you’re watching your own life")
    types = [child.block_type for child in page.body]
    assert types.count("heading") == sum(1 for kind, _ in parts if kind in {"h2", "h3"})
    assert types.count("symptom_list") == sum(1 for kind, _ in parts if kind == "ul")
    revision = page.get_latest_revision()
    assert revision is not None and revision.user == editor
    assert PageLogEntry.objects.filter(page=page, action="wagtail.create", user=editor).exists()
    notes = [str(m) for m in get_messages(response.wsgi_request)]
    assert notes[-1:] == [
        f"'{title}' was created as a draft from the document: {len(page.body)} blocks. "
        "Check the excerpt and the blocks, then publish."
    ]


def test_a_title_typed_in_the_form_wins_over_the_document(editor_client, blog_index):
    editor_client.post(URL, {"html": "<h1>Draft name</h1><p>Body.</p>", "title": "Final name"})

    page = ArticlePage.objects.get()
    assert (page.title, page.slug) == ("Final name", "final-name")
    assert [(b["type"], b["value"]) for b in page.body.raw_data] == [
        ("heading", {"text": "Draft name", "level": "2", "anchor": ""}),
        ("paragraph", "<p>Body.</p>"),
    ]


def test_a_second_import_of_the_same_title_gets_its_own_slug(editor_client, blog_index):
    for _ in range(2):
        editor_client.post(URL, {"html": "<h1>Same</h1><p>Body.</p>"})

    assert sorted(ArticlePage.objects.values_list("slug", flat=True)) == ["same", "same-2"]


def test_plain_text_is_imported_as_paragraphs_and_lists(editor_client, blog_index):
    editor_client.post(URL, {"text": "Intro line.\n\nTry:\n\n• One\n• Two", "title": "Plain"})

    page = ArticlePage.objects.get()
    assert [child.block_type for child in page.body] == ["paragraph", "symptom_list"]
    assert list(page.body[1].value["items"]) == ["One", "Two"]
    assert page.body[1].value["title"] == "Try"


def test_what_did_not_map_is_listed_for_the_editor(editor_client, blog_index):
    response = editor_client.post(
        URL,
        {"html": '<h1>T</h1><p>Hi.</p><table><tr><td>a</td></tr></table><img src="https://x.example/a.jpg">'},
    )

    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "Please check: <ul><li>A table (1 rows) was kept as text, one line per row.</li>"
        "<li>Image “a.jpg” was not imported: add it with an Image block.</li></ul>"
    ]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "html", "Paste the article's text here, or upload a Word document."),
        ({"html": "   "}, "html", "Paste the article's text here, or upload a Word document."),
        (
            {"html": "<script>x</script><p> </p>"},
            "html",
            "There is nothing to import: the document has no text.",
        ),
        (
            {"html": "<p>No heading here.</p>"},
            "title",
            "The document has no heading to take the title from: enter a title.",
        ),
        (
            {"html": "<p>x</p>", "title": "t" * 256},
            "title",
            "Ensure this value has at most 255 characters (it has 256).",
        ),
    ],
)
def test_bad_input_is_a_400_with_the_field_to_fix_and_writes_nothing(
    editor_client, blog_index, data, field, message
):
    pages_before = Page.objects.count()

    response = editor_client.post(URL, data)

    assert response.status_code == 400
    assert response.context["form"].errors == {field: [message]}
    assert Page.objects.count() == pages_before


def test_a_file_that_is_not_a_docx_is_refused(editor_client, blog_index):
    response = editor_client.post(URL, {"document": docx_upload(b"not a zip")})
    assert response.status_code == 400
    assert response.context["form"].errors == {"document": ["This file is not a Word document (.docx)."]}

    response = editor_client.post(URL, {"document": docx_upload(b"hello", name="notes.txt")})
    assert response.status_code == 400
    assert response.context["form"].errors == {"document": ["Upload a Word document saved as .docx."]}

    response = editor_client.post(URL, {"document": docx_upload(make_docx("")), "html": "<p>x</p>"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"document": ["Paste the text or upload a document, not both."]}
    assert not ArticlePage.objects.exists()


def test_a_docx_becomes_a_draft_with_its_picture_in_the_image_library(editor_client, editor, blog_index):
    response = editor_client.post(URL, {"document": docx_upload(make_docx(DOCX_BODY, image=png_bytes()))})

    page = ArticlePage.objects.get()
    assert response.status_code == 302
    assert page.title == "Sleep and worry"
    image = Image.objects.get()
    assert (image.title, image.description, image.uploaded_by_user) == (
        "A dark bedroom with a lamp on",
        "A dark bedroom with a lamp on",
        editor,
    )
    assert page.body.raw_data[0]["value"] == "<p>Worry keeps many of us awake.</p>"
    assert [(b["type"], b["value"]) for b in page.body.raw_data[1:]] == [
        ("heading", {"text": "Why it happens", "level": "2", "anchor": ""}),
        (
            "symptom_list",
            {
                "title": "Common signs",
                "intro": "",
                "items": [
                    {
                        "type": "item",
                        "value": "Racing thoughts",
                        "id": page.body.raw_data[2]["value"]["items"][0]["id"],
                    },
                    {
                        "type": "item",
                        "value": "Tense shoulders",
                        "id": page.body.raw_data[2]["value"]["items"][1]["id"],
                    },
                ],
                "style": "bullets",
            },
        ),
        ("image", {"image": image.pk, "alt_text": "A dark bedroom with a lamp on", "caption": ""}),
        ("heading", {"text": "What helps", "level": "3", "anchor": ""}),
        ("paragraph", "<p>A routine.</p>"),
    ]


def test_the_same_picture_imported_twice_is_stored_once(editor_client, blog_index):
    for _ in range(2):
        editor_client.post(URL, {"document": docx_upload(make_docx(DOCX_BODY, image=png_bytes()))})

    assert ArticlePage.objects.count() == 2
    assert Image.objects.count() == 1


def test_a_refused_docx_leaves_no_image_behind(editor_client, blog_index, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    body = picture("A lamp") + paragraph("Only text, no heading.")

    response = editor_client.post(URL, {"document": docx_upload(make_docx(body, image=png_bytes()))})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "title": ["The document has no heading to take the title from: enter a title."]
    }
    assert not Image.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_without_image_permission_pictures_are_left_out_and_reported(client, django_user_model, blog_index):
    user = django_user_model.objects.create_user(username="writer", password="pw", is_staff=True)
    group = Group.objects.create(name="Writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.create(group=group, page=blog_index, permission_type="add")
    user.groups.add(group)
    client.force_login(user)

    response = client.post(URL, {"document": docx_upload(make_docx(DOCX_BODY, image=png_bytes()))})

    assert response.status_code == 302
    assert not Image.objects.exists()
    assert [b["type"] for b in ArticlePage.objects.get().body.raw_data] == [
        "paragraph",
        "heading",
        "symptom_list",
        "heading",
        "paragraph",
    ]
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert "You may not add images to the library" in warnings[0]


def test_staff_who_may_not_add_articles_are_refused(client, django_user_model, blog_index):
    user = django_user_model.objects.create_user(username="viewer", password="pw", is_staff=True)
    group = Group.objects.create(name="Viewers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user.groups.add(group)
    client.force_login(user)

    # Wagtail's answer to PermissionDenied in the admin: back to the dashboard with a message.
    for response in (client.get(URL), client.post(URL, {"html": "<h1>T</h1><p>x</p>"})):
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
        assert [str(m).strip() for m in get_messages(response.wsgi_request)][-1] == (
            "Sorry, you do not have permission to access this area."
        )
    assert not ArticlePage.objects.exists()
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, blog_index):
    response = client.post(URL, {"html": "<h1>T</h1><p>x</p>"})

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert not ArticlePage.objects.exists()
