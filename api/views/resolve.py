"""``GET /api/v1/resolve/?path=…`` (what lives at a public path) and ``GET /api/v1/redirects/``."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from wagtail.contrib.redirects.models import Redirect

from api.filters import PUBLIC_PATH_PATTERN, ResolveParams
from api.serializers.articles import serialize_article
from api.serializers.authors import serialize_author_detail
from api.serializers.pages import serialize_page
from api.serializers.resolve import RedirectListSerializer, resolve_response_serializer
from api.serializers.topics import serialize_topic_detail
from api.views.base import COMMON_ERRORS, NOT_FOUND, PublicApiView
from blog import representations, selectors
from blog.models import PracticeSettings

MAX_PATH_LENGTH = 2000


def _redirect_target(redirect: Redirect, live_ids: set[int]) -> dict | None:
    """Where a redirect leads, or None when it leads to a page that is not live."""
    if redirect.redirect_page_id:
        if redirect.redirect_page_id not in live_ids:
            return None
        path = representations.page_path(redirect.redirect_page)
        if redirect.redirect_page_route_path:
            path = path.rstrip("/") + redirect.redirect_page_route_path
        return {
            "location": path,
            "permanent": redirect.is_permanent,
            "path": path,
            "url": representations.public_url(path),
        }
    if redirect.redirect_link:
        link = redirect.redirect_link
        return {"location": link, "permanent": redirect.is_permanent, "path": None, "url": link}
    return None


class ResolveView(PublicApiView):
    """What lives at a public path: a live page, a topic or author listing, a managed redirect.

    For a frontend's catch-all route: one request tells it what to render, with the data the
    matching endpoint returns.
    """

    allowed_params = frozenset({"path"})

    @extend_schema(
        operation_id="resolve",
        parameters=[ResolveParams],
        responses={200: resolve_response_serializer(), **NOT_FOUND, **COMMON_ERRORS},
        tags=["resolve"],
    )
    def get(self, request):
        raw = request.query_params.get("path")
        if raw is None or not raw.strip():
            raise ValidationError({"path": ["This parameter is required, e.g. path=/blog/."]})
        if len(raw) > MAX_PATH_LENGTH:
            raise ValidationError({"path": [f"At most {MAX_PATH_LENGTH} characters."]})
        if not re.fullmatch(PUBLIC_PATH_PATTERN, raw):
            raise ValidationError({"path": ["Give a path starting with a single '/', e.g. '/blog/'."]})
        # The schema's pattern holds for what was sent; what it decodes to ('/%2F…', '/%00')
        # can still be no public path at all: nothing is published there.
        path = unquote(urlsplit(raw).path)
        if not path.startswith("/") or path.startswith("//") or "\x00" in path:
            raise NotFound(f"Nothing is published at '{raw[:200]}'.")
        slashed = path if path.endswith("/") else path + "/"
        practice = None

        def load_practice():
            nonlocal practice
            if practice is None:
                practice = PracticeSettings.load(request_or_site=request)
            return practice

        # Topic and author listings are Django views with fixed URL patterns (blog/urls.py).
        try:
            match = resolve(slashed)
        except Resolver404:
            match = None
        if match is not None and match.url_name == "topic-index":
            topic = selectors.live_topic(match.kwargs["slug"])
            if topic is not None:
                data = serialize_topic_detail(topic, practice=load_practice())
                return Response({"type": "topic", "data": data})
        elif match is not None and match.url_name == "author-profile":
            author = selectors.authors_with_live_counts().filter(slug=match.kwargs["slug"]).first()
            if author is not None:
                images = selectors.images_by_id([author.photo_id])
                data = serialize_author_detail(author, practice=load_practice(), context={"images": images})
                return Response({"type": "author", "data": data})
        else:
            site_id, root_path = selectors.default_site_root()
            page = selectors.live_page_at(root_path + slashed.lstrip("/"))
            if page is not None:
                page_type = representations.page_type(page)
                if page_type == "article":
                    data = serialize_article(page, request=request, practice=load_practice())
                else:
                    data = serialize_page(page, practice=load_practice())
                return Response({"type": page_type, "data": data})

        site_id, _root = selectors.default_site_root()
        normalised = Redirect.normalise_path(path)
        redirect = selectors.managed_redirects(site_id).filter(old_path=normalised).first()
        if redirect is not None:
            target = _redirect_target(redirect, selectors.live_page_ids([redirect.redirect_page_id]))
            if target is not None:
                return Response({"type": "redirect", "data": target})
        raise NotFound(f"Nothing is published at '{path[:200]}'.")


class RedirectListView(PublicApiView):
    """Every redirect the editors manage (old path → new location, permanent or not).

    Redirects to pages that are not live are left out.
    """

    @extend_schema(
        operation_id="redirects_list",
        responses={200: RedirectListSerializer, **COMMON_ERRORS},
        tags=["resolve"],
    )
    def get(self, request):
        site_id, _root = selectors.default_site_root()
        redirects = list(selectors.managed_redirects(site_id))
        live_ids = selectors.live_page_ids(r.redirect_page_id for r in redirects)
        results = []
        for redirect in redirects:
            target = _redirect_target(redirect, live_ids)
            if target is not None:
                results.append({"old_path": redirect.old_path, **target})
        return Response({"count": len(results), "results": results})
