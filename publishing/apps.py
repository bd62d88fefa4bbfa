from django.apps import AppConfig


class PublishingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from wagtail.models import ReferenceIndex

        from blog.models import PracticeSettings
        from publishing import signal_handlers

        # Site settings point at pages (menu, default call to action) that every page shows:
        # indexing them lets a change to such a page reach every path (publishing.affected).
        ReferenceIndex.register_model(PracticeSettings)
        # Signal receivers: webhooks, API cache invalidation and CDN purges on content changes.
        signal_handlers.connect()
