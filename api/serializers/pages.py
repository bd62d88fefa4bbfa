"""Pages other than articles (home, blog index, standard pages), as ``/resolve/`` returns them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers
from wagtail.fields import RichTextField
from wagtail.images import get_image_model

from api.serializers.blocks import page_body_field
from api.serializers.common import BreadcrumbSerializer, ImageSerializer, SeoSerializer
from blog import representations, selectors, seo
from blog.blocks import preloaded_choosers
from blog.models import ArticlePage, PracticeSettings, TherapeuticApproach
from readers.models import ConsultationPage


class ConsultationSerializer(serializers.Serializer):
    """What the consultation page shows around its form::

    {"privacy_note": "Please don't include private health details here; …",
     "thank_you_heading": "Thank you for reaching out",
     "thank_you_text": "We have received your request and will contact you …",
     "submit_url": "https://cms…/api/v1/consultation-requests/"}

    The form's fields: ``POST /api/v1/consultation-requests/`` (``submit_url``).
    """

    privacy_note = serializers.CharField(help_text="Shown above the message box.")
    thank_you_heading = serializers.CharField(help_text="Shown once the request is sent.")
    thank_you_text = serializers.CharField()
    submit_url = serializers.URLField(help_text="Where the frontend posts the request (absolute).")


class PageSerializer(serializers.Serializer):
    """A live page that is not an article::

    {"id": 3, "page_type": "blog.StandardPage", "title": "Fees", "path": "/fees/",
     "url": "https://www.example/fees/", "intro": "…" | null, "hero_image": {Image} | null,
     "body": [{"type": "paragraph", "id": "…", "value": {…}}], "breadcrumbs": […], "seo": {Seo}}

    ``intro`` is HTML for the blog index, plain text elsewhere; ``body`` is empty for pages
    without one. The consultation page adds ``consultation`` (its form's texts). The blog
    index's articles: ``GET /api/v1/articles/``.
    """

    id = serializers.IntegerField()
    page_type = serializers.CharField(help_text="app_label.ModelName, e.g. 'blog.StandardPage'.")
    title = serializers.CharField()
    path = serializers.CharField()
    url = serializers.URLField()
    intro = serializers.CharField(allow_null=True)
    hero_image = ImageSerializer(allow_null=True)
    body = page_body_field()
    breadcrumbs = BreadcrumbSerializer(many=True)
    seo = SeoSerializer()
    consultation = ConsultationSerializer(
        required=False, help_text="Only on the consultation page (`readers.ConsultationPage`)."
    )


def serialize_page(page, *, practice: PracticeSettings) -> dict:
    """A specific page (home, blog index, standard or any other type) in the ``Page`` shape."""
    path = representations.page_path(page)
    body_value = getattr(page, "body", None)
    body: list = []
    context: dict = {}
    stream_block = getattr(body_value, "stream_block", None)
    if stream_block is not None and hasattr(stream_block, "raw_references"):
        refs = stream_block.raw_references(body_value)
        own_images = [getattr(page, "hero_image_id", None), getattr(page, "social_image_id", None)]
        choosers, public_pages = selectors.body_objects(refs, extra_image_ids=own_images)
        inline = list(choosers[ArticlePage].values())
        context = selectors.prepare_article_summaries(
            inline, extra_images=list(choosers[get_image_model()].values())
        )
        context["articles"] = {a.pk: a for a in inline}
        context["rich_text"] = representations.expand_rich_text_batch(
            [*refs.rich_text, *(a.summary for a in choosers[TherapeuticApproach].values())],
            public_pages=public_pages,
        )
        with preloaded_choosers(choosers):
            body = stream_block.get_api_representation(body_value, context)
    images = context.get("images", {})
    for field in ("hero_image", "social_image"):
        image_id = getattr(page, f"{field}_id", None)
        if image_id in images:
            setattr(page, field, images[image_id])
    intro = getattr(page, "intro", None)
    if intro and isinstance(page._meta.get_field("intro"), RichTextField):
        intro = representations.rich_text_html(intro)  # the blog index's intro is rich text
    hero = getattr(page, "hero_image", None) if getattr(page, "hero_image_id", None) else None
    crumbs = seo.breadcrumbs(page)
    data = {
        "id": page.pk,
        "page_type": page._meta.label,
        "title": page.title,
        "path": path,
        "url": representations.public_url(path),
        "intro": intro or None,
        "hero_image": representations.image(hero, context=context) if hero is not None else None,
        "body": body,
        "breadcrumbs": crumbs,
        "seo": seo.page_seo(page, practice=practice, crumbs=crumbs, context=context),
    }
    if isinstance(page, ConsultationPage):
        data["consultation"] = {
            "privacy_note": page.privacy_note,
            "thank_you_heading": page.thank_you_heading,
            "thank_you_text": page.thank_you_text,
            "submit_url": settings.WAGTAILADMIN_BASE_URL + reverse("api:consultation-request-create"),
        }
    return data
