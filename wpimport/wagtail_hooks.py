"""Admin: Settings › Import from WordPress, for users with ``wpimport.run_import``."""

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from wpimport import views


@hooks.register("register_admin_urls")
def register_wordpress_import_urls():
    # The upload's URL name is also in cms.security.LARGE_UPLOAD_VIEWS: it alone takes a body
    # up to WORDPRESS_IMPORT_MAX_BYTES.
    return [
        path("wordpress-import/", views.index, name="wordpress_import"),
        path("wordpress-import/runs/<int:pk>/", views.run_detail, name="wordpress_import_run"),
        path("wordpress-import/runs/<int:pk>/import/", views.confirm, name="wordpress_import_confirm"),
    ]


class WordPressImportMenuItem(MenuItem):
    def is_shown(self, request):
        return views.user_can_import(request.user)


@hooks.register("register_settings_menu_item")
def register_wordpress_import_menu_item():
    return WordPressImportMenuItem(
        "Import from WordPress",
        reverse("wordpress_import"),
        icon_name="upload",
        name="wordpress-import",
        order=900,
    )


@hooks.register("register_permissions")
def register_wordpress_import_permission():
    """Offered in Settings › Groups, so the practice can let a group run imports."""
    return Permission.objects.filter(content_type__app_label="wpimport", codename="run_import")
