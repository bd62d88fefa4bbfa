"""drf-spectacular hooks: the schema documents the public content API only, precisely."""

from api.serializers.readers import PHONE_REQUIRED_FOR_CALLS

API_PREFIX = "/api/v1/"
# Django's ``slug`` path converter: anything else never reaches a view (a 404 in the error shape).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def only_public_api(endpoints, **kwargs):
    """Keep ``/api/v1/`` endpoints; Wagtail's admin API (also DRF) is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def slug_path_parameters(result, **kwargs):
    """Every ``{slug}`` in a path takes what the URL pattern takes, as the schema says."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    parameter["schema"] = {"type": "string", "minLength": 1, "pattern": SLUG_PATTERN}
    return result


def conditional_rules(result, **kwargs):
    """What serializers cannot state about request bodies: unknown fields are a 400, and a
    consultation request that asks for a call carries a phone number."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("CommentInputRequest", "ConsultationRequestInputRequest"):
        if name in schemas:
            schemas[name]["additionalProperties"] = False
    component = schemas.get("ConsultationRequestInputRequest")
    if component is not None:
        component["anyOf"] = PHONE_REQUIRED_FOR_CALLS
    return result
