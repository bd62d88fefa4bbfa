"""``GET /api/v1/authors/`` and ``GET /api/v1/authors/{slug}/``."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from api.serializers.authors import AuthorDetailSerializer, AuthorListSerializer, serialize_author_detail
from api.views.base import COMMON_ERRORS, NOT_FOUND, PublicApiView
from blog import representations, selectors
from blog.models import PracticeSettings


class AuthorListView(PublicApiView):
    """Every clinician and staff member who writes or reviews, by name."""

    @extend_schema(
        operation_id="authors_list", responses={200: AuthorListSerializer, **COMMON_ERRORS}, tags=["authors"]
    )
    def get(self, request):
        authors = list(selectors.authors_with_live_counts())
        images = selectors.images_by_id(a.photo_id for a in authors)
        results = [representations.author_summary(a, {"images": images}) for a in authors]
        return Response({"count": len(results), "results": results})


class AuthorDetailView(PublicApiView):
    """One author's profile: bio, credentials, counts of live articles, SEO."""

    @extend_schema(
        operation_id="authors_retrieve",
        responses={200: AuthorDetailSerializer, **NOT_FOUND, **COMMON_ERRORS},
        tags=["authors"],
    )
    def get(self, request, slug: str):
        author = selectors.authors_with_live_counts().filter(slug=slug).first()
        if author is None:
            raise NotFound(f"No author with slug '{slug}'.")
        images = selectors.images_by_id([author.photo_id])
        if author.photo_id in images:
            author.photo = images[author.photo_id]
        practice = PracticeSettings.load(request_or_site=request)
        return Response(serialize_author_detail(author, practice=practice, context={"images": images}))
