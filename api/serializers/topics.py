"""Topics: the list item is ``Topic``; the detail adds its description and SEO."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import SeoSerializer, TopicSerializer
from blog import representations, seo
from blog.models import PracticeSettings, Topic


class TopicDetailSerializer(TopicSerializer):
    """``{…Topic…, "description": "Worry that will not switch off…" | null, "seo": {Seo}}``"""

    description = serializers.CharField(allow_null=True)
    seo = SeoSerializer()


class TopicListSerializer(serializers.Serializer):
    """``{"count": 2, "results": [{Topic}, …]}``: every topic with a live article, by name."""

    count = serializers.IntegerField()
    results = TopicSerializer(many=True)


def serialize_topic_detail(topic: Topic, *, practice: PracticeSettings) -> dict:
    """A topic with ``article_count`` annotated (``selectors.topics_with_live_counts``)."""
    data = representations.topic(topic)
    data["description"] = topic.description or None
    data["seo"] = seo.topic_seo(topic, practice=practice)
    return data
