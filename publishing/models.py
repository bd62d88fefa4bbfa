"""Webhook endpoints staff manage in the admin, and the log of every delivery to them."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel

from blog.representations import page_path, public_url
from publishing.destinations import validate_destination

# Event names are a public contract: receivers switch on them.
EVENT_CHOICES = [
    ("page.published", "Page published (or republished)"),
    ("page.unpublished", "Page unpublished"),
    ("page.deleted", "Page deleted"),
    ("page.moved", "Page moved"),
    ("page.slug_changed", "Page address (slug) changed"),
    ("snippet.updated", "Author, approach, topic or location changed"),
    ("settings.updated", "Site settings changed"),
]
EVENT_NAMES = [name for name, _ in EVENT_CHOICES]


def generate_secret() -> str:
    return secrets.token_urlsafe(32)


def validate_events(value):
    unknown = sorted(set(value or []) - set(EVENT_NAMES))
    if unknown:
        raise ValidationError(f"Unknown events: {', '.join(unknown)}.")
    if not value:
        raise ValidationError("Choose at least one event.")


class WebhookEndpointForm(WagtailAdminModelForm):
    """Events as tick boxes (the model stores the chosen names as a JSON list).

    The secret is not a field: a new endpoint gets a random one, shown once after saving; later
    it can only be replaced by a new random one ("rotate"), shown once too. Nothing in the
    admin displays a secret again, so reading it needs more than webhook admin rights.
    """

    events = forms.MultipleChoiceField(
        choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple, help_text="Which events to send."
    )
    rotate_secret = forms.BooleanField(
        required=False,
        label="Generate a new secret",
        help_text="The new secret is shown once, after saving; the old one stops working at once, "
        "so update the receiver straight away.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:  # a new endpoint always gets a fresh secret
            del self.fields["rotate_secret"]

    #: After ``save()``: the secret to show once (a new endpoint's, or a rotated one), else None.
    secret_to_show: str | None = None

    def save(self, commit=True):
        if self.instance.pk is None:
            self.secret_to_show = self.instance.secret
        elif self.cleaned_data.get("rotate_secret"):
            self.instance.secret = self.secret_to_show = generate_secret()
        return super().save(commit=commit)


class WebhookEndpoint(models.Model):
    """A URL told about content changes (e.g. the frontend's revalidation route)."""

    name = models.CharField(max_length=120, help_text="e.g. 'Website revalidation'.")
    url = models.URLField(
        max_length=500,
        validators=[validate_destination],
        help_text="Where events are POSTed, e.g. https://www.example.com/api/revalidate. Only https "
        "addresses on the public internet are accepted (docs/security.md).",
    )
    secret = models.CharField(
        max_length=200,
        default=generate_secret,
        editable=False,
        help_text="Shared secret the receiver uses to check the X-Webhook-Signature header; "
        "shown once when created or rotated.",
    )
    events = models.JSONField(default=list, validators=[validate_events], help_text="Which events to send.")
    active = models.BooleanField(default=True, help_text="Untick to pause deliveries without deleting.")
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        HelpPanel(
            content="<p>Each event is POSTed as JSON with a signature header "
            "(<code>X-Webhook-Signature: t=…,v1=…</code>, HMAC-SHA256 of "
            "<code>t.body</code> with the secret). The secret is shown once, after the endpoint "
            "is created or its secret rotated. docs/api.md (Webhooks) has a receiver.</p>"
        ),
        FieldPanel("name"),
        FieldPanel("url"),
        FieldPanel("events"),
        FieldPanel("active"),
        FieldPanel("rotate_secret"),
    ]

    base_form_class = WebhookEndpointForm

    class Meta:
        ordering = ["name"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.name

    @property
    def event_list(self) -> str:
        return ", ".join(self.events or [])

    def wants(self, event: str) -> bool:
        return self.active and event in (self.events or [])


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with the outcome of its latest attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(help_text="The event's id (same for every endpoint it was sent to).")
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempt_log = models.JSONField(
        default=list, blank=True, help_text="Every attempt: when, HTTP status or error, duration."
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


class PagePreview(models.Model):
    """The content an editor is previewing, frozen for the frontend to fetch with a token.

    The admin's preview renders unsaved form data; the frontend fetches the draft later, from
    another server. So each preview stores what was on screen (``Page.serializable_data``,
    what a revision stores) and the token names this row. Rows are pruned when they are older
    than the token's lifetime.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The saved revision the previewed draft started from.",
    )
    content_type = models.CharField(max_length=100, help_text="e.g. 'blog.articlepage'.")
    content = models.JSONField(encoder=DjangoJSONEncoder)  # dates, as revisions store them
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "page preview"

    def __str__(self) -> str:
        return f"Preview of page {self.page_id} at {self.created_at:%Y-%m-%d %H:%M}"


class PageLink(models.Model):
    """A link in a live page's published content and what its last check found
    (``publishing.links``); the "Broken links" report lists those that are not working."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Page on this site"
        EXTERNAL = "external", "Other website"

    class Status(models.TextChoices):
        OK = "ok", "Working"
        BROKEN = "broken", "Broken"
        UNREACHABLE = "unreachable", "Unreachable"
        # The destination rules refuse it (a private address; plain http in production).
        UNCHECKED = "unchecked", "Not checked"

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=2000, help_text="The external URL, or 'page:<id>' for a page of ours.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    location = models.CharField(max_length=120, help_text="The block or field holding the link.")
    url = models.CharField(
        "link", max_length=2000, help_text="The external URL, or the path of the page of ours it points to."
    )
    # Not a foreign key: a link to a page that was deleted is exactly what must be reported.
    target_page_id = models.PositiveIntegerField(null=True, blank=True, db_index=True)
    text = models.CharField("link text", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    problem = models.CharField(max_length=300, blank=True)
    last_checked_at = models.DateTimeField()

    class Meta:
        verbose_name = "page link"
        # One row per (page, key, location), kept by ``publishing.links.check_pages``, which
        # replaces a page's rows at once (a unique index over 2,000-character URLs would not
        # fit PostgreSQL's index row limit).
        indexes = [models.Index(fields=["status", "last_checked_at"])]

    def __str__(self) -> str:
        return f"{self.url} on page {self.page_id}"

    @property
    def page_url(self) -> str:
        """The public URL of the page holding the link."""
        return public_url(page_path(self.page))


class ScheduledJobRun(models.Model):
    """The latest run of one of ``settings.SCHEDULED_COMMANDS`` (``manage.py run_scheduler``).

    One row per job name. The row is also the job's lock: a scheduler claims a run by moving
    ``last_started_at`` forward in one conditional UPDATE, so two schedulers (two hosts, or a
    scheduler and a cron line) never start the same job twice in one interval.
    """

    name = models.CharField(max_length=100, unique=True, help_text="The job's name in SCHEDULED_COMMANDS.")
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_succeeded = models.BooleanField(
        null=True, blank=True, help_text="Empty while the first run is under way."
    )
    last_error = models.CharField(
        max_length=500, blank=True, help_text="The exception of the latest failed run (its type and message)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "scheduled job run"

    def __str__(self) -> str:
        return self.name
