"""The one validation of what readers send, used by the HTML forms and the API alike.

The API passes the decoded JSON object, the HTML views pass ``request.POST``; both end up in
these forms, so both paths accept and reject exactly the same input with the same messages.
JSON values of the wrong type (a list where text is expected, a number for consent) are
rejected by field name before any field sees them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import RegexValidator

from blog.models import Location
from readers import spam
from readers.models import (
    COMMENT_BODY_MAX_LENGTH,
    CONSULTATION_MESSAGE_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
    WEBSITE_MAX_LENGTH,
    Comment,
    ConsultationRequest,
)

HONEYPOT_FIELD = spam.HONEYPOT_FIELD
STARTED_FIELD = spam.STARTED_FIELD
HONEYPOT_MAX_LENGTH = 200

# What a JSON value may be, per kind of field. Anything else is a 400 naming the field.
# (HTML posts are all text and skip this; a checkbox posts "on".)
_TEXT = (str,)
_BOOL = (bool,)
_ID = (int,)
# A phone number as people write it; the API schema states the same pattern.
PHONE_PATTERN = r"^\+?[0-9 ().\-]{7,}$"
MAX_ID = 2**31 - 1  # beyond any row id; larger numbers would overflow some databases


class ReaderForm(forms.Form):
    """Shared behaviour: strict JSON types, unknown fields rejected, spam fields optional.

    ``html=True`` adds the hidden fill-time token the HTML form carries; the API has none
    (a frontend needs no token or extra round trip).
    """

    form_name = ""  # salts the fill-time token, so one form's token is useless on another
    field_types: dict[str, tuple[type, ...]] = {}
    # Never validated as input: the honeypot only has to be empty, the token is checked by
    # the service before validation.
    company = forms.CharField(
        required=False,
        max_length=HONEYPOT_MAX_LENGTH,
        label="Company (leave empty)",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, html: bool = False, **kwargs):
        self._type_errors: dict[str, str] = {}
        self._unknown: list[str] = []
        if data is not None and not hasattr(data, "getlist"):
            # A decoded JSON object: check types before any field coerces a value to text.
            data = dict(data)
            allowed = set(self.base_fields) | ({STARTED_FIELD} if html else set())
            for name in list(data):
                if name not in allowed:
                    self._unknown.append(name)
                    data.pop(name)
                    continue
                value = data[name]
                expected = self.field_types.get(name, _TEXT)
                if value is not None and (
                    not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))
                ):
                    self._type_errors[name] = _type_message(expected)
                    data[name] = None
                elif isinstance(value, str):
                    # Length as sent, before the field strips whitespace (as the schema says).
                    limit = (
                        getattr(self.base_fields[name], "max_length", None)
                        if name in self.base_fields
                        else None
                    )
                    if limit is not None and len(value) > limit:
                        self._type_errors[name] = (
                            f"Ensure this value has at most {limit} characters (it has {len(value)})."
                        )
                        data[name] = None
        super().__init__(data, **kwargs)
        if html:
            self.fields[STARTED_FIELD] = forms.CharField(
                required=False,
                widget=forms.HiddenInput,
                max_length=300,
                initial=spam.make_started_token(self.form_name),
            )

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, message in self._type_errors.items():
            if name in self.fields:
                self.errors.pop(name, None)
                self.add_error(name, message)
        for name in self._unknown:
            self.errors[name] = self.error_class(["Unknown field."])
        if self._unknown:
            self.cleaned_data = {k: v for k, v in self.cleaned_data.items() if k not in self._unknown}

    def field_errors(self) -> dict[str, list[str]]:
        """Field name → messages, ``__all__`` renamed ``non_field_errors`` as in the API."""
        return {
            ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in self.errors.items()
        }


def _type_message(expected: tuple[type, ...]) -> str:
    if bool in expected:
        return "Must be true or false."
    if int in expected:
        return "Must be a comment id (a number)."
    return "Must be text."


# What str.strip() (so every form field) strips, spelt out for character classes: the \s of
# JSON Schema's (ECMAScript) patterns is another set (it lacks \x1c-\x1f and \x85, and has \ufeff).
WHITESPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"

# A commenter's website: http(s), a host name (letters, digits, hyphens, dots; labels of at
# most 63 characters), then optionally a path, query or fragment without spaces. No port, no
# user name, no IP literal, and the scheme is required (browsers' type="url" asks for it too).
# The API schema states the same pattern (api.serializers.readers).
WEBSITE_PATTERN = (
    r"[Hh][Tt][Tt][Pp][Ss]?://"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
    rf"(?:[/?#][^{WHITESPACE}\x00]*)?"
)
_WEBSITE = re.compile(WEBSITE_PATTERN)


class WebAddressField(forms.URLField):
    """http(s) only: no ``javascript:``, ``data:`` or ``ftp:`` links under a commenter's name.

    Checked against ``WEBSITE_PATTERN`` as sent (stripped), not rewritten first: what the
    schema calls valid is exactly what is accepted."""

    default_validators: list = []

    def __init__(self, **kwargs):
        super().__init__(assume_scheme="https", **kwargs)  # unused: to_python never adds one

    def to_python(self, value):
        value = forms.CharField.to_python(self, value)
        if value and not _WEBSITE.fullmatch(value):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class CommentForm(ReaderForm):
    """A reader's comment (or reply, with ``parent``) on one article."""

    form_name = "comment"
    field_types = {"parent": _ID}

    name = forms.CharField(max_length=NAME_MAX_LENGTH, label="Name")
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH,
        label="Email",
        help_text="Never published. We only use it if we need to reach you about your comment.",
    )
    website = WebAddressField(required=False, max_length=WEBSITE_MAX_LENGTH, label="Website (optional)")
    body = forms.CharField(
        max_length=COMMENT_BODY_MAX_LENGTH,
        min_length=2,
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Plain text. Please don't share details you would not want to be public.",
    )
    parent = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput)

    field_order = ["name", "email", "website", "body", "parent", HONEYPOT_FIELD]

    def __init__(self, data=None, *, article=None, html: bool = False, **kwargs):
        self.article = article
        super().__init__(data, html=html, **kwargs)

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = (
            Comment.objects.approved().filter(pk=parent_id, article=self.article).only("pk").first()
            if self.article is not None
            else None
        )
        if parent is None:
            raise forms.ValidationError("You can only reply to a published comment on this article.")
        return parent


