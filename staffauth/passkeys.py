"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor: where a page may offer them, and
how a new one is named.

Browsers allow WebAuthn only on a secure origin (https, or http://localhost) whose host name is
the relying party id (``OTP_WEBAUTHN_RP_ID``) or one of its subdomains; a bare IP address never
qualifies. The server checks every ceremony against ``OTP_WEBAUTHN_ALLOWED_ORIGINS``, so a page
offers passkeys only where its own origin is one of those.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

DEFAULT_NAME_FORMAT = "j M Y"


@dataclass(frozen=True)
class PasskeyAvailability:
    """Whether this request's page may offer passkeys, and if not, what to tell the user."""

    offered: bool
    # Set when not offered: why, in words for the page.
    reason: str = ""
    # Where passkeys work, when that is somewhere else than this address.
    elsewhere: str = ""


def _host_is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def availability(request: HttpRequest) -> PasskeyAvailability:
    """Passkeys for this request's origin: offered, or why not and where to go instead."""
    host = request.get_host()
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    origins = list(settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)
    elsewhere = f"{origins[0]}{request.path}" if origins else ""
    if _host_is_ip(hostname):
        return PasskeyAvailability(
            offered=False,
            reason="Passkeys need the site's host name; they do not work at a bare IP address like this one.",
            elsewhere=elsewhere,
        )
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    in_domain = hostname.lower() == rp_id or hostname.lower().endswith(f".{rp_id}")
    if f"{request.scheme}://{host}".lower() not in origins or not in_domain:
        return PasskeyAvailability(
            offered=False,
            reason="Passkeys are not set up for this address.",
            elsewhere=elsewhere,
        )
    return PasskeyAvailability(offered=True)


def passkeys_of(user):
    """The user's confirmed passkeys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's ceremonies (``OTP_WEBAUTHN_HELPER_CLASS``), with a name for each new
    passkey so the account page never lists a blank one."""

    def create_credential(self, user, response, parsed_credential, original_data):
        credential = super().create_credential(user, response, parsed_credential, original_data)
        today = timezone.localdate()
        credential.name = f"Passkey added {format_date(today, DEFAULT_NAME_FORMAT)}"
        return credential
