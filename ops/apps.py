from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: health endpoints, media copy, backup and restore, error reporting.

    It sits above every other app (it reads the task queue and the scheduler's runs) and
    nothing imports it but settings and middleware.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Operations"
