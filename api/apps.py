from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "Content API"

    def ready(self):
        from api import response_cache

        response_cache.connect()
