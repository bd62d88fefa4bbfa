"""Comments and consultation requests: separate input and output shapes.

Input serializers describe the request bodies for the schema. The validation itself is
``readers.forms`` (through ``readers.services``), shared with the rendered site's HTML forms,
so the API and the HTML forms accept and reject exactly the same input with the same
messages. Output shapes never contain an email, phone number or consultation request.
"""

from __future__ import annotations

from rest_framework import serializers

from blog.representations import isoformat
from readers.forms import MAX_ID
from readers.models import (
    COMMENT_BODY_MAX_LENGTH,
    CONSULTATION_MESSAGE_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    WEBSITE_MAX_LENGTH,
)
from readers.selectors import PublicComment
from readers.text import render_plain_text, safe_website

# The honeypot is named ``company`` (readers.spam.HONEYPOT_FIELD).
HONEYPOT_HELP = (
    "Honeypot: render it hidden from people (and from screen readers) and send it empty or "
    "leave it out. A submission with text here is answered as a success and discarded."
)

# --- input ---------------------------------------------------------------------------------


class CommentInputSerializer(serializers.Serializer):
    """``POST /api/v1/articles/{slug}/comments/``::

    {"name": "Jordan", "email": "jordan@example.org", "website": "",
     "body": "This helped me understand my panic attacks.", "parent": null}

    Unknown fields are a 400. The email is never published nor returned by any endpoint.
    """

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH, help_text="Never published.")
    website = serializers.URLField(
        max_length=WEBSITE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="http(s) only.",
    )
    body = serializers.CharField(
        min_length=2, max_length=COMMENT_BODY_MAX_LENGTH, help_text="Plain text; HTML is shown as text."
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="To reply: the id of an approved comment on the same article.",
    )
    company = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=200, help_text=HONEYPOT_HELP
    )


class ConsultationRequestInputSerializer(serializers.Serializer):
    """``POST /api/v1/consultation-requests/``::

    {"name": "Sam Rivera", "email": "sam@example.org", "phone": "(310) 555-0199",
     "preferred_contact": "phone", "location": "los-angeles",
     "message": "I'd like to talk about anxiety at work.", "consent": true}

    ``location`` is the slug of one of the site's locations (``GET /api/v1/site/``).
    ``phone`` is required when ``preferred_contact`` is ``phone``. Unknown fields are a 400.
    """

    name = serializers.CharField(max_length=NAME_MAX_LENGTH)
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)
    phone = serializers.CharField(
        max_length=PHONE_MAX_LENGTH, required=False, allow_blank=True, allow_null=True
    )
    preferred_contact = serializers.ChoiceField(
        choices=["email", "phone"], required=False, allow_null=True, help_text="Defaults to 'email'."
    )
    location = serializers.SlugField(required=False, allow_blank=True, allow_null=True)
    message = serializers.CharField(
        max_length=CONSULTATION_MESSAGE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Optional. Ask people not to include private health details.",
    )
    consent = serializers.BooleanField(help_text="Must be true: they agree to be contacted.")
    company = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=200, help_text=HONEYPOT_HELP
    )


# --- output --------------------------------------------------------------------------------


class CommentSerializer(serializers.Serializer):
    """An approved comment, with its approved replies nested::

    {"id": 12, "name": "Jordan", "website": null,
     "body": "Thank you <3 see https://example.org",
     "body_html": "<p>Thank you &lt;3 see <a href=\\"https://example.org\\" rel=\\"nofollow ugc\\">…</a></p>",
     "created_at": "2026-11-25T09:00:00-08:00", "is_staff_reply": false, "replies": [...]}

    ``body`` is the plain text as written; ``body_html`` is safe to insert as HTML (escaped,
    links ``rel="nofollow ugc"``).
    """

    id = serializers.IntegerField()
    name = serializers.CharField()
    website = serializers.URLField(allow_null=True)
    body = serializers.CharField()
    body_html = serializers.CharField()
    created_at = serializers.DateTimeField()
    is_staff_reply = serializers.BooleanField(help_text="Written by the practice.")

    def get_fields(self):
        # Self-reference (replies are comments), built when the fields are read so the class
        # exists; drf-spectacular turns it into a $ref.
        fields = super().get_fields()
        fields["replies"] = CommentSerializer(many=True)
        return fields


class CommentListSerializer(serializers.Serializer):
    """``{"count": 3, "results": [Comment, ...]}``: top-level comments oldest first; ``count``
    includes replies."""

    count = serializers.IntegerField()
    results = CommentSerializer(many=True)


class CommentAcceptedSerializer(serializers.Serializer):
    """``{"status": "pending", "message": "Thank you. …"}``: the comment awaits moderation."""

    status = serializers.ChoiceField(choices=["pending"])
    message = serializers.CharField()


class ConsultationAcceptedSerializer(serializers.Serializer):
    """``{"status": "received", "message": "Thank you. …"}``: no personal data comes back."""

    status = serializers.ChoiceField(choices=["received"])
    message = serializers.CharField()


def serialize_comment(comment: PublicComment) -> dict:
    """The ``Comment`` shape of one approved comment and its replies."""
    return {
        "id": comment.id,
        "name": comment.name,
        "website": safe_website(comment.website),
        "body": comment.body,
        "body_html": str(render_plain_text(comment.body)),
        "created_at": isoformat(comment.created_at),
        "is_staff_reply": comment.is_staff_reply,
        "replies": [serialize_comment(reply) for reply in comment.replies],
    }
