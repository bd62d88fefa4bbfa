"""``GET /api/v1/topics/`` and ``GET /api/v1/topics/{slug}/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.serializers.topics import TopicDetailSerializer, TopicListSerializer, serialize_topic_detail
from api.views.base import COMMON_ERRORS, NOT_FOUND, PublicApiView
from blog import representations, selectors
from blog.models import PracticeSettings


class TopicListView(PublicApiView):
    """Every topic with at least one live article, by name, with live-article counts."""

    @extend_schema(
        operation_id="topics_list", responses={200: TopicListSerializer, **COMMON_ERRORS}, tags=["topics"]
    )
    def get(self, request):
        topics = [representations.topic(t) for t in selectors.topics_with_live_counts()]
        return Response({"count": len(topics), "results": topics})


class TopicDetailView(PublicApiView):
    """One topic (with at least one live article), its description and SEO."""

    @extend_schema(
        operation_id="topics_retrieve",
        responses={200: TopicDetailSerializer, **NOT_FOUND, **COMMON_ERRORS},
        tags=["topics"],
    )
    def get(self, request, slug: str):
        topic = selectors.live_topic(slug)
        if topic is None:
            raise NotFound(f"No topic with slug '{slug}'.")
        practice = PracticeSettings.load(request_or_site=request)
        return Response(serialize_topic_detail(topic, practice=practice))
