"""What readers send us: comments on articles and consultation requests, plus the page that
hosts the consultation form.

Personal data is kept to what the feature needs: no IP address is ever stored (throttling
uses a keyed hash in the cache only), emails are never published, and
``manage.py purge_personal_data`` removes what is past its retention period.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from blog.models.mixins import SeoMixin

# Field limits shared by the models, the validation form and the API schema.
NAME_MAX_LENGTH = 80
EMAIL_MAX_LENGTH = 254
WEBSITE_MAX_LENGTH = 200
COMMENT_BODY_MAX_LENGTH = 3000
PHONE_MAX_LENGTH = 30
CONSULTATION_MESSAGE_MAX_LENGTH = 1500


class CommentQuerySet(models.QuerySet):
    def approved(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> CommentQuerySet:
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    """A reader's comment on an article, or the practice's reply to one.

    Readers' comments start ``pending`` and are public only once ``approved`` by staff.
    The email is for the practice only: it is never rendered or returned by the API.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey("blog.ArticlePage", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one answers (same article).",
    )
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    # Blank once anonymised by the retention command, and for the practice's own replies.
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH, blank=True)
    website = models.URLField(max_length=WEBSITE_MAX_LENGTH, blank=True)
    body = models.TextField(max_length=COMMENT_BODY_MAX_LENGTH, help_text="Plain text.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    is_staff_reply = models.BooleanField(
        default=False, editable=False, help_text="Written by the practice from the admin."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    personal_data_removed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the retention command cleared the email."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"])]

    def __str__(self) -> str:
        # No name or text: this label is copied into the audit log, which outlives retention.
        return f"Comment #{self.pk}"

    @property
    def excerpt(self) -> str:
        """The start of the text, on one line (admin listing)."""
        text = " ".join(self.body.split())
        return text if len(text) <= 80 else text[:79] + "…"

    def set_status(self, status: str, *, user) -> None:
        """Moderate: record who decided and when. The caller writes the audit log."""
        self.status = status
        self.moderated_at = timezone.now()
        self.moderated_by = user if user is not None and user.is_authenticated else None
        self.save(update_fields=["status", "moderated_at", "moderated_by"])


class ConsultationRequest(models.Model):
    """Someone asking for a free consultation. Visible only to staff with the
    ``readers.view_consultationrequest`` permission; never readable through the API."""

    class PreferredContact(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone"

    class Status(models.TextChoices):
        NEW = "new", "New"
        CONTACTED = "contacted", "Contacted"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=NAME_MAX_LENGTH)
    email = models.EmailField(max_length=EMAIL_MAX_LENGTH)
    phone = models.CharField(max_length=PHONE_MAX_LENGTH, blank=True)
    preferred_contact = models.CharField(
        max_length=10, choices=PreferredContact.choices, default=PreferredContact.EMAIL
    )
    location = models.ForeignKey(
        "blog.Location",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where they would like to be seen (an office city or a telehealth region).",
    )
    message = models.TextField(max_length=CONSULTATION_MESSAGE_MAX_LENGTH, blank=True)
    consent = models.BooleanField(
        help_text="They agreed to be contacted and to their details being stored for that."
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    handled_at = models.DateTimeField(null=True, blank=True, editable=False)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "consultation request"
        # Finding, exporting and deleting everything stored about one email address (comments
        # too): readers.personal_data and Reports › Personal data requests.
        permissions = [
            (
                "handle_personal_data_request",
                "Can find, export and delete everything stored about an email address",
            )
        ]

    def __str__(self) -> str:
        # No name or email: this label is copied into the audit log, which outlives retention.
        return f"Consultation request #{self.pk} ({self.created_at:%Y-%m-%d})"

    @property
    def location_name(self) -> str:
        return self.location.name if self.location_id else ""


class ConsultationPage(SeoMixin, Page):
    """The one page with the free-consultation form; call-to-action blocks link here."""

    intro = models.TextField(
        max_length=600,
        blank=True,
        help_text="A few warm sentences: what a free consultation is and what happens next.",
    )
    privacy_note = models.CharField(
        max_length=300,
        default="Please don't include private health details here; we'll talk about what "
        "brings you in when we call you back.",
        help_text="Shown above the message box.",
    )
    thank_you_heading = models.CharField(max_length=120, default="Thank you for reaching out")
    thank_you_text = models.TextField(
        max_length=600,
        default="We have received your request and will contact you within one business day.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("privacy_note"),
        MultiFieldPanel(
            [FieldPanel("thank_you_heading"), FieldPanel("thank_you_text")], heading="After sending"
        ),
    ]
    promote_panels = Page.promote_panels + SeoMixin.seo_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["blog.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    def serve(self, request, *args, **kwargs):
        # The form posts back to the page itself; the view holds the logic.
        from readers.views import serve_consultation_page

        return serve_consultation_page(self, request, *args, **kwargs)

    def get_context(self, request, *args, form=None, **kwargs):
        """``form``: the bound form to re-render after a failed post (else a fresh one)."""
        from readers.forms import ConsultationRequestForm

        context = super().get_context(request, *args, **kwargs)
        form = form if form is not None else ConsultationRequestForm(html=True)
        # The note sits right above the message box, tied to it by aria-describedby.
        form.fields["message"].help_text = self.privacy_note
        context["form"] = form
        context["sent"] = request.GET.get("sent") == "1"
        return context
