"""Admin for readers' data: comment moderation and consultation requests.

- Comments (Readers › Comments): filter by status; approve, reject or mark as spam one by
  one (row menu) or in bulk (checkboxes), both through the same bulk actions; reply as the
  practice; the edit screen changes only the status.
- Consultation requests (Readers › Consultation requests): only for users with
  ``readers.view_consultationrequest`` (every action also needs it); read-only details, a
  status to track follow-up, CSV/XLSX export. Nobody can add, copy or edit what was sent.

- Personal data requests (Reports › Personal data requests): only for users with
  ``readers.handle_personal_data_request``. Find everything stored about one email address,
  download it as JSON, or delete it (``readers.personal_data``).

Every action on this data is written to Wagtail's audit log (Reports › Site history and each
object's History): moderation, replies, status changes, deletions, exports and views of a
consultation request.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import classproperty
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from blog.models import PracticeSettings
from readers import personal_data, services
from readers.exports import SafeSpreadsheetMixin
from readers.models import COMMENT_BODY_MAX_LENGTH, Comment, ConsultationRequest

# --- Permissions ---------------------------------------------------------------------------


class SubmittedByReadersPolicy(ModelPermissionPolicy):
    """Readers' data is created by readers only: nobody adds or copies it in the admin."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class ConsultationRequestPolicy(SubmittedByReadersPolicy):
    """Every action on consultation requests also needs the dedicated view permission, so
    having "delete" or "change" alone never reveals them."""

    def user_has_permission(self, user, action):
        return super().user_has_permission(user, action) and user.has_perm("readers.view_consultationrequest")


register_permission_policy(Comment, SubmittedByReadersPolicy(Comment))
register_permission_policy(ConsultationRequest, ConsultationRequestPolicy(ConsultationRequest))


# --- Audit log actions ---------------------------------------------------------------------

MODERATION_ACTIONS = {
    Comment.Status.APPROVED: ("readers.comment.approve", "Approve comment", "Comment approved"),
    Comment.Status.REJECTED: ("readers.comment.reject", "Reject comment", "Comment rejected"),
    Comment.Status.SPAM: ("readers.comment.spam", "Mark comment as spam", "Comment marked as spam"),
    Comment.Status.PENDING: ("readers.comment.pending", "Back to moderation", "Comment set pending"),
}


@hooks.register("register_log_actions")
def register_readers_log_actions(actions):
    for action, label, message in MODERATION_ACTIONS.values():
        actions.register_action(action, label, message)
    actions.register_action("readers.comment.reply", "Reply as the practice", "Replied as the practice")
    actions.register_action(
        "readers.personal_data_removed", "Remove personal data", "Email and website removed (retention)"
    )
    actions.register_action(
        "readers.consultation_request.view", "View consultation request", "Consultation request viewed"
    )
    actions.register_action(
        "readers.consultation_request.list", "List consultation requests", "Consultation request listed"
    )
    actions.register_action("readers.comment.list", "List comments", "Comment listed")
    actions.register_action("readers.comment.view", "View comment", "Comment viewed")
    actions.register_action(
        "readers.consultation_request.export",
        "Export consultation requests",
        "Consultation request exported",
    )
    actions.register_action(
        "readers.consultation_request.status", "Change follow-up status", "Follow-up status changed"
    )
    actions.register_action(
        "readers.comment.anonymise", "Anonymise comment", "Comment anonymised (personal data request)"
    )
    actions.register_action(
        "readers.personal_data.find", "Find personal data", "Personal data request: stored data listed"
    )
    actions.register_action(
        "readers.personal_data.export", "Export personal data", "Personal data request: data exported"
    )
    actions.register_action(
        "readers.personal_data.delete", "Delete personal data", "Personal data request: data deleted"
    )


def moderate(comments, status: str, user) -> int:
    """Set ``status`` on each comment that does not have it yet; one audit entry per comment."""
    action = MODERATION_ACTIONS[status][0]
    changed = 0
    with transaction.atomic():
        for comment in comments:
            if comment.status == status:
                continue
            previous = comment.status
            comment.set_status(status, user=user)
            log(comment, action, user=user, data={"from": previous, "to": status})
            changed += 1
    return changed


# --- Comments ------------------------------------------------------------------------------


