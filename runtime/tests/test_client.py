from __future__ import annotations

import asyncio
import datetime
import enum
import json
import uuid
from collections.abc import Callable, Generator, Mapping
from typing import Any

import httpx
import pydantic
import pytest
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime import (
    ApiStatusError,
    AsyncClientCore,
    ClientCore,
    DeclaredStatusError,
    InvalidRequest,
    RequestTimeout,
    Response,
    ResponseValidationError,
    TransportError,
    UnexpectedStatusError,
)
from specloom_runtime.operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec


class PetStatus(str, enum.Enum):
    AVAILABLE = "available"
    ADOPTED = "adopted"


class NewPet(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    status: PetStatus | None = None
    birth_date: datetime.date | None = Field(default=None, alias="birth-date")


class Pet(NewPet):
    id: int


class Error(BaseModel):
    code: int
    message: str


LIST_PETS = OperationSpec(
    name="list_pets",
    method="GET",
    path="/pets",
    params=(
        ParamSpec(name="limit", wire_name="limit", location="query", annotation=int),
        ParamSpec(name="status", wire_name="status", location="query", annotation=PetStatus),
        ParamSpec(name="tags", wire_name="tags", location="query", annotation=list[str]),
        ParamSpec(
            name="x_request_id", wire_name="X-Request-Id", location="header", annotation=uuid.UUID
        ),
        ParamSpec(name="session", wire_name="session", location="cookie", annotation=str),
    ),
    responses=(
        ResponseSpec(status="200", annotation=list[Pet], is_success=True),
        ResponseSpec(status="default", annotation=Error),
    ),
)
CREATE_PET = OperationSpec(
    name="create_pet",
    method="POST",
    path="/pets",
    body=BodySpec(annotation=NewPet),
    responses=(
        ResponseSpec(status="201", annotation=Pet, is_success=True),
        ResponseSpec(status="4XX", annotation=Error),
    ),
)
GET_PET_BY_NAME = OperationSpec(
    name="get_pet_by_name",
    method="GET",
    path="/pets/{petName}",
    params=(ParamSpec(name="pet_name", wire_name="petName", location="path", annotation=str),),
    responses=(
        ResponseSpec(status="200", annotation=Pet, is_success=True),
        ResponseSpec(status="404", annotation=Error),
    ),
)
DELETE_PET = OperationSpec(
    name="delete_pet",
    method="DELETE",
    path="/pets/{petId}",
    params=(ParamSpec(name="pet_id", wire_name="petId", location="path", annotation=int),),
    responses=(
        ResponseSpec(status="204", annotation=None, content_type=None, is_success=True),
        ResponseSpec(status="404", annotation=Error),
    ),
)
UPLOAD_PHOTO = OperationSpec(
    name="upload_photo",
    method="PUT",
    path="/pets/{petId}/photo",
    params=(ParamSpec(name="pet_id", wire_name="petId", location="path", annotation=int),),
    body=BodySpec(annotation=dict[str, Any], content_type="multipart/form-data"),
    responses=(
        ResponseSpec(status="200", annotation=str, content_type="text/plain", is_success=True),
    ),
)

REX = {"id": 1, "name": "Rex", "status": "available"}
NOT_FOUND = {"code": 404, "message": "no such pet"}

Handler = Callable[[httpx.Request], httpx.Response]
Send = Callable[..., Response[Any]]


class Recorder:
    """A mock server: answers with `handler` and keeps every request it got."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        return self.handler(request)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]


def answer(status: int, **kwargs: Any) -> Handler:
    return lambda request: httpx.Response(status, **kwargs)


@pytest.fixture(params=["sync", "async"])
def connect(
    request: pytest.FixtureRequest,
) -> Generator[Callable[..., Send], None, None]:
    """Make a core on a mock transport; give back its `send`, run to completion."""
    cleanups: list[Callable[[], None]] = []

    def make(recorder: Recorder, base_url: str = "https://api.test/v1", **options: Any) -> Send:
        # These tests are about one attempt; retries have tests of their own.
        options.setdefault("retry", None)
        transport = httpx.MockTransport(recorder)
        if request.param == "sync":
            sync_core = ClientCore(
                base_url, http_client=httpx.Client(transport=transport), **options
            )
            cleanups.append(sync_core.close)
            return sync_core.send
        async_core = AsyncClientCore(
            base_url, http_client=httpx.AsyncClient(transport=transport), **options
        )
        cleanups.append(lambda: asyncio.run(async_core.aclose()))

        def send(operation: OperationSpec, args: Mapping[str, Any], body: Any = None) -> Any:
            return asyncio.run(async_core.send(operation, args, body))

        return send

    yield make
    for cleanup in cleanups:
        cleanup()


# Requests


def test_parameters_go_where_the_operation_says(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(200, json=[REX]))
    request_id = uuid.UUID("12345678-1234-5678-1234-567812345678")
    args = {
        "limit": 10,
        "status": PetStatus.AVAILABLE,
        "tags": ["a b", "c"],
        "x_request_id": request_id,
        "session": "s1",
    }
    connect(recorder)(LIST_PETS, args)
    sent = recorder.last
    assert sent.method == "GET"
    assert str(sent.url) == "https://api.test/v1/pets?limit=10&status=available&tags=a+b&tags=c"
    assert sent.headers["X-Request-Id"] == str(request_id)
    assert sent.headers["Cookie"] == "session=s1"
    assert sent.headers["Accept"] == "application/json"


def test_parameters_that_are_none_are_not_sent(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(200, json=[]))
    connect(recorder)(LIST_PETS, {"limit": None, "tags": None, "x_request_id": None})
    assert str(recorder.last.url) == "https://api.test/v1/pets"
    assert "X-Request-Id" not in recorder.last.headers
    assert "Cookie" not in recorder.last.headers


class Attribute(BaseModel):
    Value: str | None = None


class Owner(BaseModel):
    Name: str | None = None


MODIFY_INTERFACE = OperationSpec(
    name="modify_interface",
    method="GET",
    path="/interfaces",
    params=(
        ParamSpec("description", "Description", "query", Attribute),
        ParamSpec("source_dest_check", "SourceDestCheck", "query", Attribute),
        ParamSpec("filters", "Filters", "query", Attribute, style="deepObject"),
        ParamSpec("owner", "Owner", "query", Owner),
    ),
    responses=(ResponseSpec("204", annotation=None, content_type=None, is_success=True),),
)


def test_a_field_two_exploded_objects_declare_is_not_sent(connect: Callable[..., Send]) -> None:
    """ec2's `Description` and `SourceDestCheck` are both `{Value}`: exploded, `Value=...`
    is a pair of its own, which a server gives to both."""
    recorder = Recorder(answer(204))
    send = connect(recorder)
    send(
        MODIFY_INTERFACE,
        {"description": Attribute(), "filters": Attribute(Value="x"), "owner": Owner(Name="a")},
    )
    assert recorder.last.url.params.multi_items() == [("Filters[Value]", "x"), ("Name", "a")]

    for name in ("description", "source_dest_check"):
        with pytest.raises(InvalidRequest, match=r"its field 'Value' .* also give to '"):
            send(MODIFY_INTERFACE, {name: Attribute(Value="on")})
    assert len(recorder.requests) == 1


CREATE_QUEUE = OperationSpec(
    name="create_queue",
    method="GET",
    path="/queues",
    params=(
        ParamSpec("attribute", "Attribute", "query", dict[str, str]),
        ParamSpec("tag", "Tag", "query", dict[str, str]),
        ParamSpec("labels", "Labels", "query", dict[str, str], style="deepObject"),
        ParamSpec("check", "Check", "query", Attribute),
    ),
    responses=(ResponseSpec("204", annotation=None, content_type=None, is_success=True),),
)
SET_ATTRIBUTES = OperationSpec(
    name="set_attributes",
    method="GET",
    path="/queue",
    params=(
        ParamSpec("attribute", "Attribute", "query", dict[str, str]),
        ParamSpec("check", "Check", "query", Attribute),
    ),
    responses=(ResponseSpec("204", annotation=None, content_type=None, is_success=True),),
)


def test_the_keys_of_a_map_that_another_parameter_would_take_are_not_sent(
    connect: Callable[..., Send],
) -> None:
    """sqs's `Attribute` and `Tag` are maps: exploded, each key is a pair of its own,
    which a server gives to both; beside an object, a map's key named like one of the
    object's fields is the object's."""
    recorder = Recorder(answer(204))
    send = connect(recorder)
    send(CREATE_QUEUE, {"labels": {"team": "a"}, "check": Attribute(Value="on")})
    send(SET_ATTRIBUTES, {"attribute": {"DelaySeconds": "5"}, "check": Attribute(Value="on")})
    assert [request.url.params.multi_items() for request in recorder.requests] == [
        [("Labels[team]", "a"), ("Value", "on")],
        [("DelaySeconds", "5"), ("Value", "on")],
    ]

    with pytest.raises(InvalidRequest, match=r"'attribute' .* its key 'team' .* give to 'tag'"):
        send(CREATE_QUEUE, {"attribute": {"team": "x"}})
    with pytest.raises(InvalidRequest, match=r"its key 'Value' .* give to 'check'"):
        send(SET_ATTRIBUTES, {"attribute": {"Value": "1"}})
    assert len(recorder.requests) == 2


@pytest.mark.parametrize(
    "base_url", ["https://api.test/v1", "https://api.test/v1/", "https://api.test/v1//"]
)
def test_the_path_joins_the_base_url_prefix(connect: Callable[..., Send], base_url: str) -> None:
    recorder = Recorder(answer(204))
    connect(recorder, base_url)(DELETE_PET, {"pet_id": 7})
    assert str(recorder.last.url) == "https://api.test/v1/pets/7"


def test_path_values_cannot_change_the_path(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(200, json=REX))
    connect(recorder)(GET_PET_BY_NAME, {"pet_name": "../admin?x=1"})
    assert recorder.last.url.raw_path == b"/v1/pets/..%2Fadmin%3Fx%3D1"


def test_json_bodies_are_sent_by_alias(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(201, json={**REX, "birth-date": "2020-01-02"}))
    body = NewPet.model_validate({"name": "Rex", "birth_date": datetime.date(2020, 1, 2)})
    response = connect(recorder)(CREATE_PET, {}, body)
    assert recorder.last.headers["Content-Type"] == "application/json"
    assert json.loads(recorder.last.content) == {"name": "Rex", "birth-date": "2020-01-02"}
    assert isinstance(response.data, Pet)
    assert response.data.birth_date == datetime.date(2020, 1, 2)
    assert response.data.status is PetStatus.AVAILABLE


def test_multipart_bodies_carry_their_boundary(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(200, text="stored", headers={"content-type": "text/plain"}))
    response = connect(recorder)(
        UPLOAD_PHOTO, {"pet_id": 1}, {"photo": ("rex.png", b"\x89PNG", "image/png")}
    )
    content_type = recorder.last.headers["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b'filename="rex.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG' in recorder.last.content
    assert recorder.last.headers["Accept"] == "text/plain"
    assert response.data == "stored"


def test_headers_and_auth_apply_to_every_request(connect: Callable[..., Send]) -> None:
    class Bearer(httpx.Auth):
        def auth_flow(
            self, request: httpx.Request
        ) -> Generator[httpx.Request, httpx.Response, None]:
            request.headers["Authorization"] = "Bearer t0k3n"
            yield request

    recorder = Recorder(answer(204))
    send = connect(recorder, headers={"User-Agent": "petstore/1.0"}, auth=Bearer())
    send(DELETE_PET, {"pet_id": 1})
    send(DELETE_PET, {"pet_id": 2})
    assert [r.headers["Authorization"] for r in recorder.requests] == ["Bearer t0k3n"] * 2
    assert [r.headers["User-Agent"] for r in recorder.requests] == ["petstore/1.0"] * 2


# Responses


def test_a_success_response_is_decoded_to_its_declared_type(connect: Callable[..., Send]) -> None:
    recorder = Recorder(answer(200, json=[REX], headers={"X-Total": "1"}))
    response = connect(recorder)(LIST_PETS, {})
    assert response.status_code == 200
    assert response.data == [Pet(id=1, name="Rex", status=PetStatus.AVAILABLE)]
    assert response.headers["x-total"] == "1"
    assert response.raw.request is not None
    assert response.elapsed >= datetime.timedelta(0)
    assert response.is_success


def test_a_response_without_a_declared_body_has_no_data(connect: Callable[..., Send]) -> None:
    response = connect(Recorder(answer(204)))(DELETE_PET, {"pet_id": 1})
    assert response.status_code == 204
    assert response.data is None


def test_a_declared_error_status_raises_with_its_typed_body(connect: Callable[..., Send]) -> None:
    send = connect(Recorder(answer(404, json=NOT_FOUND)))
    with pytest.raises(DeclaredStatusError) as caught:
        send(DELETE_PET, {"pet_id": 9})
    error = caught.value
    assert error.status_code == 404
    assert error.body == Error(code=404, message="no such pet")
    assert error.response.raw.status_code == 404
    assert error.operation_name == "delete_pet"
    assert str(error).startswith("delete_pet: DELETE https://api.test/v1/pets/9 -> 404 Not Found: ")


@pytest.mark.parametrize(
    ("operation", "status"), [(CREATE_PET, 409), (LIST_PETS, 503)], ids=["4XX", "default"]
)
def test_ranges_and_default_responses_are_declared(
    connect: Callable[..., Send], operation: OperationSpec, status: int
) -> None:
    send = connect(Recorder(answer(status, json={"code": status, "message": "no"})))
    with pytest.raises(DeclaredStatusError) as caught:
        send(operation, {}, NewPet(name="Rex"))
    assert caught.value.body == Error(code=status, message="no")


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"json": {"detail": "teapot"}}, {"detail": "teapot"}),
        ({"text": "I'm a teapot"}, "I'm a teapot"),
        ({}, None),
    ],
)
def test_an_undeclared_status_raises_with_the_body_as_found(
    connect: Callable[..., Send], kwargs: dict[str, Any], body: Any
) -> None:
    send = connect(Recorder(answer(418, **kwargs)))
    with pytest.raises(UnexpectedStatusError) as caught:
        send(DELETE_PET, {"pet_id": 1})
    assert isinstance(caught.value, ApiStatusError)
    assert caught.value.status_code == 418
    assert caught.value.body == body
    assert "(status not declared by the spec)" in str(caught.value)


def test_a_body_that_does_not_match_raises_a_validation_error(
    connect: Callable[..., Send],
) -> None:
    send = connect(Recorder(answer(200, json=[{"id": "one", "name": "Rex"}])))
    with pytest.raises(ResponseValidationError) as caught:
        send(LIST_PETS, {})
    error = caught.value
    assert [e["loc"] for e in error.errors] == [(0, "id")]
    assert error.response.data == [{"id": "one", "name": "Rex"}]
    assert error.status_code == 200
    assert isinstance(error.__cause__, pydantic.ValidationError)
    assert (
        "list_pets: GET https://api.test/v1/pets -> 200: the body does not match list[Pet]"
        in str(error)
    )


def test_an_error_body_that_does_not_match_is_still_a_status_error(
    connect: Callable[..., Send],
) -> None:
    # A proxy's HTML page, or a server's problem+json, where the spec declares a model.
    send = connect(
        Recorder(answer(404, text="<h1>Not Found</h1>", headers={"content-type": "text/html"}))
    )
    with pytest.raises(UnexpectedStatusError) as caught:
        send(DELETE_PET, {"pet_id": 1})
    assert isinstance(caught.value, ApiStatusError)
    assert caught.value.status_code == 404
    assert caught.value.body == "<h1>Not Found</h1>"
    assert caught.value.validation_errors
    assert "does not match the declared schema" in str(caught.value)


def test_a_success_body_that_does_not_match_raises_a_validation_error(
    connect: Callable[..., Send],
) -> None:
    send = connect(Recorder(answer(200, json=[{"id": "not a number"}])))
    with pytest.raises(ResponseValidationError) as caught:
        send(LIST_PETS, {})
    assert caught.value.response.data == [{"id": "not a number"}]


def fail_with(error: httpx.RequestError) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler


def test_a_timeout_raises_request_timeout(connect: Callable[..., Send]) -> None:
    cause = httpx.ReadTimeout("timed out")
    send = connect(Recorder(fail_with(cause)))
    with pytest.raises(RequestTimeout) as caught:
        send(DELETE_PET, {"pet_id": 1})
    assert caught.value.__cause__ is cause
    assert caught.value.request.url == "https://api.test/v1/pets/1"
    assert (
        str(caught.value) == "delete_pet: DELETE https://api.test/v1/pets/1: ReadTimeout: timed out"
    )


@pytest.mark.parametrize(
    "cause",
    [
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("bad"),
        httpx.TooManyRedirects("loop"),
    ],
)
def test_no_response_raises_a_transport_error(
    connect: Callable[..., Send], cause: httpx.RequestError
) -> None:
    send = connect(Recorder(fail_with(cause)))
    with pytest.raises(TransportError) as caught:
        send(DELETE_PET, {"pet_id": 1})
    assert not isinstance(caught.value, RequestTimeout)
    assert caught.value.__cause__ is cause


# Owning the httpx client


def test_a_supplied_client_keeps_its_own_base_url_headers_and_stays_open() -> None:
    recorder = Recorder(answer(204))
    http_client = httpx.Client(
        base_url="https://other.test/api",
        headers={"X-Tenant": "t1"},
        transport=httpx.MockTransport(recorder),
    )
    core = ClientCore("", http_client=http_client)
    core.send(DELETE_PET, {"pet_id": 3})
    core.close()
    assert str(recorder.last.url) == "https://other.test/api/pets/3"
    assert recorder.last.headers["X-Tenant"] == "t1"
    assert not http_client.is_closed
    http_client.close()


def test_a_supplied_async_client_stays_open() -> None:
    http_client = httpx.AsyncClient(transport=httpx.MockTransport(answer(204)))
    core = AsyncClientCore("https://api.test", http_client=http_client)
    asyncio.run(core.aclose())
    assert not http_client.is_closed
    asyncio.run(http_client.aclose())


def test_a_core_closes_the_client_it_created() -> None:
    core = ClientCore("https://api.test")
    core.close()
    with pytest.raises(RuntimeError, match="closed"):
        core.send(DELETE_PET, {"pet_id": 1})


def test_an_async_core_closes_the_client_it_created() -> None:
    core = AsyncClientCore("https://api.test")

    async def close_then_send() -> None:
        await core.aclose()
        await core.send(DELETE_PET, {"pet_id": 1})

    with pytest.raises(RuntimeError, match="closed"):
        asyncio.run(close_then_send())


@pytest.mark.parametrize("base_url", ["", "/v1", "api.test/v1"])
def test_a_created_client_needs_an_absolute_base_url(base_url: str) -> None:
    with pytest.raises(ValueError, match="absolute"):
        ClientCore(base_url)
