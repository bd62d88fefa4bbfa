"""Admin: webhook endpoints staff manage, a read-only log of deliveries, and the broken-links
report."""

from django.conf import settings
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.models import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from blog.models.mixins import SERVE_PREVIEW_HOOK
from publishing.models import WebhookDelivery, WebhookEndpoint
from publishing.preview import frontend_preview_url, max_age
from publishing.views import BrokenLinksReportView


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Deliveries are a log: staff with the view permission read them, nobody edits them."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(WebhookDelivery, ReadOnlyPermissionPolicy(WebhookDelivery))


class ShowSecretOnceMixin:
    """After a save that made a new secret, show it on the response page instead of redirecting.

    The page is the only place the secret ever appears (not a message, which would travel in a
    cookie or the session), and it is marked ``no-store`` so no cache keeps it.
    """

    def save_action(self):
        secret = self.form.secret_to_show
        if secret is None or self.expects_json_response:
            return super().save_action()
        response = TemplateResponse(
            self.request,
            "publishing/webhook_secret.html",
            {"endpoint": self.object, "secret": secret, "index_url": reverse(self.index_url_name)},
        )
        add_never_cache_headers(response)
        return response


class WebhookEndpointCreateView(ShowSecretOnceMixin, CreateView):
    pass


class WebhookEndpointEditView(ShowSecretOnceMixin, EditView):
    pass


class WebhookEndpointViewSet(ModelViewSet):
    model = WebhookEndpoint
    add_view_class = WebhookEndpointCreateView
    edit_view_class = WebhookEndpointEditView
    name = "webhook_endpoints"
    icon = "link-external"
    menu_label = "Webhook endpoints"
    list_display = ["name", "url", "event_list", "active"]
    search_fields = ["name", "url"]
    copy_view_enabled = False


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    name = "webhook_deliveries"
    icon = "list-ul"
    menu_label = "Webhook deliveries"
    list_display = [
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "created_at",
        "last_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "endpoint",
        "event",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
        "attempt_log",
    ]
    copy_view_enabled = False
    # Required by ModelViewSet; unreachable, as the policy refuses add and change.
    form_fields = ["status"]


class PublishingGroup(ModelViewSetGroup):
    menu_label = "Webhooks"
    menu_icon = "link-external"
    menu_order = 900
    items = (WebhookEndpointViewSet, WebhookDeliveryViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return PublishingGroup()


@hooks.register(SERVE_PREVIEW_HOOK)
def preview_in_the_frontend(page, request, mode_name):
    """Preview in the separate frontend when ``FRONTEND_PREVIEW_URL`` is configured.

    The admin's preview (panel or new tab) then frames the frontend's preview route with a
    short-lived token for exactly this draft (``publishing.preview``). Without the setting,
    and for pages not saved yet (the token is scoped to a page id), None: the CMS's own
    templates render the preview.
    """
    if not getattr(settings, "FRONTEND_PREVIEW_URL", "") or page.pk is None:
        return None
    return TemplateResponse(
        request,
        "publishing/frontend_preview.html",
        {"page": page, "preview_url": frontend_preview_url(page), "max_age_minutes": max_age() // 60},
    )


# --- Reports › Broken links ----------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_broken_links_report_urls():
    return [
        path("reports/broken-links/", BrokenLinksReportView.as_view(), name="broken_links_report"),
        path(
            "reports/broken-links/results/",
            BrokenLinksReportView.as_view(results_only=True),
            name="broken_links_report_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_broken_links_report_menu_item():
    return MenuItem("Broken links", reverse("broken_links_report"), icon_name="warning", order=700)
