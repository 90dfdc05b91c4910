"""Client and server agree: what the client core sends is what the handler receives.

A generated-style app is served in process over `httpx.ASGITransport` (requests sent with
`AsyncClientCore`, as that transport is async) and over a real socket by uvicorn (requests
sent with `ClientCore`); every test runs against both.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.types import ASGIApp, Message

from specloom_runtime.client import AsyncClientCore, ClientCore
from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server import NotImplementedOperation, build_app
from specloom_runtime.server.testing import serve_in_thread

# The generated package, in miniature: models, _operations.py, server.py.


class Name(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_name: str = Field(alias="firstName")
    nicknames: list[str] = []


class Filter(BaseModel):
    role: str
    name: Name
    tags: list[str] = []
    limits: dict[str, int] = {}


def _echo(name: str, path: str, param: ParamSpec, annotation: Any) -> OperationSpec:
    return OperationSpec(
        name=name,
        method="GET",
        path=path,
        params=(param,),
        responses=(ResponseSpec(status="200", annotation=annotation, is_success=True),),
        tags=("items",),
    )


GET_ITEM = _echo(
    "get_item",
    "/items/{item-id}/detail",
    ParamSpec(name="item_id", wire_name="item-id", location="path", annotation=str, required=True),
    str,
)
GET_PARTS = _echo(
    "get_parts",
    "/parts/{parts}",
    ParamSpec(
        name="parts", wire_name="parts", location="path", annotation=list[str], required=True
    ),
    list[str],
)
GET_LABELS = _echo(
    "get_labels",
    "/labels/{labels}",
    ParamSpec(
        name="labels",
        wire_name="labels",
        location="path",
        annotation=dict[str, str],
        required=True,
        style="matrix",
        explode=True,
    ),
    dict[str, str],
)
GET_QUOTED = _echo(
    "get_quoted",
    '/quoted/"hi"/é/{word}',
    ParamSpec(name="word", wire_name="word", location="path", annotation=str, required=True),
    str,
)
SEARCH = _echo(
    "search",
    "/search",
    ParamSpec(
        name="filter",
        wire_name="filter",
        location="query",
        annotation=Filter,
        required=True,
        style="deepObject",
        explode=True,
    ),
    Filter,
)
SEARCH_ANY = _echo(
    "search_any",
    "/search-any",
    ParamSpec(
        name="filter",
        wire_name="filter",
        location="query",
        annotation=dict[str, dict[str, str]],
        required=True,
        style="deepObject",
        explode=True,
    ),
    dict[str, dict[str, str]],
)


class ItemsApi:
    """Subclass it and override the operations you implement; the others answer 501."""

    operations: ClassVar[tuple[OperationSpec, ...]] = (
        GET_ITEM,
        GET_PARTS,
        GET_LABELS,
        GET_QUOTED,
        SEARCH,
        SEARCH_ANY,
    )

    async def get_item(self, *, item_id: str) -> str:
        raise NotImplementedOperation("get_item")

    async def get_parts(self, *, parts: list[str]) -> list[str]:
        raise NotImplementedOperation("get_parts")

    async def get_labels(self, *, labels: dict[str, str]) -> dict[str, str]:
        raise NotImplementedOperation("get_labels")

    async def get_quoted(self, *, word: str) -> str:
        raise NotImplementedOperation("get_quoted")

    async def search(self, *, filter: Filter) -> Filter:
        raise NotImplementedOperation("search")

    async def search_any(self, *, filter: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        raise NotImplementedOperation("search_any")


def create_app(*implementations: ItemsApi) -> Starlette:
    return build_app(implementations, (ItemsApi,))


class Items(ItemsApi):
    """Answers every operation with what it received."""

    async def get_item(self, *, item_id: str) -> str:
        return item_id

    async def get_parts(self, *, parts: list[str]) -> list[str]:
        return parts

    async def get_labels(self, *, labels: dict[str, str]) -> dict[str, str]:
        return labels

    async def get_quoted(self, *, word: str) -> str:
        return word

    async def search(self, *, filter: Filter) -> Filter:
        return filter

    async def search_any(self, *, filter: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        return filter


# Serving it, in process and over a socket.


@dataclass(frozen=True)
class Served:
    """The app being served, and the ways a test talks to it."""

    send: Callable[[OperationSpec, Mapping[str, Any]], Any]
    """Send an operation with a client core; the decoded body of its success."""
    request: Callable[[str, str], httpx.Response]
    """A plain httpx request: method and (encoded) path."""
    get_raw: Callable[[bytes], tuple[int, Any]]
    """GET a request target exactly as given, unnormalized: status and JSON body."""


@pytest.fixture(scope="module", params=["asgi", "uvicorn"])
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    app = create_app(Items())
    if request.param == "asgi":
        yield from _in_process(app)
    else:
        yield from _over_socket(app)


def _in_process(app: ASGIApp) -> Iterator[Served]:
    base_url = "http://testserver"
    http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url=base_url)
    core = AsyncClientCore(base_url, http_client=http_client)
    yield Served(
        send=lambda operation, args: asyncio.run(core.send(operation, args)).data,
        request=lambda method, path: asyncio.run(http_client.request(method, path)),
        get_raw=lambda target: asyncio.run(_call_asgi(app, target)),
    )
    asyncio.run(http_client.aclose())


def _over_socket(app: ASGIApp) -> Iterator[Served]:
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url) as http_client:
        core = ClientCore(base_url, http_client=http_client)
        yield Served(
            send=lambda operation, args: core.send(operation, args).data,
            request=lambda method, path: http_client.request(method, path),
            get_raw=lambda target: _get_over_socket(base_url, target),
        )


async def _call_asgi(app: ASGIApp, target: bytes) -> tuple[int, Any]:
    """Call the app with the scope an ASGI server builds for `GET target`."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": unquote(target.decode("ascii")),
        "raw_path": target,
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
    }
    await app(scope, receive, send)
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return sent[0]["status"], json.loads(body)


