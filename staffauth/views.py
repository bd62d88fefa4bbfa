"""Second-factor pages: the code after the password, enrolment, and the account's device page."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.forms import CodeForm, PasskeyNameForm
from staffauth.passkeys import availability, passkeys_of
from staffauth.policy import has_confirmed_device, two_factor_required

BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _no_store(response: HttpResponse) -> HttpResponse:
    # Secrets and backup codes are on these pages: never kept by a browser or proxy cache.
    response["Cache-Control"] = "no-store"
    return response


def new_backup_codes(user) -> list[str]:
    """Replaces the user's backup codes with ``BACKUP_CODE_COUNT`` new ones (each works once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    # Every earlier backup code goes, an operator's one-time code (addstatictoken) included.
    StaticToken.objects.filter(device__user=user).delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """The code page after the password: a code from the authenticator app or a backup code."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_confirmed_device(user):
        return redirect("staffauth_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "That code is not valid. Try the current code, or one of your backup codes.")
    context = {
        "form": form,
        "next": _next_url(request),
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "has_passkey": passkeys_of(user).exists(),
        "passkeys": availability(request),
    }
    return _no_store(TemplateResponse(request, "staffauth/verify.html", context))


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Adds an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the backup codes once. Where the address allows, the page offers a passkey instead
    (``passkey``, after django-otp-webauthn has registered it)."""
    user = request.user
    if has_confirmed_device(user) and not user.is_verified():
        return redirect("staffauth_verify")
    # Staff who sign in with a passkey may add an app as well; one app per user.
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("staffauth_manage")
    # One unconfirmed device per user while enrolling, so reloading the page keeps the secret
    # the app has already scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            # django-otp's own brake after wrong codes (1 s, doubling with each failure).
            form.add_error("code", "Too many wrong codes. Wait a few seconds, then enter the current code.")
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = new_backup_codes(user)
            otp_login(request, device)
            return _no_store(
                TemplateResponse(
                    request,
                    "staffauth/backup_codes.html",
                    {"codes": codes, "next": _next_url(request), "enrolled": True},
                )
            )
        else:
            form.add_error(
                "code", "That code is not valid. Check the time on your phone and enter the current code."
            )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "required": two_factor_required(user),
        "next": _next_url(request),
        "passkeys": availability(request),
    }
    return _no_store(TemplateResponse(request, "staffauth/enrol.html", context))


@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """Account › Two-factor sign-in: the state of this user's second factor."""
    user = request.user
    context = {
        "enrolled": has_confirmed_device(user),
        "required": two_factor_required(user),
        "has_app": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "passkey_list": list(passkeys_of(user)),
        "passkeys": availability(request),
        "backup_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
    }
    return _no_store(TemplateResponse(request, "staffauth/manage.html", context))


@never_cache
@require_POST
def regenerate_backup_codes(request: HttpRequest) -> HttpResponse:
    """New backup codes (the old ones stop working), shown once."""
    if not has_confirmed_device(request.user):
        return redirect("staffauth_enrol")
    codes = new_backup_codes(request.user)
    return _no_store(
        TemplateResponse(
            request, "staffauth/backup_codes.html", {"codes": codes, "next": "", "enrolled": False}
        )
    )


def _after_removal(request: HttpRequest) -> HttpResponse:
    """Backup codes stand in for an app or a passkey, never alone: they go with the last one.
    Staff who must use a second factor then go straight to enrolling a new one."""
    user = request.user
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists() and not passkeys_of(user).exists():
        StaticDevice.objects.filter(user=user).delete()
        if two_factor_required(user):
            return redirect("staffauth_enrol")
        messages.success(request, "Two-factor sign-in is off for your account.")
    return redirect("staffauth_manage")


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Removes the authenticator app (a new phone, say); the backup codes too when no passkey is
    left."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        if passkeys_of(request.user).exists():
            messages.success(request, "Authenticator app removed. Your passkeys and backup codes still work.")
        response = _after_removal(request)
    return response


@never_cache
def passkey(request: HttpRequest, pk: int) -> HttpResponse:
    """Names one of the user's passkeys: straight after adding it (``?added=1``), or later.

    A first device gets backup codes once it is named, as an authenticator app does."""
    credential = get_object_or_404(passkeys_of(request.user), pk=pk)
    added = request.GET.get("added") == "1"
    # Only an address the page was given: naming a passkey from the account page returns there.
    next_url = _next_url(request) if (request.POST.get("next") or request.GET.get("next")) else ""
    form = PasskeyNameForm(request.POST or None, initial={"name": credential.name})
    if request.method == "POST" and form.is_valid():
        credential.name = form.cleaned_data["name"]
        credential.save(update_fields=["name"])
        if added and not StaticToken.objects.filter(device__user=request.user).exists():
            codes = new_backup_codes(request.user)
            return _no_store(
                TemplateResponse(
                    request,
                    "staffauth/backup_codes.html",
                    {"codes": codes, "next": next_url, "enrolled": True},
                )
            )
        if next_url:
            return redirect(next_url)
        messages.success(request, f"Passkey “{credential.name}” saved.")
        return redirect("staffauth_manage")
    context = {"form": form, "credential": credential, "added": added, "next": next_url}
    return _no_store(TemplateResponse(request, "staffauth/passkey.html", context))


@require_POST
def remove_passkey(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes one of the user's passkeys (its browser or security key keeps it, unused)."""
    with transaction.atomic():
        credential = get_object_or_404(passkeys_of(request.user), pk=pk)
        name = credential.name
        credential.delete()
        messages.success(request, f"Passkey “{name}” removed.")
        response = _after_removal(request)
    return response
