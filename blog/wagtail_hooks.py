"""Admin registration: the content library editors reuse across articles."""

from django.http import Http404
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog import visibility
from blog.links import VisiblePageLinkHandler
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
    """404 for a page outside its schedule (``blog.visibility``), as in the API.

    Wagtail serves any page marked live, and answers view restrictions itself (its password
    or login form); the scheduled-publishing job (``publish_scheduled``) is what flips
    ``live``, so until it runs the schedule is checked here.
    """
    if not visibility.in_schedule(page):
        raise Http404


@hooks.register("register_rich_text_features", order=100)
def link_only_visible_pages(features):
    """Rich text page links on rendered pages point only at visible pages (after Wagtail's
    own registration, which this replaces)."""
    features.register_link_type(VisiblePageLinkHandler)