class ConsultationRequestForm(ReaderForm):
    """A request for a free consultation."""

    form_name = "consultation"
    field_types = {"consent": _BOOL}

    name = forms.CharField(
        max_length=NAME_MAX_LENGTH, label="Your name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        max_length=EMAIL_MAX_LENGTH, label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    phone = forms.CharField(
        required=False,
        max_length=PHONE_MAX_LENGTH,
        label="Phone (optional)",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        validators=[
            RegexValidator(
                PHONE_PATTERN,
                "Enter a phone number using digits, spaces, brackets, dots or dashes.",
            )
        ],
    )
    preferred_contact = forms.ChoiceField(
        required=False,
        choices=ConsultationRequest.PreferredContact.choices,
        initial=ConsultationRequest.PreferredContact.EMAIL,
        label="How should we reach you?",
        widget=forms.RadioSelect,
    )
    location = forms.ModelChoiceField(
        required=False,
        queryset=Location.objects.all(),
        to_field_name="slug",
        label="Where would you like to meet?",
        empty_label="Not sure yet",
        error_messages={"invalid_choice": "Choose one of the locations we serve."},
    )
    message = forms.CharField(
        required=False,
        max_length=CONSULTATION_MESSAGE_MAX_LENGTH,
        label="Anything you would like us to know? (optional)",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    consent = forms.BooleanField(
        label="I agree to be contacted about a consultation and to my details being stored for that.",
        error_messages={"required": "Please agree to be contacted so we can reply to you."},
    )

    field_order = ["name", "email", "phone", "preferred_contact", "location", "message", "consent"]

    def clean_preferred_contact(self) -> str:
        return self.cleaned_data.get("preferred_contact") or ConsultationRequest.PreferredContact.EMAIL

    def clean(self):
        cleaned = super().clean()
        wants_call = cleaned.get("preferred_contact") == ConsultationRequest.PreferredContact.PHONE
        if wants_call and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", "Enter a phone number, or choose email as the way to reach you.")
        return cleaned
