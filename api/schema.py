"""drf-spectacular hooks: the schema documents the public content API only, precisely."""

import re

from api.serializers.readers import PHONE_REQUIRED_FOR_CALLS

API_PREFIX = "/api/v1/"
# Django's ``slug`` path converter: anything else never reaches a view (a 404 in the error shape).
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def only_public_api(endpoints, **kwargs):
    """Keep ``/api/v1/`` endpoints; Wagtail's admin API (also DRF) is not part of the contract."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def slug_path_parameters(result, **kwargs):
    """Every ``{slug}`` in a path takes what the URL pattern takes, as the schema says; blank
    query values are what their pattern says (``_blank_in_pattern``)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["name"] == "slug":
                    parameter["schema"] = {"type": "string", "minLength": 1, "pattern": SLUG_PATTERN}
                elif "schema" in parameter:
                    parameter["schema"] = _blank_in_pattern(parameter["schema"])
    return result


BLANK = {"type": "string", "maxLength": 0}


def _blank_in_pattern(schema: dict) -> dict:
    """drf-spectacular states "blank allowed" as ``oneOf: [field, {maxLength: 0}]``. Where the
    field's pattern already allows the empty string, "" matches both branches, which ``oneOf``
    refuses: keep the field's own schema only."""
    branches = schema.get("oneOf", [])
    blank_branch = len(branches) == 2 and branches[1] == BLANK and "pattern" in branches[0]
    if blank_branch and re.search(branches[0]["pattern"], ""):
        rest = {key: value for key, value in schema.items() if key != "oneOf"}
        return {**branches[0], **rest}
    return schema


def conditional_rules(result, **kwargs):
    """What serializers cannot state about request bodies: unknown fields are a 400, blank is
    what the field's pattern says, and a consultation request that asks for a call carries a
    phone number."""
    schemas = result.get("components", {}).get("schemas", {})
    for name in ("CommentInputRequest", "ConsultationRequestInputRequest"):
        if name in schemas:
            schemas[name]["additionalProperties"] = False
            for field, schema in schemas[name]["properties"].items():
                schemas[name]["properties"][field] = _blank_in_pattern(schema)
    component = schemas.get("ConsultationRequestInputRequest")
    if component is not None:
        component["anyOf"] = PHONE_REQUIRED_FOR_CALLS
    return result
