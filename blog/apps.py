from django.apps import AppConfig
from django.db.models.signals import post_delete


def _remove_from_search_index(sender, instance, **kwargs):
    from wagtail.search import index

    index.remove_object(instance)


class BlogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from blog import review  # noqa: F401  (registers review due dates with blog.visibility)
        from blog.models import ArticlePage

        # Articles are indexed once per save by ``ArticlePage.save`` (``search_auto_update`` is
        # off); their entries still go when they are deleted.
        post_delete.connect(_remove_from_search_index, sender=ArticlePage, dispatch_uid="blog.search.removed")
