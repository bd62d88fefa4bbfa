"""Admin registration: the content library editors reuse across articles, the clinical
review's publish gate and its "Reviews due" report."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog import review, visibility
from blog.import_views import import_document_view, user_can_import
from blog.links import VisiblePageLinkHandler
from blog.models import ArticlePage, Author, BlogIndexPage, Location, TherapeuticApproach, Topic
from blog.reports import ReviewsDueView, user_may_see_reviews


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors & reviewers"
    list_display = ["name", "credentials", "role", "user"]
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


# --- Create article from a document ---------------------------------------------------------


@hooks.register("register_admin_urls")
def register_document_import_url():
    return [path("blog/import-document/", import_document_view, name="blog_import_document")]


class DocumentImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_import(request.user)


@hooks.register("register_admin_menu_item")
def register_document_import_menu_item():
    return DocumentImportMenuItem(
        "Import a document",
        reverse("blog_import_document"),
        icon_name="doc-full-inverse",
        name="article-from-document",
        order=150,
    )


@hooks.register("register_page_header_buttons")
def document_import_header_button(page, user, view_name, next_url=None):
    """On the blog index, beside 'Add child page': the same new article from a document."""
    if isinstance(page.specific_deferred, BlogIndexPage) and user_can_import(user):
        yield Button(
            "Create article from a document",
            reverse("blog_import_document"),
            icon_name="doc-full-inverse",
            priority=16,
        )


@hooks.register("insert_editor_js")
def list_paste_js():
    """Pasting several lines into a list item makes one item per line (symptom lists)."""
    return format_html('<script src="{}" defer></script>', static("blog/admin/list-paste.js"))


@hooks.register("before_publish_page")
def require_clinical_approval(request, page):
    """Publishing from the editor (create or edit) needs a clinical approval of the body being
    published, whoever publishes; Wagtail's editor publishes without a second permission
    check, so the rule is applied here as well as in ``ArticlePage.permissions_for_user``."""
    if isinstance(page, ArticlePage) and not page.review_covers_body():
        messages.error(
            request,
            "This article's body has no clinical approval yet. The draft is saved: submit it "
            "for clinical review, and it goes live when a clinician approves it.",
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_create_page")
def review_articles_of_a_new_blog_index(request, page):
    if isinstance(page, BlogIndexPage):
        review.ensure_clinical_review(page)


class ReviewsDueMenuItem(MenuItem):
    def is_shown(self, request):
        return user_may_see_reviews(request.user)


@hooks.register("register_admin_urls")
def reviews_due_urls():
    return [
        path("reports/reviews-due/", ReviewsDueView.as_view(), name="reviews_due"),
        path(
            "reports/reviews-due/results/",
            ReviewsDueView.as_view(results_only=True),
            name="reviews_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def reviews_due_menu_item():
    return ReviewsDueMenuItem(
        "Reviews due", reverse("reviews_due"), name="reviews-due", icon_name="date", order=650
    )
