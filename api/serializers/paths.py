"""``/paths/``: every public path, for static builds and the frontend's own sitemap."""

from __future__ import annotations

from rest_framework import serializers

from blog.representations import isoformat, public_url
from blog.sitemaps import PublicPath

PATH_TYPES = ["home", "article_index", "article", "page", "topic", "author"]


class PublicPathSerializer(serializers.Serializer):
    """``{"type": "article", "path": "/blog/emotional-numbness/",
    "url": "https://www.example/blog/emotional-numbness/",
    "last_modified": "2026-11-01T09:00:00-07:00", "noindex": false, "in_sitemap": true}``

    ``type`` is what ``GET /api/v1/resolve/?path=…`` answers for the path. ``noindex``: the
    page asks search engines not to list it (render ``<meta name="robots" content="noindex">``
    and leave it out of a sitemap). ``in_sitemap``: the CMS's /sitemap.xml lists it; false
    for ``noindex`` paths and for pages whose canonical URL points elsewhere.
    """

    type = serializers.ChoiceField(choices=PATH_TYPES)
    path = serializers.CharField()
    url = serializers.URLField()
    last_modified = serializers.DateTimeField(
        allow_null=True, help_text="When its content was last published; null if never known."
    )
    noindex = serializers.BooleanField()
    in_sitemap = serializers.BooleanField()


class PaginatedPublicPathListSerializer(serializers.Serializer):
    """``{"count": 58, "next": "https://cms…/api/v1/paths/?page=2" | null, "previous": null,
    "results": [{PublicPath}, …]}``: pages by their place in the site's tree, then topics,
    then authors, each by slug."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PublicPathSerializer(many=True)


def serialize_path(entry: PublicPath) -> dict:
    return {
        "type": entry.type,
        "path": entry.path,
        "url": public_url(entry.path),
        "last_modified": isoformat(entry.last_modified),
        "noindex": entry.noindex,
        "in_sitemap": entry.in_sitemap,
    }
