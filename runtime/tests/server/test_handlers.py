"""Handlers answering by raising, checked responses, cookies, and the body size limit."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import pytest
from pydantic import BaseModel, Field
from starlette.types import ASGIApp

from specloom_runtime.fields import Omittable
from specloom_runtime.operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server import (
    NotFound,
    Ok,
    ResponseException,
    build_app,
    max_body_size,
)


class Serve(Protocol):
    def __call__(self, operation: OperationSpec, handler: Any, **options: Any) -> Any: ...


class Pet(BaseModel):
    id: int
    name: str = Field(min_length=1)
    tag: Omittable[str] = None
    owner: str | None = None


class Error(BaseModel):
    code: int
    message: str


GET_PET = OperationSpec(
    name="get_pet",
    method="GET",
    path="/pets/{id}",
    params=(ParamSpec("pet_id", "id", "path", int, required=True),),
    responses=(ResponseSpec("200", Pet, is_success=True), ResponseSpec("404", Error)),
)
LIST_PETS = OperationSpec(
    name="list_pets",
    method="GET",
    path="/pets",
    responses=(ResponseSpec("200", list[Pet], is_success=True),),
)
ADD_PET = OperationSpec(
    name="add_pet",
    method="POST",
    path="/pets",
    body=BodySpec(Pet),
    responses=(ResponseSpec("201", Pet, is_success=True),),
)


@pytest.fixture
def serve(generated_api: Callable[..., type], client_of: Callable[[ASGIApp], Any]) -> Serve:
    """`serve(operation, method, **build_app_options)`: a TestClient of one operation."""

    def make(operation: OperationSpec, handler: Any, **options: Any) -> Any:
        api = generated_api(operation)
        implementation = type("Implementation", (api,), {operation.name: handler})
        return client_of(build_app([implementation()], [api], **options))

    return make


def find(pet_id: int) -> Pet:
    raise NotFound(Error(code=404, message=f"no pet {pet_id}"))


async def get_by_raising(self: object, *, pet_id: int) -> Pet:
    return find(pet_id)


def test_a_raised_status_response_is_the_answer(serve: Serve) -> None:
    response = serve(GET_PET, get_by_raising).get("/pets/7")

    assert response.status_code == 404
    assert response.json() == {"code": 404, "message": "no pet 7"}


def test_a_response_exception_is_the_answer(serve: Serve) -> None:
    async def handler(self: object, *, pet_id: int) -> Pet:
        raise ResponseException(NotFound(Error(code=1, message="gone")))

    response = serve(GET_PET, handler).get("/pets/7")

    assert (response.status_code, response.json()) == (404, {"code": 1, "message": "gone"})


def test_none_for_a_declared_body_is_a_500_with_the_reason_logged(
    serve: Serve,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def handler(self: object, *, pet_id: int) -> Pet | None:
        return None

    with caplog.at_level(logging.ERROR, "specloom_runtime.server"):
        response = serve(GET_PET, handler).get("/pets/7")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "get_pet returned None, but its 200 response declares a body (Pet)" in caplog.text


@pytest.mark.parametrize(
    ("operation", "path", "answer"),
    [
        (GET_PET, "/pets/7", {"id": 7, "name": ""}),
        (GET_PET, "/pets/7", [("id", 7), ("name", "")]),
        (GET_PET, "/pets/7", Error(code=7, message="not a pet")),
        (LIST_PETS, "/pets", [Pet(id=1, name="Rex"), {"id": 2, "name": ""}]),
    ],
    ids=["dict", "pairs", "other-model", "dict-among-models"],
)
def test_a_body_that_is_not_a_built_model_is_checked(
    serve: Serve,
    caplog: pytest.LogCaptureFixture,
    operation: OperationSpec,
    path: str,
    answer: object,
) -> None:
    async def handler(self: object, **parameters: object) -> object:
        return answer

    with caplog.at_level(logging.ERROR, "specloom_runtime.server"):
        response = serve(operation, handler).get(path)

    assert response.status_code == 500
    assert "response body does not match its" in caplog.text


def test_a_model_built_without_validation_is_checked_when_asked(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    async def handler(self: object, *, pet_id: int) -> Pet:
        return Pet.model_construct(id=pet_id, name="")

    with caplog.at_level(logging.ERROR, "specloom_runtime.server"):
        response = serve(GET_PET, handler, validate_responses="always").get("/pets/7")

    assert response.status_code == 500
    assert "the 200 response body does not match its schema: /name: String should" in caplog.text


def test_a_built_model_is_trusted_by_default(serve: Serve) -> None:
    # `model_construct` skips validation: by default the model is only dumped, as
    # docs/server.md says; `validate_responses="always"` checks it too (above).
    async def handler(self: object, *, pet_id: int) -> Pet:
        return Pet.model_construct(id=pet_id, name="")

    response = serve(GET_PET, handler).get("/pets/7")

    assert (response.status_code, response.json()) == (200, {"id": 7, "name": ""})


def test_response_validation_can_be_turned_off(serve: Serve) -> None:
    async def handler(self: object, *, pet_id: int) -> Pet:
        return Pet.model_construct(id=pet_id, name="")

    response = serve(GET_PET, handler, validate_responses=False).get("/pets/7")

    assert (response.status_code, response.json()) == (200, {"id": 7, "name": ""})


def test_an_optional_field_left_none_is_omitted_unless_nullable(serve: Serve) -> None:
    async def handler(self: object, *, pet_id: int) -> Pet:
        return Pet(id=pet_id, name="Rex", tag=None, owner=None)

    response = serve(GET_PET, handler).get("/pets/7")

    assert response.json() == {"id": 7, "name": "Rex", "owner": None}


def test_several_cookies_are_set(serve: Serve) -> None:
    async def handler(self: object, *, pet_id: int) -> Ok[Pet]:
        pet = Ok(Pet(id=pet_id, name="Rex"))
        return pet.set_cookie("session", "abc", httponly=True).set_cookie("theme", "dark")

    response = serve(GET_PET, handler).get("/pets/7")

    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert cookies[0].startswith("session=abc;")
    assert "HttpOnly" in cookies[0]
    assert cookies[1].startswith("theme=dark;")


async def echo(self: object, *, body: Pet) -> Pet:
    return body


@pytest.mark.parametrize(
    ("document", "pointer"),
    [
        (b'{"id": "5", "name": "Rex"}', "/id"),
        (b'{"id": true, "name": "Rex"}', "/id"),
        (b'{"id": 1, "name": "Rex", "tag": null}', "/tag"),
        (b'{"id": 1.5, "name": "Rex"}', "/id"),
    ],
)
def test_json_bodies_are_validated_strictly(serve: Serve, document: bytes, pointer: str) -> None:
    response = serve(ADD_PET, echo).post(
        "/pets", content=document, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["pointer"] == pointer


def test_a_nullable_field_takes_null(serve: Serve) -> None:
    response = serve(ADD_PET, echo).post("/pets", json={"id": 1, "name": "Rex", "owner": None})

    assert (response.status_code, response.json()) == (201, {"id": 1, "name": "Rex", "owner": None})


def test_deeply_nested_json_is_a_400(serve: Serve) -> None:
    document = b"[" * 100_000 + b"]" * 100_000

    response = serve(ADD_PET, echo).post(
        "/pets", content=document, headers={"content-type": "application/json"}
    )

    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/pets/1_000", "/pets/+1", "/pets/%205%20", "/pets/1.0"])
def test_path_integers_are_spelled_as_json_spells_them(serve: Serve, path: str) -> None:
    response = serve(GET_PET, get_by_raising).get(path)

    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "id"


def test_query_booleans_are_true_or_false(serve: Serve) -> None:
    operation = OperationSpec(
        name="flag",
        method="GET",
        path="/flag",
        params=(ParamSpec("on", "on", "query", bool), ParamSpec("ids", "ids", "query", list[int])),
        responses=(ResponseSpec("200", bool, is_success=True),),
    )

    async def handler(self: object, *, on: bool | None, ids: list[int] | None) -> bool:
        return bool(on)

    client = serve(operation, handler)

    assert client.get("/flag?on=true").json() is True
    assert client.get("/flag?on=false&ids=1&ids=-2").json() is False
    assert client.get("/flag?on=yes").status_code == 400
    bad_item = client.get("/flag?ids=1&ids=%202")
    assert bad_item.status_code == 400
    assert bad_item.json()["errors"][0]["message"].startswith("[1]: ")


def test_a_body_over_the_app_limit_is_a_413(serve: Serve) -> None:
    client = serve(ADD_PET, echo, max_body_size=100)
    big = {"id": 1, "name": "x" * 200}

    assert client.post("/pets", json=big).status_code == 413
    assert client.post("/pets", json={"id": 1, "name": "Rex"}).status_code == 201


def test_a_streamed_body_over_the_limit_is_a_413(serve: Serve) -> None:
    def chunks() -> Any:
        yield b'{"id": 1, "name": "'
        yield b"x" * 200
        yield b'"}'

    response = serve(ADD_PET, echo, max_body_size=100).post(
        "/pets", content=chunks(), headers={"content-type": "application/json"}
    )

    assert response.status_code == 413


def test_one_operation_may_take_larger_bodies(serve: Serve) -> None:
    client = serve(ADD_PET, max_body_size(1000)(echo), max_body_size=100)

    assert client.post("/pets", json={"id": 1, "name": "x" * 200}).status_code == 201
    assert client.post("/pets", json={"id": 1, "name": "x" * 2000}).status_code == 413


@pytest.mark.parametrize("charset", ["unicode_escape", "rot13", "punycode", "no-such-codec"])
def test_only_real_text_encodings_decode_text_bodies(serve: Serve, charset: str) -> None:
    operation = OperationSpec(
        name="note",
        method="POST",
        path="/notes",
        body=BodySpec(str, content_type="text/plain"),
        responses=(ResponseSpec("200", str, content_type="text/plain", is_success=True),),
    )

    async def handler(self: object, *, body: str) -> str:
        return body

    client = serve(operation, handler)
    response = client.post(
        "/notes", content=b"\\u0041", headers={"content-type": f"text/plain; charset={charset}"}
    )
    latin = client.post(
        "/notes", content=b"caf\xe9", headers={"content-type": "text/plain; charset=latin-1"}
    )

    assert response.status_code == 400
    assert latin.text == "café"


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "security": [{"key": []}],
    "paths": {
        "/pets/{id}": {
            "get": {
                "operationId": "get_pet",
                "security": [],
                "responses": {"200": {"description": "a pet"}, "404": {"$ref": "#/c"}},
            }
        },
        "/pets": {
            "post": {
                "operationId": "add_pet",
                "responses": {
                    "400": {"description": "theirs", "content": {"application/json": {}}}
                },
            }
        },
    },
}


def test_the_app_serves_its_spec_with_the_problems_it_may_answer(
    serve: Serve, generated_api: Callable[..., type], client_of: Callable[[ASGIApp], Any]
) -> None:
    api = generated_api(GET_PET, ADD_PET)
    implementation = type("Implementation", (api,), {"get_pet": get_by_raising})
    client = client_of(build_app([implementation()], [api], openapi=SPEC))

    served = client.get("/openapi.json").json()

    get_pet = served["paths"]["/pets/{id}"]["get"]["responses"]
    add_pet = served["paths"]["/pets"]["post"]["responses"]
    assert sorted(get_pet) == ["200", "400", "404", "500"]
    assert sorted(add_pet) == ["400", "401", "403", "413", "415", "500", "501"]
    assert sorted(add_pet["400"]["content"]) == ["application/json", "application/problem+json"]
    problem = add_pet["413"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/Problem"}
    assert served["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]
    assert SPEC["paths"]["/pets"]["post"]["responses"]["400"]["content"] == {"application/json": {}}


def test_an_operation_the_spec_declares_at_openapi_json_is_served_there(
    generated_api: Callable[..., type], client_of: Callable[[ASGIApp], Any]
) -> None:
    own_document = OperationSpec(
        name="get_documentation",
        method="GET",
        path="/openapi.json",
        responses=(ResponseSpec("200", dict[str, Any], is_success=True),),
    )
    api = generated_api(own_document)

    async def get_documentation(self: object) -> dict[str, Any]:
        return {"from": "the handler"}

    implementation = type("Implementation", (api,), {"get_documentation": get_documentation})
    client = client_of(build_app([implementation()], [api], openapi=SPEC))

    assert client.get("/openapi.json").json() == {"from": "the handler"}


class Opaque:
    """A type pydantic has no validator for."""


GET_UNBUILDABLE = OperationSpec(
    name="get_unbuildable",
    method="GET",
    path="/unbuildable",
    params=(ParamSpec("opaque", "opaque", "query", Opaque),),
    responses=(ResponseSpec("204", None, is_success=True),),
)


def test_an_operation_is_built_on_its_first_request(
    generated_api: Callable[..., type],
    client_of: Callable[[ASGIApp], Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # An app of thousands of operations builds none of their validators up front: one
    # that cannot be built does not stop the app, the others are served...
    api = generated_api(GET_PET, GET_UNBUILDABLE)
    implementation = type("Implementation", (api,), {"get_pet": get_by_raising})
    client = client_of(build_app([implementation()], [api]))
    assert client.get("/pets/3").json()["message"] == "no pet 3"
    # ...and that one answers 500 with the reason logged.
    with caplog.at_level(logging.ERROR, logger="specloom_runtime.server"):
        answer = client.get("/unbuildable")
    assert answer.status_code == 500
    assert answer.headers["content-type"] == "application/problem+json"
    assert "'get_unbuildable' could not be served" in caplog.text
    assert "Opaque" in caplog.text
