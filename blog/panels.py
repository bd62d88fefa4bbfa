"""The article editor's "Search and sharing" panel: a search-result preview with character and
pixel counters and the point where it is cut, the focus keyphrase checks, a social card
preview, and warnings (also asked again before publishing) when a title or description will be
cut. A read-only Wagtail ``Panel``; its numbers come from ``blog.serp`` here and from
``static/cms/seo-panel.js`` (same table, same rules) as the editor types."""

from __future__ import annotations

from django.utils.html import strip_tags
from wagtail.admin.panels import Panel

from blog import serp
from blog.models.settings import PracticeSettings
from blog.representations import page_path, public_url


def article_texts(page) -> dict:
    """The texts the keyphrase checks read from a (possibly unsaved) article."""
    first_paragraph, headings = "", []
    for block in getattr(page, "body", None) or []:
        if block.block_type == "heading":
            headings.append(block.value["text"])
        elif block.block_type == "paragraph" and not first_paragraph:
            first_paragraph = " ".join(strip_tags(str(block.value.source)).split())
    return {"first_paragraph": first_paragraph, "headings": headings}


class SearchAndSharingPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "blog/admin/search_and_sharing_panel.html"

        class Media:
            js = ["cms/seo-panel.js"]
            css = {"all": ["cms/seo-panel.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            practice = PracticeSettings.load(request_or_site=self.request)
            parent = getattr(self.form, "parent_page", None) or (page.get_parent() if page.pk else None)
            prefix = public_url(page_path(parent)) if parent is not None else public_url("/")
            title = page.seo_title or page.title or ""
            description = serp.cut_description(page.search_description or getattr(page, "excerpt", "") or "")
            texts = article_texts(page)
            context.update(
                result=serp.search_result(
                    title=title,
                    site_name=practice.practice_name,
                    description=description,
                    url=f"{prefix}{page.slug or ''}/" if page.slug else prefix,
                ),
                checks=serp.keyphrase_checks(
                    getattr(page, "focus_keyphrase", ""),
                    title=title,
                    slug=page.slug or "",
                    description=description,
                    **texts,
                ),
                config={
                    **serp.client_config(site_name=practice.practice_name),
                    "urlPrefix": prefix,
                },
            )
            return context