class ModerateBulkAction(SnippetBulkAction):
    """Approve / reject / mark as spam the selected comments (one or many)."""

    template_name = "readers/admin/confirm_bulk_moderate.html"
    status: str = ""

    @classproperty
    def models(cls):
        return [Comment]

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, "change", obj)

    @classmethod
    def execute_action(cls, objects, **kwargs):
        view = kwargs["self"]
        return moderate(objects, cls.status, view.request.user), 0

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action_label": self.display_name}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} comment(s): {self.done_label}."


class ApproveBulkAction(ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve the selected comments"
    status = Comment.Status.APPROVED
    done_label = "approved"
    action_priority = 10


class RejectBulkAction(ModerateBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject the selected comments"
    status = Comment.Status.REJECTED
    done_label = "rejected"
    action_priority = 20


class SpamBulkAction(ModerateBulkAction):
    display_name = "Mark as spam"
    action_type = "spam"
    aria_label = "Mark the selected comments as spam"
    status = Comment.Status.SPAM
    done_label = "marked as spam"
    action_priority = 25


for _action in (ApproveBulkAction, RejectBulkAction, SpamBulkAction):
    hooks.register("register_bulk_action", _action)


@hooks.register("before_bulk_action")
def log_bulk_deletions(request, action_type, objects, action_class_instance):
    """Wagtail's snippet bulk delete writes no audit entry (its single delete does): add one
    per comment or consultation request, before they are gone."""
    if action_type != "delete":
        return
    for obj in objects:
        if isinstance(obj, Comment | ConsultationRequest):
            log(obj, "wagtail.delete", user=request.user, deleted=True)


class AuditedListMixin:
    """A listing of personal data writes one audit entry per record shown (``list_log_action``),
    so the log answers "who saw this person's data" for listings as it does for one record.
    Entries carry the page and the filters, never the data itself."""

    list_log_action = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if not getattr(self, "is_export", False) and response.status_code == 200:
            for obj in context.get("object_list", []):
                log(obj, self.list_log_action, user=request.user, data={"listing": request.GET.urlencode()})
        return response


class AuditedInvalidEditMixin:
    """A failed save re-renders the record, which shows it again: logged as a view."""

    invalid_edit_log_action = ""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        log(self.object, self.invalid_edit_log_action, user=self.request.user, data={"form_invalid": True})
        return response


class CommentIndexView(AuditedListMixin, snippet_views.IndexView):
    list_log_action = "readers.comment.list"

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.permission_policy.user_has_permission(self.request.user, "change"):
            return buttons
        next_url = self.request.get_full_path()
        for priority, action in enumerate((ApproveBulkAction, RejectBulkAction, SpamBulkAction)):
            if instance.status == action.status:
                continue
            url = reverse("wagtail_bulk_action", args=("readers", "comment", action.action_type))
            buttons.append(
                MenuItem(
                    action.display_name,
                    url=f"{url}?{urlencode({'id': instance.pk, 'next': next_url})}",
                    icon_name="check" if action is ApproveBulkAction else "cross",
                    priority=priority + 1,
                )
            )
        if instance.status == Comment.Status.APPROVED:
            buttons.append(
                MenuItem(
                    "Reply as the practice",
                    url=reverse("wagtailsnippets_readers_comment:reply", args=(quote(instance.pk),)),
                    icon_name="comment",
                    priority=5,
                )
            )
        return buttons


class CommentEditView(AuditedInvalidEditMixin, snippet_views.EditView):
    """Only the status is editable; a change of status is logged as a moderation action."""

    invalid_edit_log_action = "readers.comment.view"

    def save_instance(self):
        previous = Comment.objects.values_list("status", flat=True).get(pk=self.object.pk)
        new_status = self.form.cleaned_data["status"]
        instance = super().save_instance()
        if new_status != previous:
            instance.set_status(new_status, user=self.request.user)
            log(
                instance,
                MODERATION_ACTIONS[new_status][0],
                user=self.request.user,
                data={"from": previous, "to": new_status},
            )
        return instance


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        max_length=COMMENT_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Published at once under the comment, signed with the practice's name.",
    )


def reply_view(request, pk):
    """Reply as the practice to an approved comment: creates an approved staff reply."""
    policy = SubmittedByReadersPolicy(Comment)
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied
    parent = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if parent.status != Comment.Status.APPROVED:
        messages.error(request, "Approve the comment before replying to it.")
        return redirect("wagtailsnippets_readers_comment:list")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reply = services.reply_as_practice(
            parent=parent,
            body=form.cleaned_data["body"],
            user=request.user,
            author_name=PracticeSettings.load(request_or_site=request).practice_name,
        )
        log(reply, "wagtail.create", user=request.user)
        log(parent, "readers.comment.reply", user=request.user, data={"reply_id": reply.pk})
        messages.success(request, f"Your reply on “{parent.article.title}” is published.")
        return redirect("wagtailsnippets_readers_comment:list")
    return TemplateResponse(
        request,
        "readers/admin/reply.html",
        {"parent": parent, "form": form, "page_title": "Reply as the practice", "header_icon": "comment"},
    )


class StatusColumn(Column):
    def get_value(self, instance):
        return instance.get_status_display()


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    copy_view_enabled = False
    list_display = [
        "__str__",
        Column("name", label="Name"),
        Column("excerpt", label="Comment"),
        "article",
        StatusColumn("status", label="Status", sort_key="status"),
        DateColumn("created_at", label="Received", sort_key="created_at"),
    ]
    list_filter = ["status", "is_staff_reply"]
    ordering = ["-created_at", "-pk"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("article", read_only=True),
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("website", read_only=True),
                FieldPanel("body", read_only=True),
            ],
            heading="What the reader sent (the email is never published)",
        ),
        FieldPanel("status"),
    ]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("reply/<int:pk>/", reply_view, name="reply")]


