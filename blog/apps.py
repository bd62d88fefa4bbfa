from django.apps import AppConfig


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from blog import topic_counts

        # Stored live counts per topic follow every change that can move them.
        topic_counts.connect()
