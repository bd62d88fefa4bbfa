"""Admin screen "Create article from a document": paste text from Word, Google Docs or a web
page, or upload a .docx; the server turns it into a draft article of structured blocks and
the editor continues in the normal edit view, with a note of anything to check."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from blog.conversion.docx import DocxError, docx_to_html
from blog.conversion.drafts import DocumentImages, ImportRefused, create_draft_article
from blog.conversion.html import text_to_html
from blog.models import ArticlePage, BlogIndexPage

TEMPLATE = "blog/admin/import_document.html"


class DocumentImportForm(forms.Form):
    title = forms.CharField(
        required=False,
        max_length=255,
        help_text="Leave empty to use the document's first heading.",
    )
    # Filled by the paste area's script with the clipboard's HTML (or its plain text).
    html = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(required=False, widget=forms.HiddenInput)
    document = forms.FileField(
        required=False,
        label="Or upload a Word document",
        help_text="A .docx file. Its pictures go to the image library with their descriptions as alt text.",
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        if not document.name.lower().endswith(".docx"):
            raise forms.ValidationError("Upload a Word document saved as .docx.")
        limit = settings.DOCUMENT_IMPORT_MAX_BYTES
        if document.size > limit:
            raise forms.ValidationError(f"The document is larger than {limit // (1024 * 1024)} MB.")
        return document

    def clean(self):
        cleaned = super().clean()
        pasted = (cleaned.get("html") or "").strip() or (cleaned.get("text") or "").strip()
        document = cleaned.get("document")
        if "document" in self.errors:
            return cleaned
        if pasted and document:
            self.add_error("document", "Paste the text or upload a document, not both.")
        elif not pasted and not document:
            self.add_error("html", "Paste the article's text here, or upload a Word document.")
        return cleaned


def blog_index_for(user) -> BlogIndexPage:
    """The blog index the user may add articles to, or PermissionDenied."""
    index = BlogIndexPage.objects.first()
    if index is None or not ArticlePage.can_create_at(index):
        raise PermissionDenied
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    return index


def user_can_import(user) -> bool:
    try:
        blog_index_for(user)
    except PermissionDenied:
        return False
    return True


def import_document_view(request):
    index = blog_index_for(request.user)
    if request.method != "POST":
        return _render(request, DocumentImportForm(), index)
    form = DocumentImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, form, index, status=400)

    image_permissions = policy_registry.get_by_type(get_image_model())
    images = DocumentImages(
        user=request.user, can_add=image_permissions.user_has_permission(request.user, "add")
    )
    document = form.cleaned_data.get("document")
    html = (form.cleaned_data.get("html") or "").strip()
    notes: list[str] = []
    if document is not None:
        try:
            docx = docx_to_html(document)
        except DocxError as exc:
            form.add_error("document", str(exc))
            return _render(request, form, index, status=400)
        html = docx.html
        images.embedded = docx.images
        images.document_name = slugify(document.name.rsplit(".", 1)[0])[:40] or "document"
        notes.extend(f"Word: {message}" for message in docx.messages[:5])
    elif not html:
        html = text_to_html(form.cleaned_data.get("text") or "")

    try:
        page, conversion = create_draft_article(
            parent=index,
            html=html,
            title=form.cleaned_data.get("title") or "",
            user=request.user,
            images=images,
        )
    except ImportRefused as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return _render(request, form, index, status=400)

    summary = (
        f"'{page.title}' was created as a draft from the document: {len(conversion.blocks)} blocks. "
        "Check the excerpt and the blocks, then publish."
    )
    messages.success(request, summary)
    report = conversion.report + notes
    if report:
        messages.warning(
            request,
            format_html(
                "Please check: <ul>{}</ul>", format_html_join("", "<li>{}</li>", ((line,) for line in report))
            ),
        )
    return redirect(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _render(request, form, index, status=200):
    return TemplateResponse(
        request,
        TEMPLATE,
        {"form": form, "blog_index": index, "max_mb": settings.DOCUMENT_IMPORT_MAX_BYTES // (1024 * 1024)},
        status=status,
    )
