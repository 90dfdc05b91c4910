"""Responses: success bodies, status responses, serialization, and failing handlers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime.operation import OperationSpec, ResponseSpec
from specloom_runtime.server import (
    Accepted,
    Conflict,
    Created,
    NoContent,
    NotFound,
    WithStatus,
)

if TYPE_CHECKING:
    from conftest import ServeOperation


class Pet(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: int
    name: str
    birth_year: int | None = Field(default=None, alias="birth-year")
    tag: str | None = None


class Error(BaseModel):
    code: int
    message: str


def operation(*responses: ResponseSpec) -> OperationSpec:
    return OperationSpec(name="probe", method="GET", path="/probe", responses=responses)


PET_OR_ERRORS = operation(
    ResponseSpec("201", Pet, is_success=True),
    ResponseSpec("404", Error),
    ResponseSpec("5XX", Error),
    ResponseSpec("default", Error, content_type="application/problem+json"),
)


def returning(value: Any) -> Any:
    async def handler() -> Any:
        return value

    return handler


def test_a_plain_value_is_the_primary_success_with_its_status(
    serve_operation: ServeOperation,
) -> None:
    response = serve_operation(PET_OR_ERRORS, returning(Pet(id=1, name="Rex"))).get("/probe")

    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"id": 1, "name": "Rex"}


def test_fields_never_set_are_omitted_but_explicit_nulls_kept_and_aliases_used(
    serve_operation: ServeOperation,
) -> None:
    pet = Pet.model_validate({"id": 1, "name": "Rex", "birth_year": 2020, "tag": None})

    response = serve_operation(PET_OR_ERRORS, returning(pet)).get("/probe")

    assert response.json() == {"id": 1, "name": "Rex", "birth-year": 2020, "tag": None}


@pytest.mark.parametrize(
    ("result", "status", "content_type"),
    [
        (NotFound(Error(code=4, message="no pet")), 404, "application/json"),
        (WithStatus(503, Error(code=5, message="later")), 503, "application/json"),
        (Conflict(Error(code=9, message="taken")), 409, "application/problem+json"),
    ],
)
def test_status_responses_use_the_response_declared_for_their_status(
    serve_operation: ServeOperation, result: Any, status: int, content_type: str
) -> None:
    response = serve_operation(PET_OR_ERRORS, returning(result)).get("/probe")

    assert response.status_code == status
    assert response.headers["content-type"] == content_type
    assert response.json() == result.body.model_dump()


def test_status_response_headers_are_sent(serve_operation: ServeOperation) -> None:
    result = Created(Pet(id=2, name="Tom"), headers={"Location": "/pets/2"})

    response = serve_operation(PET_OR_ERRORS, returning(result)).get("/probe")

    assert response.status_code == 201
    assert response.headers["location"] == "/pets/2"


def test_an_undeclared_status_sends_the_body_as_json(serve_operation: ServeOperation) -> None:
    only_ok = operation(ResponseSpec("200", Pet, is_success=True))
    result = Accepted({"queued": Pet.model_validate({"id": 1, "name": "Rex", "birth_year": 1})})

    response = serve_operation(only_ok, returning(result)).get("/probe")

    assert response.status_code == 202
    assert response.json() == {"queued": {"id": 1, "name": "Rex", "birth-year": 1}}


def test_body_less_success_answers_with_its_status_and_no_body(
    serve_operation: ServeOperation,
) -> None:
    deleted = operation(ResponseSpec("204", content_type=None, is_success=True))

    response = serve_operation(deleted, returning(None)).get("/probe")

    assert response.status_code == 204
    assert response.content == b""
    assert "content-type" not in response.headers


def test_no_content_has_no_body(serve_operation: ServeOperation) -> None:
    response = serve_operation(PET_OR_ERRORS, returning(NoContent())).get("/probe")

    assert response.status_code == 204
    assert response.content == b""


def test_a_range_success_answers_200(serve_operation: ServeOperation) -> None:
    ranged = operation(ResponseSpec("2XX", list[int], is_success=True))

    response = serve_operation(ranged, returning([1, 2])).get("/probe")

    assert response.status_code == 200
    assert response.json() == [1, 2]


def test_a_dict_or_object_with_the_declared_fields_is_converted(
    serve_operation: ServeOperation,
) -> None:
    class Row:
        id = 3
        name = "Rex"

    response = serve_operation(PET_OR_ERRORS, returning(Row())).get("/probe")
    assert response.json() == {"id": 3, "name": "Rex"}

    response = serve_operation(PET_OR_ERRORS, returning({"id": 4, "name": "Tom"})).get("/probe")
    assert response.json() == {"id": 4, "name": "Tom"}


def test_text_and_binary_responses(serve_operation: ServeOperation) -> None:
    text = operation(ResponseSpec("200", str, content_type="text/plain", is_success=True))
    binary = operation(
        ResponseSpec("200", bytes, content_type="application/octet-stream", is_success=True)
    )

    response = serve_operation(text, returning("héllo")).get("/probe")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "héllo"

    response = serve_operation(binary, returning(bytes(range(256)))).get("/probe")
    assert response.content == bytes(range(256))


def test_a_failing_handler_is_500_without_details(
    serve_operation: ServeOperation, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> None:
        raise RuntimeError("database password is hunter2")

    with caplog.at_level(logging.ERROR, logger="specloom_runtime.server"):
        response = serve_operation(PET_OR_ERRORS, broken).get("/probe")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "hunter2" not in response.text
    assert response.json()["detail"] == "the server failed to handle the request"
    assert "hunter2" in caplog.text


def test_debug_mode_shows_what_failed(serve_operation: ServeOperation) -> None:
    async def broken() -> None:
        raise RuntimeError("boom")

    response = serve_operation(PET_OR_ERRORS, broken, debug=True).get("/probe")

    assert response.status_code == 500
    assert response.json()["detail"] == "RuntimeError: boom"


def test_a_result_that_does_not_match_its_declared_type_is_500(
    serve_operation: ServeOperation,
) -> None:
    response = serve_operation(PET_OR_ERRORS, returning({"id": "not a number"})).get("/probe")

    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"


def test_an_undeclared_body_that_cannot_be_json_is_500(serve_operation: ServeOperation) -> None:
    only_ok = operation(ResponseSpec("200", Pet, is_success=True))

    response = serve_operation(only_ok, returning(WithStatus(299, object()))).get("/probe")

    assert response.status_code == 500


def test_a_response_with_an_untyped_media_type_beside_a_typed_one_is_answered(
    serve_operation: ServeOperation,
) -> None:
    # `application/json` without a schema (any value) beside `text/csv` (quotes.rest).
    either = operation(
        ResponseSpec(
            "200",
            Any,
            is_success=True,
            media=(("application/json", Any), ("text/csv", str)),
        )
    )

    response = serve_operation(either, returning({"quote": "hello"})).get("/probe")

    assert response.status_code == 200
    assert response.json() == {"quote": "hello"}
