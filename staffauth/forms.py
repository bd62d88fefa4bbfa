"""Forms of staff sign-in: the second-factor code, and the throttled password reset."""

from __future__ import annotations

import hashlib
import hmac
import logging

from django import forms
from django.conf import settings
from wagtail.admin.forms.auth import PasswordResetForm as WagtailPasswordResetForm

from readers.throttle import client_key, hit

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    """Six digits from the authenticator app, or one backup code."""

    code = forms.CharField(
        label="Code",
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class PasskeyNameForm(forms.Form):
    """A name that tells the user's passkeys apart on the account page."""

    name = forms.CharField(
        label="Name",
        max_length=64,  # django-otp's Device.name
        help_text="For example the device or password manager that keeps it: “Work laptop”, “YubiKey”.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


def email_key(email: str) -> str:
    """A keyed hash of the normalised address: the counter's key never holds the address."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"password-reset:{email.strip().lower()}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:32]


class ThrottledPasswordResetForm(WagtailPasswordResetForm):
    """Wagtail's admin password reset, limited per client address and per email address
    (``PASSWORD_RESET_THROTTLE_RATE`` each, counted in the throttle cache like the readers'
    submissions). Past either limit no email is sent; the view answers exactly as it does
    for an address nobody has, so the limit reveals nothing about accounts either.
    """

    def save(self, *args, request=None, **kwargs):
        email = self.cleaned_data["email"]
        # Both counters move on every request, so neither can be spent without the other.
        by_client = hit("password_reset", client_key(request)) if request is not None else None
        by_email = hit("password_reset", email_key(email))
        if (by_client is not None and not by_client.allowed) or not by_email.allowed:
            logger.warning("Password reset refused: too many requests for this client or address.")
            return None
        return super().save(*args, request=request, **kwargs)
