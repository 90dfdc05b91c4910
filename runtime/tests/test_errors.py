from __future__ import annotations

import datetime
from typing import Any

import httpx
import pydantic
import pytest

from specloom_runtime import (
    ApiStatusError,
    DeclaredStatusError,
    RequestTimeout,
    Response,
    ResponseValidationError,
    SpecloomError,
    TransportError,
    UnexpectedStatusError,
)

URL = "https://api.test/v1/pets/7"


def response(status: int, data: Any = None, url: str = URL, **kwargs: Any) -> Response[Any]:
    raw = httpx.Response(status, request=httpx.Request("GET", url), **kwargs)
    return Response(status, data, raw, datetime.timedelta(0))


@pytest.mark.parametrize(
    ("error", "bases"),
    [
        (TransportError, (SpecloomError,)),
        (RequestTimeout, (TransportError, SpecloomError)),
        (ApiStatusError, (SpecloomError,)),
        (DeclaredStatusError, (ApiStatusError, SpecloomError)),
        (UnexpectedStatusError, (ApiStatusError, SpecloomError)),
        (ResponseValidationError, (SpecloomError,)),
    ],
)
def test_the_hierarchy(error: type[Exception], bases: tuple[type[Exception], ...]) -> None:
    assert all(issubclass(error, base) for base in bases)


def test_status_errors_are_not_validation_or_transport_errors() -> None:
    assert not issubclass(ResponseValidationError, ApiStatusError)
    assert not issubclass(ApiStatusError, TransportError)


def test_a_declared_status_message_names_operation_request_status_and_body() -> None:
    error = DeclaredStatusError(
        "get_pet", response(404, {"code": 404}, json={"code": 404, "message": "no pet 7"})
    )
    assert str(error) == (
        "get_pet: GET https://api.test/v1/pets/7 -> 404 Not Found:"
        ' {"code":404,"message":"no pet 7"}'
    )
    assert error.status_code == 404
    assert error.body == {"code": 404}


def test_an_unexpected_status_message_says_it_is_undeclared() -> None:
    error = UnexpectedStatusError("get_pet", response(418, "tea", text="tea"))
    assert str(error) == (
        "get_pet: GET https://api.test/v1/pets/7 -> 418 I'm a teapot"
        " (status not declared by the spec): tea"
    )


def test_messages_leave_out_query_values_and_credentials() -> None:
    url = "https://user:secret@api.test/v1/pets?api_key=hunter2&limit=5"
    error = UnexpectedStatusError("list_pets", response(500, url=url))
    assert str(error) == (
        "list_pets: GET https://api.test/v1/pets?api_key=…&limit=… -> 500 Internal Server Error"
        " (status not declared by the spec)"
    )
    assert error.response.raw.request.url.params["api_key"] == "hunter2"


def test_long_bodies_are_cut_to_one_short_line() -> None:
    text = "line one\n\n   line two " + "x" * 500
    message = str(ApiStatusError("get_pet", response(500, text=text)))
    excerpt = message.split("Internal Server Error: ", 1)[1]
    assert excerpt.startswith("line one line two xxx")
    assert len(excerpt) == 200
    assert excerpt.endswith("…")


def test_binary_bodies_are_described_not_printed() -> None:
    raw_body = b"\x89PNG\r\n" + bytes(100)
    error = ApiStatusError(
        "get_photo", response(500, content=raw_body, headers={"content-type": "image/png"})
    )
    assert str(error).endswith("500 Internal Server Error: <106 bytes of image/png>")


class Pet(pydantic.BaseModel):
    id: int
    name: str


def validation_errors(data: Any) -> list[Any]:
    with pytest.raises(pydantic.ValidationError) as caught:
        pydantic.TypeAdapter(list[Pet]).validate_python(data)
    return list(caught.value.errors(include_url=False))


def test_a_validation_message_lists_the_mismatches() -> None:
    errors = validation_errors([{"id": "x"}])
    error = ResponseValidationError(
        "list_pets", response(200, text='[{"id": "x"}]'), errors, expected=list[Pet]
    )
    assert str(error) == (
        "list_pets: GET https://api.test/v1/pets/7 -> 200: the body does not match list[Pet]"
        " (2 errors: 0.id: Input should be a valid integer, unable to parse string as an integer;"
        ' 0.name: Field required): [{"id": "x"}]'
    )
    assert error.errors == errors
    assert error.status_code == 200


def test_a_validation_message_lists_only_the_first_mismatches() -> None:
    errors = validation_errors([{}, {}])
    error = ResponseValidationError("list_pets", response(200), errors)
    assert (
        "does not match its schema (4 errors: 0.id: Field required; 0.name: Field required;"
        in str(error)
    )
    assert str(error).endswith("; …)")


def test_a_transport_error_names_the_request_and_reason() -> None:
    request = httpx.Request("DELETE", "https://api.test/pets/1?token=abc")
    error = RequestTimeout("delete_pet", request, "ConnectTimeout: timed out")
    assert (
        str(error)
        == "delete_pet: DELETE https://api.test/pets/1?token=…: ConnectTimeout: timed out"
    )
    assert error.request is request
    assert error.operation_name == "delete_pet"