# --- Consultation requests -----------------------------------------------------------------


class ConsultationIndexView(SafeSpreadsheetMixin, AuditedListMixin, snippet_views.IndexView):
    any_permission_required = ["view"]
    list_log_action = "readers.consultation_request.list"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # One audit entry per exported request: who took a copy of whose data, and when.
        rows = list(queryset)
        for request_obj in rows:
            log(
                request_obj,
                "readers.consultation_request.export",
                user=self.request.user,
                data={"format": spreadsheet_format},
            )
        return super().as_spreadsheet(rows, spreadsheet_format)


class ConsultationInspectView(snippet_views.InspectView):
    any_permission_required = ["view"]

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        log(self.object, "readers.consultation_request.view", user=request.user)
        return response


class ConsultationEditView(AuditedInvalidEditMixin, snippet_views.EditView):
    """Only the follow-up status can change; what the person sent is read-only."""

    invalid_edit_log_action = "readers.consultation_request.view"

    def get(self, request, *args, **kwargs):
        # The edit screen shows what they sent too: a view, logged like the inspect view.
        response = super().get(request, *args, **kwargs)
        log(self.object, "readers.consultation_request.view", user=request.user)
        return response

    def save_instance(self):
        previous = ConsultationRequest.objects.values_list("status", flat=True).get(pk=self.object.pk)
        instance = super().save_instance()
        if instance.status != previous:
            instance.handled_at = timezone.now()
            instance.handled_by = self.request.user
            instance.save(update_fields=["handled_at", "handled_by"])
            log(
                instance,
                "readers.consultation_request.status",
                user=self.request.user,
                data={"from": previous, "to": instance.status},
            )
        return instance


class ConsultationRequestViewSet(SnippetViewSet):
    model = ConsultationRequest
    icon = "mail"
    menu_label = "Consultation requests"
    index_view_class = ConsultationIndexView
    inspect_view_class = ConsultationInspectView
    edit_view_class = ConsultationEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_display = [
        "__str__",
        Column("name", label="Name"),
        "location",
        "preferred_contact",
        StatusColumn("status", label="Follow-up", sort_key="status"),
        DateColumn("created_at", label="Received", sort_key="created_at"),
    ]
    list_filter = ["status", "preferred_contact", "location"]
    ordering = ["-created_at", "-pk"]
    list_export = [
        "created_at",
        "name",
        "email",
        "phone",
        "preferred_contact",
        "location_name",
        "message",
        "status",
    ]
    export_headings = {
        "created_at": "Received",
        "name": "Name",
        "email": "Email",
        "phone": "Phone",
        "preferred_contact": "Preferred contact",
        "location_name": "Location",
        "message": "Message",
        "status": "Follow-up status",
    }
    export_filename = "consultation-requests"
    inspect_view_fields = [
        "created_at",
        "name",
        "email",
        "phone",
        "preferred_contact",
        "location",
        "message",
        "consent",
        "status",
        "handled_at",
        "handled_by",
    ]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name", read_only=True),
                FieldPanel("email", read_only=True),
                FieldPanel("phone", read_only=True),
                FieldPanel("preferred_contact", read_only=True),
                FieldPanel("location", read_only=True),
                FieldPanel("message", read_only=True),
            ],
            heading="What they sent",
        ),
        FieldPanel("status", heading="Follow-up status"),
    ]


