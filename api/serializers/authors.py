"""Authors: clinicians and staff who write or clinically review articles."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import AuthorSummarySerializer, SeoSerializer
from blog import representations, seo
from blog.models import Author, PracticeSettings


class AuthorDetailSerializer(AuthorSummarySerializer):
    """``{…AuthorSummary…, "url": "https://www.example/blog/authors/maya-chen/",
    "bio": "<p>…</p>" | null, "license_number": "LMFT 123456" | null,
    "article_count": 5, "reviewed_count": 2, "seo": {Seo}}``

    The articles themselves: ``GET /api/v1/articles/?author=<slug>``.
    """

    url = serializers.URLField()
    bio = serializers.CharField(allow_null=True, help_text="HTML.")
    license_number = serializers.CharField(allow_null=True)
    article_count = serializers.IntegerField(help_text="Live articles they wrote.")
    reviewed_count = serializers.IntegerField(help_text="Live articles they clinically reviewed.")
    seo = SeoSerializer()


class AuthorListSerializer(serializers.Serializer):
    """``{"count": 3, "results": [{AuthorSummary}, …]}``, by name."""

    count = serializers.IntegerField()
    results = AuthorSummarySerializer(many=True)


def serialize_author_detail(author: Author, *, practice: PracticeSettings, context: dict) -> dict:
    """An author annotated with ``article_count`` and ``reviewed_count``
    (``selectors.authors_with_live_counts``), photo attached with renditions."""
    data = representations.author_summary(author, context)
    data.update(
        {
            "url": representations.public_url(author.path),
            "bio": representations.rich_text_html(author.bio) or None,
            "license_number": author.license_number or None,
            "article_count": author.article_count,
            "reviewed_count": author.reviewed_count,
            "seo": seo.author_seo(author, practice=practice),
        }
    )
    return data
