"""The served schema is valid OpenAPI 3, and real responses (every block type included)
conform to it, strictly: no missing fields, no undocumented ones."""

import copy

import jsonschema
import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/schema/").json()


def to_json_schema(node):
    """OpenAPI 3.0 schema objects → JSON Schema: ``nullable`` becomes a null alternative and
    objects with declared properties admit no others (so undocumented fields fail)."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {
        key: to_json_schema(value) for key, value in node.items() if key not in ("discriminator", "example")
    }
    if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
        node["additionalProperties"] = False
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def validator_for(schema, target):
    document = {**to_json_schema(copy.deepcopy(target)), "components": to_json_schema(schema["components"])}
    return jsonschema.Draft202012Validator(document)


def response_schema(schema, path, status="200"):
    return schema["paths"][path]["get"]["responses"][status]["content"]["application/json"]["schema"]


def test_the_schema_is_valid_openapi_3(schema):
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_the_article_body_is_a_union_discriminated_by_type(schema):
    body = schema["components"]["schemas"]["ArticleBodyBlock"]
    names = {
        "heading": "HeadingBlock",
        "paragraph": "ParagraphBlock",
        "symptom_list": "SymptomListBlock",
        "approach_summary": "ApproachSummaryBlock",
        "call_to_action": "CallToActionBlock",
        "related_article": "RelatedArticleBlock",
        "quote": "QuoteBlock",
        "image": "ImageBlock",
        "faq": "FaqBlock",
    }
    assert body["discriminator"] == {
        "propertyName": "type",
        "mapping": {t: f"#/components/schemas/{name}" for t, name in names.items()},
    }
    for block_type, name in names.items():
        component = schema["components"]["schemas"][name]
        enum_ref = component["properties"]["type"]["allOf"][0]["$ref"]
        assert enum_ref == f"#/components/schemas/{name}TypeEnum"
        assert schema["components"]["schemas"][f"{name}TypeEnum"]["enum"] == [block_type]
        value_ref = component["properties"]["value"]["$ref"]
        assert value_ref == f"#/components/schemas/{name.removesuffix('Block')}Value"


def test_every_block_type_in_a_real_response_matches_its_own_component(client, content, schema):
    body = client.get("/api/v1/articles/emotional-numbness/").json()["body"]
    assert {block["type"] for block in body} == {
        "heading",
        "paragraph",
        "symptom_list",
        "approach_summary",
        "call_to_action",
        "related_article",
        "quote",
        "image",
        "faq",
    }
    for block in body:
        name = "".join(part.title() for part in block["type"].split("_")) + "Block"
        component = {"$ref": f"#/components/schemas/{name}"}
        errors = list(validator_for(schema, component).iter_errors(block))
        assert not errors, (block["type"], [e.message for e in errors])


def test_a_block_that_breaks_its_schema_is_caught(content, schema):
    validator = validator_for(schema, {"$ref": "#/components/schemas/HeadingBlock"})
    good = {"type": "heading", "id": "x", "value": {"text": "T", "level": 2, "anchor": "t"}}
    assert validator.is_valid(good)
    assert not validator.is_valid({**good, "value": {"text": "T", "level": "2", "anchor": "t"}})
    assert not validator.is_valid({**good, "value": {**good["value"], "extra": 1}})


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/articles/", "/api/v1/articles/"),
        ("/api/v1/articles/emotional-numbness/", "/api/v1/articles/{slug}/"),
        ("/api/v1/topics/", "/api/v1/topics/"),
        ("/api/v1/topics/anxiety/", "/api/v1/topics/{slug}/"),
        ("/api/v1/authors/", "/api/v1/authors/"),
        ("/api/v1/authors/maya-chen/", "/api/v1/authors/{slug}/"),
        ("/api/v1/site/", "/api/v1/site/"),
        ("/api/v1/resolve/?path=/blog/emotional-numbness/", "/api/v1/resolve/"),
        ("/api/v1/resolve/?path=/", "/api/v1/resolve/"),
        ("/api/v1/resolve/?path=/blog/topics/anxiety/", "/api/v1/resolve/"),
        ("/api/v1/redirects/", "/api/v1/redirects/"),
        ("/api/v1/paths/?page_size=3", "/api/v1/paths/"),
        ("/api/v1/resolve/?path=/blog/authors/maya-chen/", "/api/v1/resolve/"),
    ],
)
def test_real_responses_conform_to_the_schema(client, content, schema, url, path):
    data = client.get(url).json()
    errors = list(validator_for(schema, response_schema(schema, path)).iter_errors(data))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors][:5]


def test_errors_conform_to_the_documented_error_shape(client, content, schema):
    validator = validator_for(schema, response_schema(schema, "/api/v1/articles/{slug}/", "404"))
    assert validator.is_valid(client.get("/api/v1/articles/nope/").json())
    validator = validator_for(schema, response_schema(schema, "/api/v1/articles/", "400"))
    assert validator.is_valid(client.get("/api/v1/articles/?page=x").json())


def test_the_consultation_page_resolved_conforms_to_the_schema(client, content, schema):
    from readers.models import ConsultationPage

    page = ConsultationPage(title="Free consultation", slug="free-consultation", intro="A short call.")
    content.home.add_child(instance=page)
    page.save_revision().publish()
    data = client.get("/api/v1/resolve/?path=/free-consultation/").json()
    assert data["data"]["consultation"]["privacy_note"] == page.privacy_note
    errors = list(validator_for(schema, response_schema(schema, "/api/v1/resolve/")).iter_errors(data))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors][:5]
    broken = {**data, "data": {**data["data"], "consultation": {"privacy_note": "x"}}}
    assert not validator_for(schema, response_schema(schema, "/api/v1/resolve/")).is_valid(broken)


def test_submissions_refuse_unknown_fields_and_leave_the_honeypot_out(schema):
    components = schema["components"]["schemas"]
    for name in ("CommentInputRequest", "ConsultationRequestInputRequest"):
        assert components[name]["additionalProperties"] is False
        assert "company" not in components[name]["properties"]
    consultation = components["ConsultationRequestInputRequest"]
    assert consultation["properties"]["consent"]["allOf"] == [{"$ref": "#/components/schemas/ConsentEnum"}]
    assert components["ConsentEnum"]["enum"] == [True]
    assert consultation["anyOf"][1]["required"] == ["phone"]
    assert "honeypot" in schema["paths"]["/api/v1/consultation-requests/"]["post"]["description"]


def test_paginated_lists_declare_the_404_past_the_last_page_and_slugs_their_pattern(schema):
    for path in ("/api/v1/articles/", "/api/v1/paths/"):
        assert "404" in schema["paths"][path]["get"]["responses"]
        [page] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "page"]
        assert page["schema"] == {"type": "integer", "minimum": 1, "maximum": 999999999}
    [slug] = schema["paths"]["/api/v1/topics/{slug}/"]["get"]["parameters"]
    assert slug["schema"] == {"type": "string", "minLength": 1, "pattern": "^[-a-zA-Z0-9_]+$"}
