"""Keeps staff out of the admin until they have given their second factor."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse

from staffauth.policy import has_confirmed_device, two_factor_required

# Admin views (by view name, namespace included) a signed-in but unverified user may still use:
# signing in and out, the password reset, the second-factor pages themselves, the icon sprite
# and the translation catalogues those pages load, and the passkey ceremonies of those pages.
# (The admin's script puts the sprite's response into the page: a redirect to the code page
# there would add a second code form, with another "next" field.) django-otp-webauthn
# itself refuses to register a passkey for a user who has a device but has not used it in this
# session, and to accept another user's passkey.
OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_sprite",
        "staffauth_verify",
        "staffauth_enrol",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)


class TwoFactorMiddleware:
    """For admin views: a signed-in user who has a confirmed device but has not given its code
    in this session is sent to the code page; one who must have a device
    (``STAFF_2FA_REQUIRED``) but has none, to the enrolment page. Everyone else passes.

    Needs ``django_otp.middleware.OTPMiddleware`` before it (``request.user.is_verified``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        # The path first: reading request.user reads the session, which adds "Vary: Cookie" to
        # the response, and the API's and the site's responses must not vary by cookie.
        if match is None or match.view_name in OPEN_VIEWS:
            return None
        try:
            admin_root = reverse("wagtailadmin_home")
        except NoReverseMatch:  # a URLconf without the admin (some tests, a split deployment)
            return None
        if not request.path_info.startswith(admin_root):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        if has_confirmed_device(user):
            target = "staffauth_verify"
        elif two_factor_required(user):
            target = "staffauth_enrol"
        else:
            return None
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
