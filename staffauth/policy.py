"""Who must sign in with a second factor (``STAFF_2FA_REQUIRED``)."""

from __future__ import annotations

from django.conf import settings
from django_otp import user_has_device


def two_factor_required(user) -> bool:
    """True when ``user`` may not use the admin without a confirmed device.

    ``sensitive``: superusers, and staff whose groups (or own permissions) let them read
    consultation requests or manage webhook endpoints (``STAFF_2FA_SENSITIVE_PERMISSIONS``).
    ``all``: every signed-in admin user. ``never``: nobody.
    """
    mode = settings.STAFF_2FA_REQUIRED
    if mode == "never" or not user.is_authenticated:
        return False
    if mode == "all" or user.is_superuser:
        return True
    return any(user.has_perm(permission) for permission in settings.STAFF_2FA_SENSITIVE_PERMISSIONS)


def has_confirmed_device(user) -> bool:
    """An authenticator app (or backup codes) the user has confirmed."""
    return user_has_device(user, confirmed=True)
