from django.urls import include, path, reverse
from wagtail import hooks

from staffauth import views


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-factor/verify/", views.verify, name="staffauth_verify"),
        path("two-factor/enrol/", views.enrol, name="staffauth_enrol"),
        path("two-factor/", views.manage, name="staffauth_manage"),
        path("two-factor/backup-codes/", views.regenerate_backup_codes, name="staffauth_backup_codes"),
        path("two-factor/remove/", views.remove, name="staffauth_remove"),
        path("two-factor/passkeys/<int:pk>/", views.passkey, name="staffauth_passkey"),
        path("two-factor/passkeys/<int:pk>/remove/", views.remove_passkey, name="staffauth_remove_passkey"),
        # django-otp-webauthn's ceremonies (JSON, namespace "otp_webauthn"), inside the admin so
        # only signed-in staff reach them.
        path("two-factor/webauthn/", include("django_otp_webauthn.urls")),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    return {
        "url": reverse("staffauth_manage"),
        "label": "Two-factor sign-in",
        "help_text": "Add or replace your authenticator app or passkeys, and get new backup codes.",
    }
