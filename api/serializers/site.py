"""Site-wide settings the frontend renders on every page (``GET /api/v1/site/``)."""

from __future__ import annotations

from django.conf import settings
from rest_framework import serializers

from api.serializers.common import LinkSerializer
from blog import representations
from blog.models import Location, PracticeSettings


class CrisisNoticeSerializer(serializers.Serializer):
    """``{"text": "If you are in crisis… call or text 988…", "phone": "988"}``"""

    text = serializers.CharField()
    phone = serializers.CharField()


class AddressSerializer(serializers.Serializer):
    street_address = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()


class ContactSerializer(serializers.Serializer):
    """``{"phone": "(310) 555-0142", "email": "hello@…", "address": {…} | null}``"""

    phone = serializers.CharField(allow_null=True)
    email = serializers.EmailField(allow_null=True)
    address = AddressSerializer(allow_null=True)


class LocationSerializer(serializers.Serializer):
    """``{"slug": "los-angeles", "name": "Los Angeles", "kind": "in_person",
    "description": "Office in Santa Monica" | null}``"""

    slug = serializers.SlugField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=[c.value for c in Location.Kind])
    description = serializers.CharField(allow_null=True)


class NavigationItemSerializer(serializers.Serializer):
    """``{"title": "Blog", "path": "/blog/"}``"""

    title = serializers.CharField()
    path = serializers.CharField()


class ConsultationCtaSerializer(serializers.Serializer):
    """The default call to action after articles::

    {"heading": "Ready to take the first step?", "text": "<p>…</p>" | null,
     "button": {"label": "Book a free consultation", "url": "…", "path": "/consultation/"}}
    """

    heading = serializers.CharField()
    text = serializers.CharField(allow_null=True, help_text="HTML.")
    button = LinkSerializer(allow_null=True, help_text="Null when no page is set for it.")


class SocialLinkSerializer(serializers.Serializer):
    network = serializers.CharField()
    url = serializers.URLField()


class SiteSerializer(serializers.Serializer):
    """Everything rendered on every page: name, crisis notice, contact, areas served, menu."""

    name = serializers.CharField()
    base_url = serializers.URLField(help_text="The public site's base URL, without trailing slash.")
    tagline = serializers.CharField(allow_null=True)
    crisis_notice = CrisisNoticeSerializer()
    contact = ContactSerializer()
    locations = LocationSerializer(many=True)
    navigation = NavigationItemSerializer(many=True)
    consultation_cta = ConsultationCtaSerializer()
    social_links = SocialLinkSerializer(many=True)


def serialize_site(practice: PracticeSettings, *, locations: list[Location], live_page_ids: set[int]) -> dict:
    """The site document. Menu entries and the consultation button pointing at pages that are
    not live (``live_page_ids``) are left out, so no link leads to a draft."""
    navigation = []
    for item in practice.navigation:
        page = item.value.get("page")
        if page is not None and page.pk in live_page_ids:
            title = item.value.get("title") or page.title
            navigation.append({"title": title, "path": representations.page_path(page)})
    button = None
    if practice.cta_page_id and practice.cta_page_id in live_page_ids:
        button = representations.link(practice.cta_page, None, practice.cta_button_label)
    address = None
    if practice.city:
        address = {
            "street_address": practice.street_address,
            "city": practice.city,
            "region": practice.region,
            "postal_code": practice.postal_code,
        }
    return {
        "name": practice.practice_name,
        "base_url": settings.PUBLIC_BASE_URL,
        "tagline": practice.tagline or None,
        "crisis_notice": {"text": practice.crisis_notice, "phone": practice.crisis_phone},
        "contact": {"phone": practice.phone or None, "email": practice.email or None, "address": address},
        "locations": [
            {
                "slug": loc.slug,
                "name": loc.name,
                "kind": loc.kind,
                "description": loc.description or None,
            }
            for loc in locations
        ],
        "navigation": navigation,
        "consultation_cta": {
            "heading": practice.cta_heading,
            "text": representations.rich_text_html(practice.cta_text) or None,
            "button": button,
        },
        "social_links": [
            {"network": link.value["network"], "url": link.value["url"]} for link in practice.social_links
        ],
    }