def _get_over_socket(base_url: str, target: bytes) -> tuple[int, Any]:
    address = urlsplit(base_url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(
            b"GET " + target + b" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"
        )
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body)


# Path parameters.


@pytest.mark.parametrize(
    "value",
    [
        "a/b?c",
        "a%2Fb",
        "100%",
        "50% off #1",
        "x&y=z;w,v",
        "über café ☕",
        ".",
        "..",
        "../..",
        "a b",
    ],
)
def test_path_values_arrive_as_the_client_sent_them(served: Served, value: str) -> None:
    assert served.send(GET_ITEM, {"item_id": value}) == value


def test_array_items_keep_encoded_commas(served: Served) -> None:
    parts = ["a,b", "c/d", "%2C", "e"]

    assert served.send(GET_PARTS, {"parts": parts}) == parts


def test_matrix_objects_keep_encoded_delimiters(served: Served) -> None:
    labels = {"k=1;x": "v=2;y", "a,b": "", "€": "/"}

    assert served.send(GET_LABELS, {"labels": labels}) == labels


def test_literal_segments_match_encoded_or_not(served: Served) -> None:
    assert served.send(GET_QUOTED, {"word": '"hi"/é'}) == '"hi"/é'
    assert served.get_raw(b'/quoted/"hi"/%C3%A9/x%2Fy') == (200, "x/y")
    assert served.get_raw(b"/quoted/%22hi%22/%c3%a9/x") == (200, "x")


@settings(deadline=None)  # some examples travel over a real socket
@given(st.text(min_size=1))
def test_any_text_path_value_round_trips(served: Served, value: str) -> None:
    assert served.send(GET_ITEM, {"item_id": value}) == value


@settings(deadline=None)
@given(st.lists(st.text(), min_size=1).filter(lambda parts: parts != [""]))
def test_any_text_array_items_round_trip(served: Served, parts: list[str]) -> None:
    assert served.send(GET_PARTS, {"parts": parts}) == parts


# What did not change: HEAD, unknown paths, other methods, trailing slashes.


def test_head_is_answered_like_get_without_a_body(served: Served) -> None:
    get = served.request("GET", "/items/a%2Fb/detail")
    head = served.request("HEAD", "/items/a%2Fb/detail")

    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-type"] == get.headers["content-type"] == "application/json"
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize(
    "path", ["/nowhere", "/items/a%2Fb", "/items/a/b/detail", "/items/a%2F/detail/x"]
)
def test_a_path_matching_no_route_is_404_problem(served: Served, path: str) -> None:
    response = served.request("GET", path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not Found",
    }


def test_head_of_an_unknown_path_is_404_without_a_body(served: Served) -> None:
    response = served.request("HEAD", "/nowhere")

    assert (response.status_code, response.content) == (404, b"")


def test_another_method_is_405_with_allow(served: Served) -> None:
    response = served.request("POST", "/items/a%2Fb/detail")

    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == {"GET", "HEAD"}


def test_a_trailing_slash_redirects_to_the_route(served: Served) -> None:
    response = served.request("GET", "/search/")

    assert response.status_code == 307
    assert response.headers["location"].endswith("/search")


# deepObject query parameters.


def test_nested_deep_objects_round_trip(served: Served) -> None:
    sent = Filter(
        role="admin",
        name=Name.model_validate({"first_name": "Alex", "nicknames": ["Al", "Lex [x]"]}),
        tags=["a&b", "c=d"],
        limits={"daily": 5, "hourly": 1},
    )

    assert served.send(SEARCH, {"filter": sent}) == sent


def test_a_nested_deep_object_missing_a_required_field_is_400(served: Served) -> None:
    response = served.request("GET", "/search?filter[role]=admin&filter[name][nicknames]=Al")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"in": "query", "name": "filter", "message": "name.firstName: Field required"}
    ]


bracket_free = st.text().filter(lambda key: "[" not in key and "]" not in key)


@settings(deadline=None)
@given(
    st.dictionaries(bracket_free, st.dictionaries(bracket_free, st.text(), min_size=1), min_size=1)
)
def test_any_nested_deep_object_round_trips(
    served: Served, value: dict[str, dict[str, str]]
) -> None:
    assert served.send(SEARCH_ANY, {"filter": value}) == value