# --- Personal data requests ----------------------------------------------------------------

PERSONAL_DATA_PERMISSION = "readers.handle_personal_data_request"


class PersonalDataRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The address the person wrote from. Case and surrounding spaces do not matter.",
    )


def _require_personal_data_permission(request) -> None:
    if not request.user.has_perm(PERSONAL_DATA_PERMISSION):
        raise PermissionDenied


def _stored_data(request) -> tuple[PersonalDataRequestForm, personal_data.StoredData | None]:
    form = PersonalDataRequestForm(request.POST)
    if not form.is_valid():
        return form, None
    return form, personal_data.find(email=form.cleaned_data["email"])


def _render_personal_data(request, form, data=None, *, template="personal_data.html", status=200):
    return TemplateResponse(
        request,
        f"readers/admin/{template}",
        {"form": form, "data": data, "page_title": "Personal data requests", "header_icon": "user"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def personal_data_find_view(request):
    """GET: the form. POST: what is stored about the address (a find, audit-logged). The
    address travels in POST bodies only, so it is never in a URL, a referrer or an access log."""
    _require_personal_data_permission(request)
    if request.method == "GET":
        return _render_personal_data(request, PersonalDataRequestForm())
    form, data = _stored_data(request)
    if data is None:
        return _render_personal_data(request, form, status=400)
    personal_data.log_request("readers.personal_data.find", data=data, user=request.user)
    return _render_personal_data(request, form, data)


@require_POST
def personal_data_export_view(request):
    """Everything stored about the address, as a JSON download (audit-logged)."""
    _require_personal_data_permission(request)
    form, data = _stored_data(request)
    if data is None:
        return _render_personal_data(request, form, status=400)
    with transaction.atomic():
        personal_data.log_request("readers.personal_data.export", data=data, user=request.user)
        for request_obj in data.consultation_requests:
            log(
                request_obj,
                "readers.consultation_request.export",
                user=request.user,
                data={"format": "json", "reason": personal_data.REASON},
            )
    response = HttpResponse(
        json.dumps(personal_data.export(data), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"personal-data-{personal_data.email_hmac(data.email)[:12]}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def personal_data_delete_view(request):
    """First POST: the confirmation page (nothing changes). With ``confirm``: delete everything
    in one transaction, then back to the form with a message."""
    _require_personal_data_permission(request)
    form, data = _stored_data(request)
    if data is None:
        return _render_personal_data(request, form, status=400)
    if request.POST.get("confirm") != "yes":
        return _render_personal_data(request, form, data, template="personal_data_confirm_delete.html")
    counts = personal_data.delete(data, user=request.user)
    messages.success(
        request,
        f"Deleted {counts.consultation_requests_deleted} consultation request(s) and "
        f"{counts.comments_deleted} comment(s); anonymised {counts.comments_anonymised} comment(s) "
        "that other people replied to.",
    )
    return redirect("readers_personal_data")


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path("reports/personal-data/", personal_data_find_view, name="readers_personal_data"),
        path("reports/personal-data/export/", personal_data_export_view, name="readers_personal_data_export"),
        path("reports/personal-data/delete/", personal_data_delete_view, name="readers_personal_data_delete"),
    ]


class PersonalDataMenuItem(AdminMenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERSONAL_DATA_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_personal_data_menu_item():
    return PersonalDataMenuItem(
        "Personal data requests", reverse("readers_personal_data"), icon_name="user", order=800
    )


class ReadersGroup(SnippetViewSetGroup):
    menu_label = "Readers"
    menu_icon = "group"
    menu_order = 250
    items = (CommentViewSet, ConsultationRequestViewSet)


register_snippet(ReadersGroup)
