"""The page links rich text shows on rendered pages (registered in ``blog.wagtail_hooks``)."""

from django.db.models import Model
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from blog import visibility


class VisiblePageLinkHandler(PageLinkHandler):
    """Wagtail's page link handler, for visible pages only: a link to a draft, a restricted or
    an unscheduled page keeps its text and loses its href (as in the API's rich text)."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Model | None]:
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = Page.objects.filter(visibility.visible_q(), pk__in=[i for i in ids if str(i).isdigit()])
        by_id = {str(page.pk): page for page in pages.defer_streamfields().specific()}
        return [by_id.get(str(i)) for i in ids]
