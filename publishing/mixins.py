"""Page mixins of the publishing app."""

from django.conf import settings
from django.template.response import TemplateResponse


class HeadlessPreviewMixin:
    """Preview in the separate frontend when ``FRONTEND_PREVIEW_URL`` is configured.

    The admin's preview (panel or new tab) then frames the frontend's preview route with a
    short-lived token for exactly this draft (``publishing.preview``). Without the setting,
    and for pages not saved yet (the token is scoped to a page id), the CMS's own templates
    render the preview as usual.
    """

    def serve_preview(self, request, mode_name):
        if not getattr(settings, "FRONTEND_PREVIEW_URL", "") or self.pk is None:
            return super().serve_preview(request, mode_name)
        from publishing.preview import frontend_preview_url, max_age

        return TemplateResponse(
            request,
            "publishing/frontend_preview.html",
            {"page": self, "preview_url": frontend_preview_url(self), "max_age_minutes": max_age() // 60},
        )
