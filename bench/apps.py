from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmark's management commands; installed by bench.settings only."""

    name = "bench"
    label = "bench"
    default_auto_field = "django.db.models.BigAutoField"
