"""The bundled petstore example, parsed: what docs/generated-code.md shows."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from specloom.diagnostics import Diagnostic
from specloom.ir.model import Api, EnumDef, ModelDef, Operation
from specloom.parser import parse

PETSTORE = Path(__file__).parents[2] / "fixtures" / "petstore" / "petstore.yaml"


@pytest.fixture(scope="module")
def parsed() -> tuple[Api, list[Diagnostic]]:
    return parse(yaml.safe_load(PETSTORE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def api(parsed: tuple[Api, list[Diagnostic]]) -> Api:
    return parsed[0]


def operations(api: Api) -> dict[str, Operation]:
    return {o.python_name: o for s in api.services for o in s.operations}


def test_parses_cleanly(parsed: tuple[Api, list[Diagnostic]]) -> None:
    assert parsed[1] == []


def test_document_metadata(api: Api) -> None:
    assert (api.title, api.version, api.openapi_version) == ("Petstore", "1.0.0", "3.0.3")
    assert api.description.startswith("A pet store")
    assert [(s.url, s.description) for s in api.servers] == [
        ("https://petstore.example.com/v1", "Production")
    ]


def test_types_in_spec_order(api: Api) -> None:
    assert [(type(t).__name__, t.name) for t in api.types] == [
        ("EnumDef", "PetStatus"),
        ("ModelDef", "NewPet"),
        ("ModelDef", "Pet"),
        ("ModelDef", "Order"),
        ("ModelDef", "Error"),
        ("ModelDef", "OrderRequest"),
    ]
    status = api.types[0]
    assert isinstance(status, EnumDef)
    assert [m.python_name for m in status.members] == ["AVAILABLE", "PENDING", "ADOPTED"]


def test_order_model_matches_the_documented_shape(api: Api) -> None:
    order = next(t for t in api.types if t.name == "Order")
    assert isinstance(order, ModelDef)
    shape = [(f.python_name, f.wire_name, f.annotation, f.default) for f in order.fields]
    assert shape == [
        ("pet_id", "pet_id", "int", None),
        ("quantity", "quantity", "int", None),
        ("id", "id", "uuid.UUID | None", None),
        ("ship_date", "ship-date", "datetime.datetime | None", None),
        ("complete", "complete", "bool | None", "False"),
    ]
    assert order.fields[2].read_only
    assert order.references.modules == ("datetime", "uuid")


def test_pet_flattens_new_pet(api: Api) -> None:
    pet = next(t for t in api.types if t.name == "Pet")
    assert isinstance(pet, ModelDef)
    assert [f.wire_name for f in pet.fields] == [
        "name",
        "id",
        "created_at",
        "tag",
        "status",
        "birthday",
        "owner",
    ]
    assert pet.fields[0].constraints == (("min_length", "1"),)


def test_services(api: Api) -> None:
    assert [(s.attribute_name, s.client_class, s.api_class) for s in api.services] == [
        ("default", "DefaultService", "DefaultApi"),
        ("pets", "PetsService", "PetsApi"),
        ("store", "StoreService", "StoreApi"),
    ]
    assert api.services[1].description == "Everything about pets."
    assert [o.python_name for o in api.services[1].operations] == [
        "list_pets",
        "create_pet",
        "get_pet",
        "update_pet",
        "delete_pet",
    ]


def test_list_pets(api: Api) -> None:
    op = operations(api)["list_pets"]
    assert (op.constant_name, op.method, op.path) == ("LIST_PETS", "GET", "/pets")
    params = [(p.python_name, p.wire_name, p.location, p.annotation) for p in op.parameters]
    assert params == [
        ("limit", "limit", "query", "int | None"),
        ("status", "status", "query", "PetStatus | None"),
        ("tags", "tags", "query", "list[str] | None"),
        ("x_request_id", "X-Request-Id", "header", "uuid.UUID | None"),
    ]
    assert [p.constraints for p in op.parameters] == [(("ge", "1"), ("le", "100")), (), (), ()]
    assert op.client_return == "list[Pet]"
    assert op.server_return == "list[Pet] | Ok[list[Pet]] | WithStatus[Error]"
    assert op.references.types == ("Error", "Pet", "PetStatus")


@pytest.mark.parametrize(
    ("name", "client_return", "server_return", "status_classes"),
    [
        # The 201 requires a Location header: only its response class can carry it.
        (
            "create_pet",
            "Pet",
            "CreatePetCreated | UnprocessableEntity[Error]",
            ("Created", "UnprocessableEntity"),
        ),
        # The success's own status class is there too: to add headers or cookies to it.
        ("get_pet", "Pet", "Pet | Ok[Pet] | NotFound[Error]", ("NotFound", "Ok")),
        ("delete_pet", "None", "None | NoContent | NotFound[Error]", ("NoContent", "NotFound")),
        ("get_inventory", "dict[str, int]", "dict[str, int] | Ok[dict[str, int]]", ("Ok",)),
        (
            "place_order",
            "Order",
            "Order | Created[Order] | BadRequest[Error]",
            ("BadRequest", "Created"),
        ),
        ("get_health", "None", "None | NoContent", ("NoContent",)),
    ],
)
def test_return_annotations(
    api: Api, name: str, client_return: str, server_return: str, status_classes: tuple[str, ...]
) -> None:
    op = operations(api)[name]
    assert (op.client_return, op.server_return, op.status_classes) == (
        client_return,
        server_return,
        status_classes,
    )


def test_get_pet_takes_the_path_level_parameter(api: Api) -> None:
    op = operations(api)["get_pet"]
    assert [(p.python_name, p.annotation, p.required, p.style) for p in op.parameters] == [
        ("pet_id", "int", True, "simple")
    ]


def test_create_pet_body(api: Api) -> None:
    body = operations(api)["create_pet"].body
    assert body is not None
    assert (body.annotation, body.content_type, body.kind, body.required) == (
        "NewPet",
        "application/json",
        "json",
        True,
    )


def test_parsing_is_deterministic(api: Api) -> None:
    again, _ = parse(yaml.safe_load(PETSTORE.read_text(encoding="utf-8")))
    assert again == api


def test_declared_response_headers_are_typed_on_a_response_class(api: Api) -> None:
    created = operations(api)["create_pet"].responses[0]

    assert created.headers_class == "CreatePetCreated"
    assert [(h.python_name, h.wire_name, h.annotation, h.required) for h in created.headers] == [
        ("location", "Location", "str", True),
        ("x_pets_remaining", "X-Pets-Remaining", "int", False),
    ]
