from django.apps import AppConfig


class PublishingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        # Signal receivers: webhooks, API cache invalidation and CDN purges on content changes.
        from publishing import signal_handlers

        signal_handlers.connect()
