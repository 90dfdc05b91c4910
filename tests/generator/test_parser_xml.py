"""XML media types: which bodies become XML documents of their schema's model, and the
`xml` facts their shapes carry."""

from __future__ import annotations

from typing import Any

import pytest

from specloom.ir.model import Api, Operation, XmlNode
from specloom.parser import parse


def api_with(content: dict[str, Any], schemas: dict[str, Any] | None = None) -> Api:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {
                "post": {
                    "operationId": "send",
                    "requestBody": {"required": True, "content": content},
                    "responses": {"200": {"description": "ok", "content": content}},
                }
            }
        },
        "components": {"schemas": schemas or {}},
    }
    api, diagnostics = parse(document)
    assert not [d for d in diagnostics if d.level.name == "ERROR"]
    return api


def the_operation(api: Api) -> Operation:
    [service] = api.services
    [operation] = service.operations
    return operation


TAG = {"type": "object", "properties": {"Key": {"type": "string"}}}


def test_an_aws_list_names_its_items_through_all_of() -> None:
    schemas = {
        "Tag": TAG,
        "TagList": {
            "type": "array",
            "items": {"allOf": [{"$ref": "#/components/schemas/Tag"}, {"xml": {"name": "Tag"}}]},
        },
        "Message": {
            "type": "object",
            "properties": {
                "Tags": {"allOf": [{"$ref": "#/components/schemas/TagList"}, {"description": "d"}]}
            },
        },
    }
    api = api_with({"text/xml": {"schema": {"$ref": "#/components/schemas/Message"}}}, schemas)
    operation = the_operation(api)
    assert operation.body is not None
    assert operation.body.annotation == "Message"
    shape = operation.body.xml
    assert shape is not None
    assert shape.root == XmlNode(name="Message", model="Message")
    assert dict(shape.models) == {
        "Message": (("Tags", XmlNode(items=XmlNode(name="Tag", model="Tag"))),),
        "Tag": (("Key", XmlNode()),),
    }
    [success] = [r for r in operation.responses if r.is_success]
    assert success.xml == shape


def test_a_schema_that_contains_itself_is_listed_once() -> None:
    schemas = {
        "Node": {
            "type": "object",
            "xml": {"name": "node", "namespace": "urn:n", "prefix": "n"},
            "properties": {
                "id": {"type": "integer", "xml": {"attribute": True}},
                "children": {
                    "type": "array",
                    "xml": {"wrapped": True},
                    "items": {"$ref": "#/components/schemas/Node"},
                },
            },
        }
    }
    api = api_with({"application/xml": {"schema": {"$ref": "#/components/schemas/Node"}}}, schemas)
    shape = the_operation(api).body.xml  # type: ignore[union-attr]
    assert shape is not None
    node = XmlNode(name="node", namespace="urn:n", prefix="n", model="Node")
    assert shape.root == node
    assert shape.models == (
        (
            "Node",
            (
                ("id", XmlNode(attribute=True)),
                ("children", XmlNode(wrapped=True, items=node)),
            ),
        ),
    )


def test_an_inline_root_is_named_after_the_operation() -> None:
    api = api_with({"application/vnd.api+xml": {"schema": TAG}})
    shape = the_operation(api).body.xml  # type: ignore[union-attr]
    assert shape is not None
    assert shape.root.name == "SendRequest"


@pytest.mark.parametrize(
    ("schema", "annotation"),
    [({"type": "string"}, "str"), (None, "str")],
)
def test_a_string_schema_or_none_keeps_xml_as_text(schema: Any, annotation: str) -> None:
    media = {} if schema is None else {"schema": schema}
    operation = the_operation(api_with({"text/xml": media}))
    assert operation.body is not None
    assert operation.body.annotation == annotation
    assert operation.body.xml is None


def test_xml_beside_json_is_the_same_type_and_read_as_xml() -> None:
    schemas = {"Tag": TAG}
    ref = {"schema": {"$ref": "#/components/schemas/Tag"}}
    operation = the_operation(api_with({"application/json": ref, "application/xml": ref}, schemas))
    assert operation.body is not None
    assert operation.body.content_type == "application/json"
    assert operation.body.media == (("application/json", "Tag"), ("application/xml", "Tag"))
    assert operation.body.xml is not None
    [success] = [r for r in operation.responses if r.is_success]
    assert (success.annotation, success.content_type, success.media) == (
        "Tag",
        "application/json",
        (),
    )
    assert success.xml is not None


def test_a_map_carries_the_node_of_its_values_and_an_empty_object_is_a_model() -> None:
    schemas = {
        "Value": {"type": "object", "properties": {"Strings": {"type": "array", "items": {}}}},
        "Answer": {
            "type": "object",
            "properties": {
                "Attributes": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/components/schemas/Value"},
                },
                "Nothing": {"type": "object"},
            },
        },
    }
    api = api_with({"text/xml": {"schema": {"$ref": "#/components/schemas/Answer"}}}, schemas)
    shape = the_operation(api).body.xml  # type: ignore[union-attr]
    assert shape is not None
    models = dict(shape.models)
    attributes, nothing = (node for _, node in models["Answer"])
    assert attributes.values == XmlNode(model="Value")
    assert models[attributes.model] == ()
    assert models[nothing.model] == ()
    assert models["Value"] == (("Strings", XmlNode(items=XmlNode())),)


def test_a_string_schema_with_properties_is_text_in_its_element() -> None:
    """npr's VAST `Impression`: `type: string` beside an `id` attribute property. The
    model is `str`, so the element's text is read, not an object."""
    schemas = {
        "ImpressionXml": {
            "type": "string",
            "xml": {"name": "Impression"},
            "required": ["id"],
            "properties": {"id": {"type": "integer", "xml": {"attribute": True}}},
        },
        "InLine": {
            "type": "object",
            "properties": {
                "Impression": {
                    "type": "array",
                    "xml": {"wrapped": False},
                    "items": {"$ref": "#/components/schemas/ImpressionXml"},
                }
            },
        },
    }
    api = api_with({"text/xml": {"schema": {"$ref": "#/components/schemas/InLine"}}}, schemas)
    shape = the_operation(api).body.xml  # type: ignore[union-attr]
    assert shape is not None
    assert dict(shape.models) == {
        "InLine": (("Impression", XmlNode(items=XmlNode(name="Impression"))),),
    }
