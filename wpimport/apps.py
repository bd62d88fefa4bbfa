from django.apps import AppConfig


class WpImportConfig(AppConfig):
    """WordPress exports (WXR) into articles, topics, authors, images, comments and redirects.
    Sits above ``blog`` and ``readers`` (it writes both); nothing imports it."""

    name = "wpimport"
    label = "wpimport"
    verbose_name = "WordPress import"
    default_auto_field = "django.db.models.BigAutoField"
