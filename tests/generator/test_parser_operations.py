"""Operations, parameters, bodies, responses, services and their names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from specloom.diagnostics import Diagnostic, Level
from specloom.ir.model import Api, ModelDef, Operation, Parameter
from specloom.parser import parse

FIXTURES = Path(__file__).parents[2] / "fixtures" / "parser"


def load(name: str) -> tuple[Api, list[Diagnostic]]:
    return parse(yaml.safe_load((FIXTURES / name).read_text()))


@pytest.fixture(scope="module")
def operations_api() -> tuple[Api, list[Diagnostic]]:
    return load("operations.yaml")


@pytest.fixture(scope="module")
def names_api() -> tuple[Api, list[Diagnostic]]:
    return load("names.yaml")


def operation(api: Api, method: str, path: str) -> Operation:
    found = [o for s in api.services for o in s.operations if (o.method, o.path) == (method, path)]
    assert len(found) == 1, [(o.method, o.path) for s in api.services for o in s.operations]
    return found[0]


def parameters(op: Operation) -> dict[str, Parameter]:
    return {f"{p.location}:{p.wire_name}": p for p in op.parameters}


def one_operation(operation: dict[str, Any], path: str = "/x") -> Operation:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {path: {"get": operation}}
    api, _ = parse(document)
    return api.services[0].operations[0]


def test_path_parameters_merge_with_operation_ones_which_win(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    get = operation(operations_api[0], "GET", "/items/{itemId}/{matrix}")
    item = parameters(get)["path:itemId"]
    assert (item.python_name, item.annotation) == ("item_id", "int")
    assert item.description == "Overridden at operation level."
    assert [p.wire_name for p in get.parameters].count("itemId") == 1
    assert parameters(get)["header:trace"].annotation == "uuid.UUID | None"  # via $ref


def test_required_parameters_come_first_in_spec_order(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    get = operation(operations_api[0], "GET", "/items/{itemId}/{matrix}")
    assert [p.wire_name for p in get.parameters] == [
        "itemId",
        "matrix",
        "fields",
        "verbose",
        "trace",
        "sort",
        "self",
        "body",
        "X-Fields",
        "x_fields",
        "filter",
        "deep",
    ]


def test_parameter_names_are_unique_and_avoid_self_and_body(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    params = parameters(operation(operations_api[0], "GET", "/items/{itemId}/{matrix}"))
    names = {key: p.python_name for key, p in params.items()}
    assert names["query:self"] == "self_"
    assert names["query:body"] == "body_"
    assert (names["header:X-Fields"], names["cookie:x_fields"]) == ("x_fields", "x_fields_2")


def test_parameter_annotations_and_defaults(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    params = parameters(operation(operations_api[0], "GET", "/items/{itemId}/{matrix}"))
    fields = params["query:fields"]
    assert (fields.annotation, fields.value_annotation, fields.required) == (
        "list[str]",
        "list[str]",
        True,
    )
    sort = params["query:sort"]
    assert (sort.annotation, sort.value_annotation, sort.default) == (
        "GetItemSort | None",
        "GetItemSort",
        "GetItemSort.ASC",
    )


def test_parameter_constraints_are_those_a_model_field_would_get() -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    path_limit = {"name": "id", "in": "path", "required": True}
    path_limit["schema"] = {"type": "integer", "minimum": 1, "exclusiveMaximum": True, "maximum": 9}
    query = [
        ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
        ("code", {"type": "string", "pattern": "^[a-z]+$", "minLength": 2, "maxLength": 8}),
        ("ids", {"type": "array", "minItems": 1, "maxItems": 5, "items": {"maximum": 3}}),
        ("ratio", {"type": "number", "nullable": True, "multipleOf": 0.5}),
        ("look", {"type": "string", "pattern": "^(?!x)", "maxLength": 3}),
        ("mood", {"type": "string", "enum": ["a", "b"], "minLength": 1}),
        ("when", {"type": "string", "format": "date", "minLength": 10}),
        ("plain", {"type": "integer"}),
        ("whole", {"type": "integer", "minimum": 0.5, "maximum": 9.5}),
    ]
    declared: list[dict[str, Any]] = [path_limit]
    declared += [{"name": name, "in": "query", "schema": schema} for name, schema in query]
    declared.append(
        {
            "name": "json",
            "in": "query",
            "content": {"application/json": {"schema": {"type": "integer", "maximum": 3}}},
        }
    )
    document["paths"] = {"/x/{id}": {"get": {"parameters": declared, "responses": {}}}}
    api, diagnostics = parse(document)
    params = {p.wire_name: p for p in api.services[0].operations[0].parameters}

    assert params["id"].constraints == (("ge", "1"), ("lt", "9"))
    assert params["limit"].constraints == (("ge", "1"), ("le", "100"))
    assert params["code"].constraints == (
        ("pattern", '"^[a-z]+$"'),
        ("min_length", "2"),
        ("max_length", "8"),
    )
    # Item limits are not applied, as for model fields.
    assert params["ids"].constraints == (("min_length", "1"), ("max_length", "5"))
    assert params["ratio"].value_annotation == "float | None"
    assert params["ratio"].constraints == (("multiple_of", "0.5"),)
    assert params["whole"].constraints == (("ge", "1"), ("le", "9"))
    # A look-around pattern, which pydantic's default regex engine cannot run, is enforced
    # with Python's `re` (a compiled pattern).
    assert params["look"].constraints == (("pattern", 're.compile("^(?!x)")'), ("max_length", "3"))
    warned = [d.pointer for d in diagnostics if d.level is Level.WARNING]
    assert "/paths/~1x~1{id}/get/parameters/5/schema/pattern" not in warned
    # Enums, dates, unconstrained and `content` parameters get no `Field` arguments.
    for name in ("mood", "when", "plain", "json"):
        assert params[name].constraints == (), name
    # The signature type stays plain.
    assert (params["limit"].annotation, params["limit"].value_annotation) == ("int | None", "int")


def test_styles_and_explode_defaults_per_location(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    params = parameters(operation(operations_api[0], "GET", "/items/{itemId}/{matrix}"))
    styles = {key: (p.style, p.explode) for key, p in params.items()}
    assert styles["path:itemId"] == ("simple", False)
    assert styles["query:verbose"] == ("form", True)
    assert styles["header:trace"] == ("simple", False)
    assert styles["cookie:x_fields"] == ("form", True)
    assert styles["path:matrix"] == ("matrix", True)
    assert styles["query:deep"] == ("deepObject", False)


def test_accept_header_is_ignored_silently_and_json_content_parameters_travel_as_json(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    api, diagnostics = operations_api
    params = parameters(operation(api, "GET", "/items/{itemId}/{matrix}"))
    assert "header:Accept" not in params
    assert params["query:filter"].annotation == "GetItemFilter | None"
    messages = [d.message for d in diagnostics if d.level is Level.WARNING]
    assert not any("'Accept'" in m for m in messages)
    # A JSON `content` parameter is sent and read as JSON text: nothing to warn about.
    assert params["query:filter"].content_type == "application/json"
    assert not any("'filter'" in m and "content" in m for m in messages)


def test_responses_and_return_annotations(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    get = operation(operations_api[0], "GET", "/items/{itemId}/{matrix}")
    assert [(r.status, r.annotation, r.status_class, r.is_success) for r in get.responses] == [
        ("200", "GetItemResponse", "Ok", True),
        ("201", "str", "Created", True),
        ("204", None, "NoContent", True),
        ("404", "Problem", "NotFound", False),
        ("4XX", "Problem", "WithStatus", False),
        ("418", None, "WithStatus", False),
        ("default", "Problem", "WithStatus", False),
    ]
    assert get.success is not None
    assert get.success.status == "200"
    assert get.client_return == "GetItemResponse"
    assert get.server_return == (
        # The success's own status class too: to answer it with headers or cookies.
        "GetItemResponse | Ok[GetItemResponse] | Created[str] | NoContent | NotFound[Problem] "
        "| WithStatus[Problem] | WithStatus[None]"
    )
    assert get.status_classes == ("Created", "NoContent", "NotFound", "Ok", "WithStatus")
    assert get.references.types == ("GetItemFilter", "GetItemResponse", "GetItemSort", "Problem")
    assert get.references.modules == ("uuid",)


def test_default_is_the_success_when_no_2xx_is_declared(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    query = operation(operations_api[0], "QUERY", "/items/{itemId}/{matrix}")
    assert query.success is not None
    assert query.success.status == "default"
    assert (query.client_return, query.success.content_type) == ("str", "text/csv")


def test_body_less_success_returns_none(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    link = operation(operations_api[0], "LINK", "/items/{itemId}/{matrix}")
    assert (link.client_return, link.server_return) == ("None", "None | NoContent")
    # Only an error is declared: any 2xx without a body is the success.
    purge = operation(operations_api[0], "DELETE", "/uploads")
    assert purge.success is not None
    assert (purge.success.status, purge.success.annotation, purge.success.is_success) == (
        "2XX",
        None,
        True,
    )
    # A handler may answer None (200) or another 2xx: WithStatus(202, None).
    assert purge.server_return == "None | InternalServerError[Problem] | WithStatus[None]"


def test_an_answer_to_head_has_no_body_whatever_the_spec_declares() -> None:
    # jellyfin's HEAD image endpoints share GET's responses, content included.
    image = {"description": "the image", "content": {"image/png": {"schema": {}}}}
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/images/{name}": {
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {"responses": {"200": {"$ref": "#/components/responses/Image"}}},
                "head": {"responses": {"200": {"$ref": "#/components/responses/Image"}}},
            }
        },
        "components": {"responses": {"Image": image}},
    }
    api, diagnostics = parse(document)

    assert operation(api, "GET", "/images/{name}").client_return == "bytes"
    head = operation(api, "HEAD", "/images/{name}")
    assert (head.client_return, head.success and head.success.annotation) == ("None", None)
    [warning] = [d for d in diagnostics if d.level is Level.WARNING]
    assert warning.pointer == "/paths/~1images~1{name}/head/responses/200"
    assert warning.message.startswith("an answer to HEAD has no body in HTTP")


def test_openapi_3_2_query_and_additional_operations(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    items = {s.attribute_name: s for s in operations_api[0].services}["items"]
    assert [(o.method, o.python_name) for o in items.operations] == [
        ("GET", "get_item"),
        ("QUERY", "query_items_item_id_matrix"),
        ("LINK", "link_items_item_id_matrix"),
    ]


@pytest.mark.parametrize(
    ("method", "content_type", "kind", "annotation", "required"),
    [
        # Every declared media type is kept: the body may be any of their types.
        ("POST", "multipart/form-data", "multipart", "UploadRequest | bytes | str", True),
        ("PUT", "application/vnd.api+json", "json", "Problem | None", False),
        ("DELETE", "image/png", "binary", "bytes", True),
    ],
)
def test_body_media_type_choice(
    operations_api: tuple[Api, list[Diagnostic]],
    method: str,
    content_type: str,
    kind: str,
    annotation: str,
    required: bool,
) -> None:
    body = operation(operations_api[0], method, "/uploads").body
    assert body is not None
    assert (body.content_type, body.kind, body.annotation, body.required) == (
        content_type,
        kind,
        annotation,
        required,
    )


def test_body_keeps_every_declared_media_type(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    upload = operation(operations_api[0], "POST", "/uploads").body
    assert upload is not None
    assert upload.media == (
        ("multipart/form-data", "UploadRequest"),
        ("application/octet-stream", "bytes"),
        ("text/plain", "str"),
    )
    replace = operation(operations_api[0], "PUT", "/uploads").body
    assert replace is not None
    assert replace.media == (
        ("application/vnd.api+json", "Problem"),
        ("application/x-www-form-urlencoded", "Problem"),
    )


def test_inline_request_and_response_models(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    api = operations_api[0]
    query = operation(api, "QUERY", "/items/{itemId}/{matrix}")
    assert query.body is not None
    assert query.body.value_annotation == "QueryItemsItemIdMatrixRequest"
    assert {"GetItemResponse", "QueryItemsItemIdMatrixRequest", "UploadRequest"} <= {
        t.name for t in api.types
    }


def test_binary_and_text_responses(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    api = operations_api[0]
    assert operation(api, "POST", "/uploads").client_return == "bytes"
    replace = operation(api, "PUT", "/uploads")
    assert (replace.client_return, replace.responses[0].status_class) == ("str", "WithStatus")


def test_servers_substitute_variable_defaults(operations_api: tuple[Api, list[Diagnostic]]) -> None:
    server = operations_api[0].servers[0]
    assert (server.url, server.description) == ("https://eu.example.com/v2", "Regional")


def test_services_are_sorted_and_operations_keep_spec_order(
    operations_api: tuple[Api, list[Diagnostic]],
) -> None:
    services = operations_api[0].services
    assert [s.attribute_name for s in services] == ["files", "items"]
    # Method order is OpenAPI's fixed order (get, put, post, delete, ...), not key order.
    assert [o.method for o in services[0].operations] == ["PUT", "POST", "DELETE"]


def test_operation_names_without_operation_id_come_from_method_and_path(
    names_api: tuple[Api, list[Diagnostic]],
) -> None:
    op = operation(names_api[0], "GET", "/pets/{petId}")
    assert (op.python_name, op.operation_id) == ("get_pets_pet_id", "")


def test_undeclared_path_parameter_is_added_as_str_with_a_warning() -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {"/pets/{petId}": {"get": {"responses": {"204": {"description": "ok"}}}}}
    api, diagnostics = parse(document)
    op = operation(api, "GET", "/pets/{petId}")
    assert [(p.python_name, p.annotation, p.required) for p in op.parameters] == [
        ("pet_id", "str", True)
    ]
    assert [d.pointer for d in diagnostics] == ["/paths/~1pets~1{petId}/get"]


def test_tags_that_normalise_alike_share_one_service(
    names_api: tuple[Api, list[Diagnostic]],
) -> None:
    services = {s.attribute_name: s for s in names_api[0].services}
    pets = services["pets"]
    assert (pets.tag, pets.client_class, pets.api_class) == ("Pets", "PetsService", "PetsApi")
    assert pets.description == "Pets, capitalised."
    assert [o.python_name for o in pets.operations] == [
        "list_pets",
        "list_pets_2",
        "get_pets_pet_id",
    ]


def test_method_names_are_unique_per_service_and_avoid_reserved_names(
    names_api: tuple[Api, list[Diagnostic]],
) -> None:
    services = {s.attribute_name: s for s in names_api[0].services}
    close = services["close_"]
    assert close.client_class == "CloseService"
    assert [o.python_name for o in close.operations] == [
        "list_",
        "fetch_with_response",
        "fetch_2",
        "operations_",
    ]
    assert [o.python_name for o in services["default"].operations] == ["list_pets"]


def test_constant_names_are_unique_across_services_and_types(
    names_api: tuple[Api, list[Diagnostic]],
) -> None:
    api = names_api[0]
    constants = [o.constant_name for s in api.services for o in s.operations]
    assert len(set(constants)) == len(constants)
    assert "LIST" in {t.name for t in api.types}
    assert operation(api, "GET", "/things").constant_name == "LIST_2"


def test_schema_names_give_way_to_reserved_and_service_names(
    names_api: tuple[Api, list[Diagnostic]],
) -> None:
    names = [t.name for t in names_api[0].types]
    assert names == ["AnyModel", "ClientModel", "PetsServiceModel", "Pet", "Pet2", "LIST"]
    wire = {t.name: t.wire_name for t in names_api[0].types}
    assert (wire["Pet"], wire["Pet2"]) == ("pet", "Pet")


def test_field_name_collisions_in_a_model(names_api: tuple[Api, list[Diagnostic]]) -> None:
    client = next(t for t in names_api[0].types if t.name == "ClientModel")
    assert isinstance(client, ModelDef)
    pairs = [(f.wire_name, f.python_name) for f in client.fields]
    assert pairs == [
        ("class", "class_"),
        ("json", "json_"),
        ("model_config", "model_config_"),
        ("_private", "private"),
        ("9lives", "field_9lives"),
        ("str", "str_"),
        ("datetime", "datetime_"),
        ("ship-date", "ship_date"),
        ("shipDate", "ship_date_2"),
        ("ship_date", "ship_date_3"),
        ("", "field"),
    ]


def test_int_status_keys_are_accepted() -> None:
    op = one_operation({"responses": {200: {"description": "ok"}, 404: {"description": "no"}}})
    assert [r.status for r in op.responses] == ["200", "404"]
    assert op.server_return == "None | Ok[None] | NotFound[None]"


def test_optional_body_and_inline_response_names() -> None:
    op = one_operation(
        {
            "operationId": "makeThing",
            "requestBody": {
                "content": {
                    "application/json": {
                        "schema": {"type": "object", "properties": {"a": {"type": "string"}}}
                    }
                }
            },
            "responses": {
                "200": {
                    "description": "ok",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"b": {"type": "integer"}}}
                        }
                    },
                },
                "400": {
                    "description": "bad",
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "properties": {"c": {"type": "integer"}}}
                        }
                    },
                },
            },
        }
    )
    assert op.body is not None
    assert (op.body.annotation, op.body.value_annotation) == (
        "MakeThingRequest | None",
        "MakeThingRequest",
    )
    assert op.server_return == (
        "MakeThingResponse | Ok[MakeThingResponse] | BadRequest[MakeThingResponse400]"
    )


def test_form_body_is_preferred_over_text() -> None:
    op = one_operation(
        {
            "requestBody": {
                "content": {
                    "text/plain": {},
                    "application/x-www-form-urlencoded": {"schema": {"type": "object"}},
                }
            },
            "responses": {"204": {"description": "ok"}},
        }
    )
    assert op.body is not None
    # The form is preferred (sent for a dict); a text body is still taken as a str.
    assert (op.body.kind, op.body.annotation) == ("form", "dict[str, Any] | str | None")
    assert op.body.media == (
        ("application/x-www-form-urlencoded", "dict[str, Any]"),
        ("text/plain", "str"),
    )
    assert op.references.typing == ("Any",)


def test_untagged_operations_go_to_the_default_service() -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {"/a": {"get": {"responses": {"204": {"description": "ok"}}}}}
    api, _ = parse(document)
    service = api.services[0]
    assert (service.tag, service.attribute_name, service.client_class, service.api_class) == (
        "default",
        "default",
        "DefaultService",
        "DefaultApi",
    )
    assert service.operations[0].tag == "default"


def test_service_class_names_stay_unique() -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    ok = {"responses": {"204": {"description": "ok"}}}
    document["paths"] = {
        "/a": {"get": {"tags": ["pets"], **ok}, "put": {"tags": ["async pets"], **ok}}
    }
    api, _ = parse(document)
    classes = [(s.client_class, s.api_class) for s in api.services]
    assert classes == [("AsyncPetsService", "AsyncPetsApi"), ("Pets2Service", "Pets2Api")]
    assert (
        len(
            {
                c
                for s in api.services
                for c in (s.client_class, "Async" + s.client_class, s.api_class)
            }
        )
        == 6
    )


def test_an_exploded_query_object_property_named_like_another_parameter_is_a_warning() -> None:
    auth = {
        "type": "object",
        "properties": {"Type": {"type": "string"}, "Passwords": {"type": "array"}},
    }
    query = [
        {"name": "Passwords", "in": "query", "schema": {"type": "array"}},
        {"name": "AuthenticationMode", "in": "query", "schema": auth},
        {"name": "Deep", "in": "query", "style": "deepObject", "schema": auth},
        {"name": "Flat", "in": "query", "explode": False, "schema": auth},
        {"name": "Action", "in": "query", "required": True, "schema": {"enum": ["ModifyUser"]}},
    ]
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {
        "/#Action=ModifyUser": {
            "get": {"parameters": query, "responses": {"204": {"description": "ok"}}}
        }
    }
    _, diagnostics = parse(document)
    assert [(d.level, d.pointer) for d in diagnostics] == [
        (Level.WARNING, "/paths/~1#Action=ModifyUser/get/parameters/1")
    ]
    assert "property 'Passwords' named like another query parameter" in diagnostics[0].message


def test_two_exploded_query_maps_are_a_warning() -> None:
    strings = {"type": "object", "additionalProperties": {"type": "string"}}
    query = [
        {"name": "Attribute", "in": "query", "schema": strings},
        {"name": "Labels", "in": "query", "style": "deepObject", "schema": strings},
        {"name": "Closed", "in": "query", "schema": {**strings, "additionalProperties": False}},
        {"name": "Tag", "in": "query", "schema": {"type": "object"}},
    ]
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {
        "/queues": {"get": {"parameters": query, "responses": {"204": {"description": "ok"}}}}
    }
    _, diagnostics = parse(document)
    assert [(d.level, d.pointer, d.message) for d in diagnostics] == [
        (
            Level.WARNING,
            "/paths/~1queues/get/parameters/3",
            "query parameters 'Attribute' and 'Tag' (form, exploded) both take any key: sent "
            "as its own pair, a key reaches both, so the client refuses to send their keys",
        )
    ]


def test_two_exploded_query_objects_sharing_a_property_are_a_warning() -> None:
    attribute = {"type": "object", "properties": {"Value": {"type": "string"}}}
    query = [
        {"name": "Description", "in": "query", "schema": attribute},
        {"name": "Deep", "in": "query", "style": "deepObject", "schema": attribute},
        {"name": "SourceDestCheck", "in": "query", "schema": {"$ref": "#/c/attribute"}},
    ]
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "c": {}}
    document["c"] = {"attribute": attribute}
    document["paths"] = {
        "/interfaces": {"get": {"parameters": query, "responses": {"204": {"description": "ok"}}}}
    }
    _, diagnostics = parse(document)
    assert [(d.level, d.pointer, d.message) for d in diagnostics] == [
        (
            Level.WARNING,
            "/paths/~1interfaces/get/parameters/2",
            "query parameters 'Description' and 'SourceDestCheck' (form, exploded) both have a "
            "property 'Value': sent as its own pair, it reaches both, so the client refuses "
            "to send it",
        )
    ]


@pytest.mark.parametrize(
    ("media", "kind", "schema", "said"),
    [
        ("multipart/form-data", "multipart", {"type": "string", "format": "binary"}, "a string"),
        ("application/x-www-form-urlencoded", "form", {"type": "array", "items": {}}, "an array"),
    ],
)
def test_a_form_or_multipart_body_whose_schema_names_no_fields_takes_them_by_name(
    media: str, kind: str, schema: dict[str, Any], said: str
) -> None:
    document = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}
    document["paths"] = {
        "/upload": {
            "post": {
                "requestBody": {"required": True, "content": {media: {"schema": schema}}},
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    api, found = parse(document)
    op = api.services[0].operations[0]
    assert op.body is not None
    assert (op.body.kind, op.body.annotation) == (kind, "dict[str, Any]")
    (warning,) = [d for d in found if "names none" in d.message]
    assert f"but its schema is {said}" in warning.message
    escaped = media.replace("/", "~1")
    assert warning.pointer == f"/paths/~1upload/post/requestBody/content/{escaped}/schema"


def test_a_multipart_body_that_may_be_an_object_keeps_its_schema() -> None:
    op = one_operation(
        {
            "requestBody": {
                "content": {
                    "multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string"}}}
                    }
                }
            },
            "responses": {"204": {"description": "ok"}},
        }
    )
    assert op.body is not None
    assert op.body.annotation != "dict[str, Any] | None"
