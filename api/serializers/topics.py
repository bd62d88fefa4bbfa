"""Topics: the list item is ``Topic``; the detail adds its description and SEO."""

from __future__ import annotations

from rest_framework import serializers

from api.serializers.common import SeoSerializer, TopicSerializer
from blog import representations, selectors, seo
from blog.models import PracticeSettings, Topic


class TopicDetailSerializer(TopicSerializer):
    """``{…Topic…, "description": "Worry that will not switch off…" | null, "seo": {Seo}}``"""

    description = serializers.CharField(allow_null=True)
    seo = SeoSerializer()


class TopicListSerializer(serializers.Serializer):
    """``{"count": 2, "results": [{Topic}, …]}``: every topic with a live article, by name."""

    count = serializers.IntegerField()
    results = TopicSerializer(many=True)


def listing_crumbs(title: str, path: str) -> list[dict]:
    """Home › Blog › ``title``, the trail the rendered topic and author pages show."""
    crumbs = []
    index = selectors.blog_index_page()
    if index is not None:
        home = index.get_parent()
        crumbs = [
            {"title": home.title, "path": representations.page_path(home)},
            {"title": index.title, "path": representations.page_path(index)},
        ]
    crumbs.append({"title": title, "path": path})
    return crumbs


def serialize_topic_detail(topic: Topic, *, practice: PracticeSettings) -> dict:
    """A topic with ``article_count`` annotated (``selectors.topics_with_live_counts``)."""
    data = representations.topic(topic)
    description = topic.description or (
        f"Articles about {topic.name.lower()} from the therapists of {practice.practice_name}: "
        "what it feels like, why it happens and what helps."
    )
    data["description"] = topic.description or None
    data["seo"] = seo.listing_seo(
        title=topic.name,
        description=description,
        path=topic.path,
        crumbs=listing_crumbs(topic.name, topic.path),
        practice=practice,
    )
    return data
