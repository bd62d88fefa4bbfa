"""``GET /api/v1/site/``: site-wide settings the frontend renders on every page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.serializers.site import SiteSerializer, serialize_site
from api.views.base import COMMON_ERRORS, PublicApiView
from blog import selectors
from blog.models import PracticeSettings


class SiteView(PublicApiView):
    """Practice name, crisis notice, contact, areas served, menu and default call to action."""

    @extend_schema(
        operation_id="site_retrieve", responses={200: SiteSerializer, **COMMON_ERRORS}, tags=["site"]
    )
    def get(self, request):
        practice = PracticeSettings.load(request_or_site=request)
        page_ids = [item.value["page"].pk for item in practice.navigation if item.value.get("page")]
        live_ids = selectors.live_page_ids([*page_ids, practice.cta_page_id])
        locations = list(selectors.service_locations())
        return Response(serialize_site(practice, locations=locations, live_page_ids=live_ids))
