"""Admin registration: the content library editors reuse across articles."""

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
