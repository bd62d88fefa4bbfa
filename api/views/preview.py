"""``GET /api/v1/preview/?content_type=…&token=…``: the draft an editor is previewing.

The frontend's preview route receives ``content_type`` and ``token`` from the admin (see
``publishing.preview``) and asks for the draft here. It comes back in exactly the shape of the
live endpoint for its type, and is never stored by any cache.
"""

from __future__ import annotations

import functools

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from api.http import PRIVATE_NO_STORE
from api.serializers.articles import ArticleSerializer, serialize_article
from api.views.base import COMMON_ERRORS, NOT_FOUND, PublicApiView, error
from publishing import preview

# What ``publishing.preview`` signs: Django's signing alphabet (URL-safe base64, ':' between
# parts). Anything else cannot be a token of ours and is refused like a forged one (403).
SIGNED_VALUE_PATTERN = r"^[A-Za-z0-9_.:-]+$"
MAX_SIGNED_VALUE_LENGTH = 500

# Content types the frontend can preview, and how each is serialized (its live shape).
SERIALIZERS = {"blog.articlepage": functools.partial(serialize_article, draft=True)}


class PreviewView(PublicApiView):
    """The previewed draft, same shape as its live form; ``Cache-Control: private, no-store``."""

    allowed_params = frozenset({"content_type", "token"})
    cache_control = PRIVATE_NO_STORE

    @extend_schema(
        operation_id="preview_retrieve",
        parameters=[
            OpenApiParameter(
                "content_type",
                str,
                required=True,
                enum=sorted(SERIALIZERS),
                description="The page type, as given to the frontend's preview route.",
            ),
            OpenApiParameter(
                "token",
                {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_SIGNED_VALUE_LENGTH,
                    "pattern": SIGNED_VALUE_PATTERN,
                },
                required=True,
                description="The signed preview token from the admin (valid 10 minutes).",
            ),
        ],
        responses={
            200: ArticleSerializer,
            403: error("The token is expired, or is not a token this CMS signed."),
            **NOT_FOUND,
            **COMMON_ERRORS,
        },
        tags=["preview"],
    )
    def get(self, request):
        content_type = request.query_params.get("content_type", "")
        token = request.query_params.get("token", "")
        missing = {
            name: ["This parameter is required."]
            for name, value in (("content_type", content_type), ("token", token))
            if not value
        }
        if missing:
            raise ValidationError(missing)
        serialize = SERIALIZERS.get(content_type)
        if serialize is None:
            raise ValidationError({"content_type": [f"Must be one of: {', '.join(sorted(SERIALIZERS))}."]})
        try:
            claim = preview.read_token(token)
        except preview.PreviewTokenExpired as exc:
            raise PermissionDenied(
                "This preview link has expired. Preview the page again from the admin.",
                code="preview_expired",
            ) from exc
        except preview.PreviewTokenInvalid as exc:
            raise PermissionDenied("This preview token is not valid.", code="invalid_token") from exc
        draft = preview.load_draft(claim, content_type)
        if draft is None:
            raise NotFound("No draft matches this preview token.")
        response = Response(serialize(draft, request=request))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
