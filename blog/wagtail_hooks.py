"""Admin registration: the content library editors reuse across articles."""

from django.http import Http404
from django.utils import timezone
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog.models import Author, Location, TherapeuticApproach, Topic


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors & reviewers"
    list_display = ["name", "credentials", "role"]
    search_fields = ["name"]


class ApproachViewSet(SnippetViewSet):
    model = TherapeuticApproach
    icon = "doc-full"
    menu_label = "Therapy approaches"
    list_display = ["name", "abbreviation"]
    search_fields = ["name"]


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = "Locations served"
    list_display = ["name", "kind", "sort_order"]


class ContentLibraryGroup(SnippetViewSetGroup):
    menu_label = "Content library"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (AuthorViewSet, ApproachViewSet, TopicViewSet, LocationViewSet)


register_snippet(ContentLibraryGroup)


@hooks.register("before_serve_page")
def hide_pages_outside_their_schedule(page, request, serve_args, serve_kwargs):
    """404 for a page past its expiry date or before its go-live date, as in the API.

    Wagtail serves any page marked live; the scheduled-publishing job (``publish_scheduled``,
    every minute) is what flips ``live``. Until it runs, an expired page would still be served
    here while the API (``blog.selectors``) already hides it. Found by the no-leak property
    test (tests/properties).
    """
    now = timezone.now()
    if (page.expire_at and page.expire_at <= now) or (page.go_live_at and page.go_live_at > now):
        raise Http404
