"""WordPress attachments that are not images (PDFs, Word files) become Wagtail documents,
once per content and once per WordPress attachment, and links to their old addresses point at
them; missing files are reported, never fatal."""

import io

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model

from blog.models import ArticlePage
from tests.wpimport.wxr_factory import BASE, P, wxr
from wpimport.models import ImportedObject

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DOCX = b"PK\x03\x04 a Word file, as far as the library is concerned"

BODY = f"""<!-- wp:paragraph --><p>Fill in <a href="{BASE}/wp-content/uploads/2024/01/intake-form.pdf">the
intake form</a>, or <a href="/wp-content/uploads/2024/01/intake-form.pdf">the same form</a>, and read
<a href="{BASE}/wp-content/uploads/2024/01/gone.pdf">the old leaflet</a>.</p><!-- /wp:paragraph -->"""


def items():
    def attachment(wp_id, name, title):
        return P(wp_id, title, post_type="attachment", status="inherit",
                 attachment_url=f"{BASE}/wp-content/uploads/2024/01/{name}",
                 meta={"_wp_attached_file": f"2024/01/{name}"})  # fmt: skip

    return [
        attachment(70, "intake-form.pdf", "Intake form"),
        attachment(71, "intake-form-copy.pdf", "Intake form (copy)"),  # the same bytes again
        attachment(72, "worksheet.docx", "Worksheet"),
        attachment(73, "gone.pdf", "Old leaflet"),  # not in the uploads folder
        P(80, "Forms", slug="forms", content=BODY),
    ]


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2024" / "01"
    folder.mkdir(parents=True)
    (folder / "intake-form.pdf").write_bytes(PDF)
    (folder / "intake-form-copy.pdf").write_bytes(PDF)
    (folder / "worksheet.docx").write_bytes(DOCX)
    return tmp_path / "uploads"


def run(tmp_path, uploads) -> list[str]:
    path = tmp_path / "export.xml"
    path.write_bytes(wxr(items()))
    out = io.StringIO()
    call_command("import_wordpress", str(path), "--uploads", str(uploads), stdout=out)
    return out.getvalue().splitlines()


def counts(lines: list[str]) -> dict[str, list[int]]:
    return {row.split()[0]: [int(n) for n in row.split()[1:]] for row in lines[2:10]}


def test_attachments_become_documents_once_and_links_point_at_them(tmp_path, blog_index, uploads, client):
    lines = run(tmp_path, uploads)

    assert counts(lines)["document"] == [2, 0, 1, 1]
    assert sorted(Document.objects.values_list("title", "file_size")) == [
        ("Intake form", len(PDF)),
        ("Worksheet", len(DOCX)),
    ]
    form = Document.objects.get(title="Intake form")
    records = dict(ImportedObject.objects.filter(kind="attachment").values_list("wp_id", "object_id"))
    assert records == {"70": form.pk, "71": form.pk, "72": Document.objects.get(title="Worksheet").pk}
    assert "- Document file missing from the uploads folder: 2024/01/gone.pdf." in lines

    page = ArticlePage.objects.get(slug="forms")
    stored = page.body[0].value.source
    assert stored.count(f'<a linktype="document" id="{form.pk}">') == 2
    assert f'<a href="{BASE}/wp-content/uploads/2024/01/gone.pdf">' in stored

    body = client.get("/api/v1/articles/forms/").json()["body"]
    assert form.filename.startswith("intake-form") and form.filename.endswith(".pdf")
    url = f"https://cms.example-practice.test/documents/{form.pk}/{form.filename}"
    assert body[0]["type"] == "paragraph"
    assert body[0]["value"] == {
        "html": f'<p>Fill in <a href="{url}">the intake form</a>, or <a href="{url}">the same form</a>, '
        f'and read <a href="{BASE}/wp-content/uploads/2024/01/gone.pdf">the old leaflet</a>.</p>'
    }


def test_a_second_run_duplicates_no_document(tmp_path, blog_index, uploads):
    run(tmp_path, uploads)
    before = list(Document.objects.order_by("pk").values_list("pk", "file"))

    lines = run(tmp_path, uploads)

    assert list(Document.objects.order_by("pk").values_list("pk", "file")) == before
    assert counts(lines)["document"] == [0, 0, 3, 1]
    assert counts(lines)["post"] == [0, 0, 1, 0]


def test_without_uploads_documents_are_reported_and_links_kept(tmp_path, blog_index):
    path = tmp_path / "export.xml"
    path.write_bytes(wxr(items()))
    out = io.StringIO()
    call_command("import_wordpress", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert Document.objects.count() == 0
    assert counts(lines)["document"] == [0, 0, 0, 4]
    assert "- Document 2024/01/intake-form.pdf not imported: run with --uploads to bring documents." in lines
    stored = ArticlePage.objects.get(slug="forms").body[0].value.source
    assert 'linktype="document"' not in stored
