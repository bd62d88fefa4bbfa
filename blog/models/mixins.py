"""Page mixins: abstract ones that carry their own fields and panels, and the preview hook."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from blog.images import missing_alt_text

# Image fields a page may have; each chosen image must have alt text (blog.images).
PAGE_IMAGE_FIELDS = ("hero_image", "social_image")

# Wagtail hook: ``fn(page, request, mode_name)`` returning a response to preview the page
# with, or None. ``publishing`` registers the frontend's preview (``publishing.wagtail_hooks``).
SERVE_PREVIEW_HOOK = "serve_headless_preview"


class HeadlessPreviewMixin:
    """Preview through the first ``serve_headless_preview`` hook that answers (the separate
    frontend, when configured), else with the CMS's own templates as usual."""

    def serve_preview(self, request, mode_name):
        for hook in hooks.get_hooks(SERVE_PREVIEW_HOOK):
            response = hook(self, request, mode_name)
            if response is not None:
                return response
        return super().serve_preview(request, mode_name)


class SeoMixin(models.Model):
    """Promote-tab fields read by ``blog.seo`` for both the rendered HTML and the API."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (1200 × 630 works best). "
        "Falls back to the hero image.",
    )
    canonical_url = models.URLField(
        blank=True,
        help_text="Only if this content was first published elsewhere: the original address. "
        "Leave empty in almost every case.",
    )
    noindex = models.BooleanField(
        default=False,
        verbose_name="Hide from search engines",
        help_text="Ask search engines not to list this page. It stays visible on the site "
        "and is left out of the sitemap.",
    )

    seo_panels = [
        MultiFieldPanel(
            [
                FieldPanel("social_image"),
                FieldPanel("canonical_url"),
                FieldPanel("noindex"),
            ],
            heading="Sharing and indexing",
        )
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = missing_alt_text(self, PAGE_IMAGE_FIELDS)
        if errors:
            raise ValidationError(errors)
