"""``/resolve/`` and ``/redirects/``: what lives at a public path, and the managed redirects."""

from __future__ import annotations

from drf_spectacular.utils import PolymorphicProxySerializer
from rest_framework import serializers

from api.serializers.articles import ArticleSerializer
from api.serializers.authors import AuthorDetailSerializer
from api.serializers.common import const
from api.serializers.pages import PageSerializer
from api.serializers.topics import TopicDetailSerializer


class RedirectTargetSerializer(serializers.Serializer):
    """``{"location": "/blog/new-path/", "permanent": true, "path": "/blog/new-path/",
    "url": "https://www.example/blog/new-path/"}``

    ``location`` is a path for our own pages (``path`` set), else an absolute URL
    (``path`` null).
    """

    location = serializers.CharField()
    permanent = serializers.BooleanField()
    path = serializers.CharField(allow_null=True)
    url = serializers.CharField()


class RedirectSerializer(RedirectTargetSerializer):
    """A managed redirect: ``{"old_path": "/old-post/", …RedirectTarget…}``"""

    old_path = serializers.CharField(help_text="The path that redirects, as the editors entered it.")


class RedirectListSerializer(serializers.Serializer):
    """``{"count": 1, "results": [{Redirect}]}``: every managed redirect of the site."""

    count = serializers.IntegerField()
    results = RedirectSerializer(many=True)


def _resolved(type_name: str, data_serializer, doc: str):
    name = "Resolved" + "".join(p.title() for p in type_name.split("_")) + "Serializer"
    attrs = {"__doc__": doc, "__module__": __name__, "type": const(type_name), "data": data_serializer()}
    return type(name, (serializers.Serializer,), attrs)


RESOLVED = {
    "article": _resolved("article", ArticleSerializer, "An article: data as /articles/{slug}/."),
    "article_index": _resolved("article_index", PageSerializer, "The blog index page."),
    "home": _resolved("home", PageSerializer, "The home page."),
    "page": _resolved("page", PageSerializer, "Any other page."),
    "topic": _resolved("topic", TopicDetailSerializer, "A topic: data as /topics/{slug}/."),
    "author": _resolved("author", AuthorDetailSerializer, "An author: data as /authors/{slug}/."),
    "redirect": _resolved("redirect", RedirectTargetSerializer, "A managed redirect."),
}


def resolve_response_serializer():
    """``{"type": …, "data": …}``, ``oneOf`` discriminated by ``type``."""
    return PolymorphicProxySerializer(
        component_name="Resolved", serializers=RESOLVED, resource_type_field_name="type"
    )
