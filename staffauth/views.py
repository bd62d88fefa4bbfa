"""Second-factor pages: the code after the password, enrolment, and the account's device page."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staffauth.forms import CodeForm
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
    return _no_store(
        TemplateResponse(request, "staffauth/verify.html", {"form": form, "next": _next_url(request)})
    )


@never_cache
def enrol(request: HttpRequest) -> HttpResponse:
    """Adds an authenticator app: scan the QR code (or type the secret), confirm with a code,
    then see the backup codes once."""
    user = request.user
    if has_confirmed_device(user):
        return redirect("staffauth_manage" if user.is_verified() else "staffauth_verify")
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
    }
    return _no_store(TemplateResponse(request, "staffauth/enrol.html", context))


@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """Account › Two-factor sign-in: the state of this user's second factor."""
    user = request.user
    context = {
        "enrolled": has_confirmed_device(user),
        "required": two_factor_required(user),
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


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Removes the authenticator app and backup codes. Staff who must use a second factor go
    straight to enrolling a new one (a new phone, say)."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    if two_factor_required(user):
        return redirect("staffauth_enrol")
    messages.success(request, "Two-factor sign-in is off for your account.")
    return redirect("staffauth_manage")
