"""drf-spectacular hooks: the schema documents the public content API only."""

API_PREFIX = "/api/v1/"


def only_public_api(endpoints, **kwargs):
    """Keep ``/api/v1/`` endpoints; Wagtail's admin API (also DRF) is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]
