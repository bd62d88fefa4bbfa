from django.urls import path, reverse
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
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_menu_item(request):
    return {
        "url": reverse("staffauth_manage"),
        "label": "Two-factor sign-in",
        "help_text": "Add or replace your authenticator app, and get new backup codes.",
    }
