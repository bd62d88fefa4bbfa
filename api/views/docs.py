"""The OpenAPI schema (JSON) and its browsable docs, both served from this host (no CDN)."""

from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from api.http import CachedGetMixin


class SchemaView(CachedGetMixin, SpectacularAPIView):
    """``/api/v1/schema/``: OpenAPI 3 as JSON (the schema a frontend generates types from)."""

    # application/json first (what clients ask for), the OpenAPI media type for those who ask.
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]


class DocsView(CachedGetMixin, SpectacularRedocView):
    """``/api/v1/docs/``: Redoc with its script from the sidecar package's static files."""

    template_name = "api/redoc.html"
