"""Hooks, per-call options, raise_for_status, request(...), time and size limits, and
arguments that cannot be sent: both cores on a mock transport."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from specloom_runtime import (
    AsyncClientCore,
    ClientCore,
    DeclaredStatusError,
    InvalidRequest,
    RequestTimeout,
    ResponseTooLarge,
    ResponseValidationError,
    SpecloomError,
    UnexpectedStatusError,
)
from specloom_runtime.client import AsyncClientBase, ClientBase
from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec


class Pet(BaseModel):
    id: int
    name: str


class Error(BaseModel):
    code: int
    message: str


GET_PET = OperationSpec(
    name="get_pet",
    method="GET",
    path="/pets/{petId}",
    params=(
        ParamSpec(name="pet_id", wire_name="petId", location="path", annotation=str),
        ParamSpec(name="x_tag", wire_name="X-Tag", location="header", annotation=str),
    ),
    responses=(
        ResponseSpec(status="200", annotation=Pet, is_success=True),
        ResponseSpec(status="404", annotation=Error),
    ),
)
REX: dict[str, Any] = {"id": 1, "name": "Rex"}
MISSING: dict[str, Any] = {"code": 404, "message": "no such pet"}


def pets(request: httpx.Request) -> httpx.Response:
    if request.url.path.endswith("/404"):
        return httpx.Response(404, json=MISSING)
    if request.url.path.endswith("/500"):
        return httpx.Response(500, text="oops")
    return httpx.Response(200, json=REX)


class Client(ClientBase):
    """A client as generated, with one service-less core."""

    def __init__(self, handler: Callable[[httpx.Request], httpx.Response], **options: Any):
        transport = httpx.MockTransport(handler)
        core = ClientCore(
            "https://api.test/v1", http_client=httpx.Client(transport=transport), **options
        )
        self._bind(core)


class AsyncClient(AsyncClientBase):
    def __init__(self, handler: Callable[[httpx.Request], httpx.Response], **options: Any):
        transport = httpx.MockTransport(handler)
        core = AsyncClientCore(
            "https://api.test/v1", http_client=httpx.AsyncClient(transport=transport), **options
        )
        self._bind(core)


def test_request_hooks_see_and_change_requests() -> None:
    seen: list[str] = []

    def tag(request: httpx.Request) -> None:
        seen.append(str(request.url))
        request.headers["X-Signed"] = "yes"

    def replace(request: httpx.Request) -> httpx.Request:
        return httpx.Request(
            request.method, request.url.copy_with(path="/v1/pets/7"), headers=request.headers
        )

    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return pets(request)

    client = Client(handler, request_hooks=[tag, replace], retry=None)
    assert client._core.send(GET_PET, {"pet_id": "1"}).data == Pet(**REX)
    assert seen == ["https://api.test/v1/pets/1"]
    assert received[0].headers["X-Signed"] == "yes"
    assert received[0].url.path == "/v1/pets/7"


def test_response_hooks_see_the_raw_response_and_may_replace_it() -> None:
    statuses: list[int] = []

    def note(response: httpx.Response) -> None:
        statuses.append(response.status_code)

    def rewrite(response: httpx.Response) -> httpx.Response:
        return httpx.Response(200, json={"id": 2, "name": "Fido"}, request=response.request)

    client = Client(pets, response_hooks=[note, rewrite])
    assert client._core.send(GET_PET, {"pet_id": "404"}).data == Pet(id=2, name="Fido")
    assert statuses == [404]


def test_hooks_run_on_every_attempt() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json=REX)])
    attempts: list[int] = []
    client = Client(
        lambda request: next(answers),
        request_hooks=[lambda request: attempts.append(1)],
        response_hooks=[lambda response: attempts.append(response.status_code)],
        retry=__import__("specloom_runtime").RetryPolicy(backoff=0.001),
    )
    client._core.send(GET_PET, {"pet_id": "1"})
    assert attempts == [1, 503, 1, 200]


def test_a_hook_that_raises_stops_the_call_with_its_exception() -> None:
    class Refused(Exception):
        pass

    def refuse(request: httpx.Request) -> None:
        raise Refused("no")

    sent: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return pets(request)

    client = Client(keep, request_hooks=[refuse])
    with pytest.raises(Refused):
        client._core.send(GET_PET, {"pet_id": "1"})
    assert sent == []


def test_async_clients_take_sync_and_async_hooks() -> None:
    order: list[str] = []

    def sync_hook(request: httpx.Request) -> None:
        order.append("sync")

    async def async_hook(request: httpx.Request) -> httpx.Request:
        await asyncio.sleep(0)
        order.append("async")
        request.headers["X-Async"] = "1"
        return request

    async def async_response_hook(response: httpx.Response) -> None:
        order.append(f"response {response.status_code}")

    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return pets(request)

    client = AsyncClient(
        handler, request_hooks=[sync_hook, async_hook], response_hooks=[async_response_hook]
    )
    asyncio.run(client._core.send(GET_PET, {"pet_id": "1"}))
    assert order == ["sync", "async", "response 200"]
    assert received[0].headers["X-Async"] == "1"


def test_with_options_changes_a_copy_and_shares_the_connections() -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return pets(request)

    client = Client(handler, headers={"X-App": "a"})
    tuned = client.with_options(timeout=2, headers={"X-Call": "b"}, retry=None)
    assert tuned is not client
    assert tuned._core._http_client is client._core._http_client
    tuned._core.send(GET_PET, {"pet_id": "1"})
    client._core.send(GET_PET, {"pet_id": "1"})
    # A number also bounds the attempt as a whole, so each phase gets what is left of 2 s.
    assert set(received[0].extensions["timeout"]) == {"connect", "read", "write", "pool"}
    assert all(1.5 < value <= 2 for value in received[0].extensions["timeout"].values())
    assert (received[0].headers["X-App"], received[0].headers["X-Call"]) == ("a", "b")
    assert "X-Call" not in received[1].headers
    assert received[1].extensions["timeout"]["read"] == 5.0  # httpx.Client's own default
    assert client._core._settings.retry is not None
    tuned._core.close()
    assert not client._core._http_client.is_closed


def test_raise_for_status_false_returns_declared_error_statuses() -> None:
    client = Client(pets, raise_for_status=False)
    response = client._core.send(GET_PET, {"pet_id": "404"})
    assert response.status_code == 404
    assert response.data == Error(**MISSING)
    assert response.is_client_error
    assert not response.is_success
    with pytest.raises(UnexpectedStatusError):  # a status the spec does not declare
        client.with_options(retry=None)._core.send(GET_PET, {"pet_id": "500"})
    with pytest.raises(DeclaredStatusError):  # the data-returning methods always raise
        client._core.send(GET_PET, {"pet_id": "404"}, raise_for_status=True)


def test_raise_for_status_is_a_per_call_option() -> None:
    client = Client(pets)
    with pytest.raises(DeclaredStatusError):
        client._core.send(GET_PET, {"pet_id": "404"})
    lenient = client.with_options(raise_for_status=False)
    assert lenient._core.send(GET_PET, {"pet_id": "404"}).status_code == 404


def test_request_calls_what_the_spec_does_not_describe() -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json=[REX])

    client = Client(handler, headers={"X-App": "a"})
    response = client.request(
        "POST", "/v2/experimental", params={"q": "x"}, json={"a": 1}, response_type=list[Pet]
    )
    assert response.data == [Pet(**REX)]
    assert response.url == "https://api.test/v1/v2/experimental?q=x"
    assert received[0].headers["X-App"] == "a"
    assert received[0].content == b'{"a":1}'
    untyped = client.request("GET", "/anything")
    assert untyped.data == [REX]


def test_request_maps_failures_to_the_hierarchy() -> None:
    client = Client(lambda request: httpx.Response(418, text="teapot"), retry=None)
    with pytest.raises(
        UnexpectedStatusError, match=re.escape("request: GET https://api.test/v1/x -> 418")
    ):
        client.request("GET", "/x")
    client = Client(lambda request: httpx.Response(200, json={"id": "x"}))
    with pytest.raises(ResponseValidationError):
        client.request("GET", "/x", response_type=Pet)


def test_async_request_and_with_options() -> None:
    client = AsyncClient(lambda request: httpx.Response(200, json=REX))

    async def run() -> Pet:
        response = await client.with_options(timeout=1).request("GET", "/pets/1", response_type=Pet)
        return response.data

    assert asyncio.run(run()) == Pet(**REX)


class Trickle(httpx.SyncByteStream):
    """A body that comes one byte every `pause` seconds, forever."""

    def __init__(self, pause: float) -> None:
        self.pause = pause

    def __iter__(self) -> Iterator[bytes]:
        while True:
            time.sleep(self.pause)
            yield b" "


class AsyncTrickle(httpx.AsyncByteStream):
    def __init__(self, pause: float) -> None:
        self.pause = pause

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            await asyncio.sleep(self.pause)
            yield b" "


def test_a_trickling_body_cannot_outlast_the_timeout() -> None:
    client = Client(
        lambda request: httpx.Response(200, stream=Trickle(0.02)), timeout=0.2, retry=None
    )
    with pytest.raises(RequestTimeout, match="took longer than allowed"):
        client._core.send(GET_PET, {"pet_id": "1"})


def test_a_trickling_body_cannot_outlast_the_deadline_async() -> None:
    client = AsyncClient(
        lambda request: httpx.Response(200, stream=AsyncTrickle(0.02)), deadline=0.2
    )
    with pytest.raises(RequestTimeout) as caught:
        asyncio.run(client._core.send(GET_PET, {"pet_id": "1"}))
    assert caught.value.attempts == 1


class Chunks(httpx.SyncByteStream):
    def __iter__(self) -> Iterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000


class AsyncChunks(httpx.AsyncByteStream):
    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 1000


@pytest.mark.parametrize("declared_length", [True, False])
def test_a_body_over_max_response_size_is_refused(declared_length: bool) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if declared_length:
            return httpx.Response(200, content=b"x" * 100_000)
        return httpx.Response(200, stream=Chunks())

    client = Client(handler, max_response_size=10_000)
    with pytest.raises(ResponseTooLarge, match="larger than max_response_size") as caught:
        client._core.send(GET_PET, {"pet_id": "1"})
    assert caught.value.max_size == 10_000
    assert caught.value.response.is_closed
    assert isinstance(caught.value, SpecloomError)


def test_an_async_body_over_max_response_size_is_refused() -> None:
    client = AsyncClient(
        lambda request: httpx.Response(200, stream=AsyncChunks()), max_response_size=10_000
    )
    with pytest.raises(ResponseTooLarge):
        asyncio.run(client._core.send(GET_PET, {"pet_id": "1"}))
    unlimited = AsyncClient(
        lambda request: httpx.Response(200, stream=AsyncChunks()), max_response_size=None
    )
    with pytest.raises(ResponseValidationError):  # read in full: 100 kB of x is no Pet
        asyncio.run(unlimited._core.send(GET_PET, {"pet_id": "1"}))


def test_arguments_that_cannot_be_sent_raise_invalid_request() -> None:
    sent: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return pets(request)

    client = Client(keep)
    with pytest.raises(
        InvalidRequest,
        match=r"get_pet: cannot send the request: .*parameter 'x_tag' \(header 'X-Tag'\)",
    ):
        client._core.send(GET_PET, {"pet_id": "1", "x_tag": "café"})
    with pytest.raises(InvalidRequest, match="request: cannot send the request: InvalidURL"):
        client.request("GET", "/pets/a\x00b")
    with pytest.raises(InvalidRequest, match="request: cannot send the request: TypeError"):
        client.request("POST", "/pets", json={"when": object()})
    assert sent == []
    # A NUL in a path parameter is percent-encoded, so it reaches the server.
    client._core.send(GET_PET, {"pet_id": "a\x00b"})
    assert sent[0].url.raw_path == b"/v1/pets/a%00b"
