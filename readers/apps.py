from django.apps import AppConfig


class ReadersConfig(AppConfig):
    """Readers writing back: moderated comments, consultation requests, the consultation page."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "readers"
    verbose_name = "Readers"

    def ready(self):
        from readers import checks  # noqa: F401  (registers the settings check)
