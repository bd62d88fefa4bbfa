"""Comments and consultation requests: separate input and output shapes.

Input serializers describe the request bodies for the schema. The validation itself is
``readers.forms`` (through ``readers.services``), shared with the rendered site's HTML forms,
so the API and the HTML forms accept and reject exactly the same input with the same
messages. Output shapes never contain an email, phone number or consultation request.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from blog.representations import isoformat
from readers.forms import MAX_ID, WEBSITE_PATTERN
from readers.forms import WHITESPACE as WS
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

LOCATION_SLUG_MAX_LENGTH = 120  # blog.Location.slug

# The honeypot (``company``, readers.spam.HONEYPOT_FIELD) is accepted by both endpoints but is
# not in the schema: a filled honeypot is answered as a success whatever else is wrong, so that
# bots learn nothing, and a client generated from the schema must never fill it. The operation
# descriptions tell frontend developers about it (HONEYPOT_NOTE).
HONEYPOT_NOTE = (
    "An HTML form may carry a honeypot field named `company`, hidden from people (and from "
    "screen readers), sent empty or left out. A submission with text in it is answered exactly "
    "as a success and discarded, so it is deliberately left out of this schema."
)

# Patterns the forms (readers.forms) enforce, stated for the schema. Text is taken without NUL
# (a 400: PostgreSQL refuses it); required text must hold something besides whitespace, as the
# forms strip it; a comment has at least two characters once stripped.
NO_NUL_PATTERN = r"^[^\x00]*$"
SOME_TEXT_PATTERN = rf"^[^\x00]*[^{WS}\x00][^\x00]*$"
COMMENT_BODY_PATTERN = rf"^[{WS}]*[^{WS}\x00][^\x00]*[^{WS}\x00][{WS}]*$"
# PHONE_PATTERN once the form has stripped the value: blank, or digits and punctuation with
# no space at either end, spaces around allowed.
PHONE_AS_SENT_PATTERN = (
    rf"^[{WS}]*(\+[0-9 ().\-]{{6,}}[0-9().\-]|[0-9().\-][0-9 ().\-]{{5,}}[0-9().\-])?[{WS}]*$"
)


def _pattern(regex: str, message: str = "Not valid text.") -> list[RegexValidator]:
    return [RegexValidator(regex, message)]


def _optional_text(*, pattern: str, max_length: int, help_text: str) -> serializers.CharField:
    """An optional text field whose schema is exactly: text matching ``pattern`` (which allows
    the empty string), or null. drf-spectacular's own rendering of a blank-allowed field with a
    pattern is a ``oneOf`` that the empty string matches twice, i.e. not at all. (A subclass
    carries the schema: serializers copy their fields, and a copy loses instance attributes.)"""
    schema = {
        "type": "string",
        "nullable": True,
        "maxLength": max_length,
        "pattern": pattern,
        "description": help_text,
    }
    field_class = extend_schema_field(schema)(type("OptionalText", (serializers.CharField,), {}))
    return field_class(
        max_length=max_length, required=False, allow_blank=True, allow_null=True, help_text=help_text
    )


# The form's rule "a phone number is required when preferred_contact is 'phone'" (a postprocessing
# hook adds it to the request body's component, api.schema.conditional_rules).
PHONE_REQUIRED_FOR_CALLS = [
    {"properties": {"preferred_contact": {"type": "string", "nullable": True, "enum": ["email", "", None]}}},
    {"required": ["phone"], "properties": {"phone": {"type": "string", "pattern": f"[^{WS}]"}}},
]


# --- input ---------------------------------------------------------------------------------


class CommentInputSerializer(serializers.Serializer):
    """``POST /api/v1/articles/{slug}/comments/``::

    {"name": "Jordan", "email": "jordan@example.org", "website": "",
     "body": "This helped me understand my panic attacks.", "parent": null}

    Unknown fields are a 400. The email is never published nor returned by any endpoint.
    """

    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH, trim_whitespace=False, validators=_pattern(SOME_TEXT_PATTERN)
    )
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH, help_text="Never published.")
    website = _optional_text(
        max_length=WEBSITE_MAX_LENGTH,
        pattern=rf"^[{WS}]*({WEBSITE_PATTERN})?[{WS}]*$",
        help_text="An http(s) address with its scheme, e.g. 'https://example.org/blog'; no port.",
    )
    body = serializers.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH,
        trim_whitespace=False,
        validators=_pattern(COMMENT_BODY_PATTERN),
        help_text="Plain text, at least 2 characters besides spaces; HTML is shown as text.",
    )
    parent = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="To reply: the id of an approved comment on the same article.",
    )


class ConsultationRequestInputSerializer(serializers.Serializer):
    """``POST /api/v1/consultation-requests/``::

    {"name": "Sam Rivera", "email": "sam@example.org", "phone": "(310) 555-0199",
     "preferred_contact": "phone", "location": "los-angeles",
     "message": "I'd like to talk about anxiety at work.", "consent": true}

    ``location`` is the slug of one of the site's locations (``GET /api/v1/site/``).
    ``phone`` is required when ``preferred_contact`` is ``phone``. Unknown fields are a 400.
    """

    name = serializers.CharField(
        max_length=NAME_MAX_LENGTH, trim_whitespace=False, validators=_pattern(SOME_TEXT_PATTERN)
    )
    email = serializers.EmailField(max_length=EMAIL_MAX_LENGTH)
    phone = _optional_text(
        max_length=PHONE_MAX_LENGTH,
        pattern=PHONE_AS_SENT_PATTERN,
        help_text="Digits, spaces, brackets, dots or dashes (at least 7); "
        "required when preferred_contact is 'phone'.",
    )
    preferred_contact = serializers.ChoiceField(
        choices=["email", "phone"],
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Defaults to 'email' (also when blank).",
    )
    location = _optional_text(
        max_length=LOCATION_SLUG_MAX_LENGTH,
        pattern=r"^[-a-zA-Z0-9_]*$",
        help_text="The slug of one of the site's locations (GET /api/v1/site/); any other is a 400.",
    )
    message = _optional_text(
        max_length=CONSULTATION_MESSAGE_MAX_LENGTH,
        pattern=NO_NUL_PATTERN,
        help_text="Optional. Ask people not to include private health details.",
    )
    consent = serializers.ChoiceField(
        choices=[True],
        help_text="Must be true: they agree to be contacted and to their details being stored.",
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
