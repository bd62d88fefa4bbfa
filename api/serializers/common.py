"""Output shapes shared by several resources, for the OpenAPI schema.

The API's JSON is produced by ``blog.representations`` and the blocks' own
``get_api_representation``; these serializers *describe* it (one component per shape) and a
test checks real responses against the schema they generate. Each docstring shows example JSON.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def const(value: str, description: str = ""):
    """A string field whose schema is a one-value enum (``type`` discriminators).

    Inline rather than an enum component, so fields named ``type`` with different values do
    not collide in the schema's component names.
    """

    schema = {"type": "string", "enum": [value], "description": description or f"Always '{value}'."}

    @extend_schema_field(schema)
    class ConstField(serializers.CharField):
        pass

    return ConstField()


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. 'not_found', 'invalid', 'throttled'.")
    message = serializers.CharField(help_text="Human-readable explanation.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only on validation errors: field or parameter name → messages.",
    )


class ErrorSerializer(serializers.Serializer):
    """Every error, whatever its status::

    {"error": {"code": "invalid", "message": "Must be between 1 and 100, got 500.",
               "fields": {"page_size": ["Must be between 1 and 100, got 500."]}}}
    """

    error = ErrorDetailSerializer()


class FocalPointSerializer(serializers.Serializer):
    """``{"x": 800, "y": 450}``: the image's point of interest, in pixels of the original."""

    x = serializers.IntegerField()
    y = serializers.IntegerField()


class RenditionSerializer(serializers.Serializer):
    """``{"url": "https://cms.example/media/images/lake.width-800.webp", "width": 800,
    "height": 450, "format": "webp"}``"""

    url = serializers.URLField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    format = serializers.ChoiceField(choices=["jpeg", "png", "gif", "webp", "avif"])


class ImageSerializer(serializers.Serializer):
    """An image with everything ``<img srcset>`` needs::

    {"alt": "A calm lake at dawn", "width": 1600, "height": 900,
     "url": "https://cms.example/media/images/lake.width-1200.jpg",
     "renditions": [{"url": "…width-400.jpg", "width": 400, "height": 225, "format": "jpeg"}, …],
     "focal_point": null}

    Renditions come 400, 800 and 1200 wide (never upscaled), in the original format and WebP.
    """

    alt = serializers.CharField()
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    url = serializers.URLField(help_text="A large rendition (at most 1200 wide).")
    renditions = RenditionSerializer(many=True)
    focal_point = FocalPointSerializer(allow_null=True)


class TopicSerializer(serializers.Serializer):
    """``{"slug": "anxiety", "name": "Anxiety", "path": "/blog/topics/anxiety/",
    "url": "https://www.example/blog/topics/anxiety/", "article_count": 4}``"""

    slug = serializers.SlugField()
    name = serializers.CharField()
    path = serializers.CharField()
    url = serializers.URLField()
    article_count = serializers.IntegerField(help_text="Live articles with this topic.")


class AuthorSummarySerializer(serializers.Serializer):
    """``{"slug": "maya-chen", "name": "Maya Chen", "credentials": "LMFT", "role": "Therapist",
    "photo": null, "path": "/blog/authors/maya-chen/"}``"""

    slug = serializers.SlugField()
    name = serializers.CharField()
    credentials = serializers.CharField(help_text="Letters after the name; may be empty.")
    role = serializers.CharField(help_text="May be empty.")
    photo = ImageSerializer(allow_null=True)
    path = serializers.CharField(help_text="Their profile page.")


class LinkSerializer(serializers.Serializer):
    """A button or link: to one of our pages (``path`` set) or elsewhere (``path`` null)::

    {"label": "Book a free consultation", "url": "https://www.example/consultation/",
     "path": "/consultation/"}
    """

    label = serializers.CharField()
    url = serializers.CharField(help_text="Absolute URL.")
    path = serializers.CharField(allow_null=True, help_text="Public path when it is one of our pages.")


class BreadcrumbSerializer(serializers.Serializer):
    """``{"title": "Blog", "path": "/blog/"}``"""

    title = serializers.CharField()
    path = serializers.CharField()


class ShareImageSerializer(serializers.Serializer):
    """The picture a page is shared with (``og:image``, ``twitter:image``): a 1.91:1 JPEG
    rendition at most 1200 wide, never upscaled; ``width`` and ``height`` are its real size::

        {"url": "https://cms.example/media/images/hero.fill-1200x628.format-jpeg.jpg",
         "width": 1200, "height": 628, "alt": "A person looking out at the sea",
         "type": "image/jpeg"}
    """

    url = serializers.URLField()
    width = serializers.IntegerField(min_value=1, max_value=1200)
    height = serializers.IntegerField(min_value=1, max_value=628)
    alt = serializers.CharField()
    type = serializers.ChoiceField(choices=["image/jpeg"])


class SeoSerializer(serializers.Serializer):
    """What goes in ``<head>``, computed by the same helper as the CMS's own pages::

    {"title": "Emotional numbness | Heal & Thrive", "description": "…",
     "canonical_url": "https://www.example/blog/emotional-numbness/", "robots": "index,follow",
     "image": {ShareImage} | null,
     "open_graph": {"og:type": "article", "og:image": "https://cms…", …},
     "twitter": {"twitter:card": "summary_large_image", …},
     "json_ld": [{"@context": "https://schema.org", "@type": "BlogPosting", …}, …]}

    ``image`` is what ``og:image`` and ``twitter:image`` point at: the page's own sharing
    image, else its hero (a topic: the newest article's), else the practice's default; null
    only when none of them exists.
    """

    title = serializers.CharField()
    description = serializers.CharField()
    canonical_url = serializers.URLField()
    robots = serializers.CharField(help_text="'index,follow' or as set by the editor.")
    image = ShareImageSerializer(allow_null=True)
    open_graph = serializers.DictField(help_text="og:* (and article:*) properties; image URLs absolute.")
    twitter = serializers.DictField(help_text="twitter:* properties.")
    json_ld = serializers.ListField(
        child=serializers.DictField(), help_text="schema.org objects ready to embed as JSON-LD."
    )


class ArticleSummarySerializer(serializers.Serializer):
    """An article in lists, related posts and inline pointers::

    {"id": 12, "slug": "emotional-numbness", "title": "Emotional numbness",
     "path": "/blog/emotional-numbness/", "url": "https://www.example/blog/emotional-numbness/",
     "excerpt": "Why you might feel nothing…", "published_at": "2026-11-25T09:00:00-08:00",
     "updated_at": "2026-11-25T09:00:00-08:00", "reading_time_minutes": 6,
     "hero_image": {Image} | null, "topics": [{Topic}], "author": {AuthorSummary} | null}
    """

    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    path = serializers.CharField()
    url = serializers.URLField()
    excerpt = serializers.CharField(help_text="Plain text.")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    reading_time_minutes = serializers.IntegerField()
    hero_image = ImageSerializer(allow_null=True)
    topics = TopicSerializer(many=True)
    author = AuthorSummarySerializer(allow_null=True)
