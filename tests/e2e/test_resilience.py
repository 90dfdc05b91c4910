"""End to end: the generated petstore client's retries, rate limits, hooks, per-call options
and time limits, against servers on 127.0.0.1 that misbehave on purpose."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
import pytest
from e2e.conftest import generated

from specloom_runtime import (
    InvalidRequest,
    RateLimit,
    RequestTimeout,
    RetryPolicy,
    SpecloomError,
    TransportError,
    UnexpectedStatusError,
)
from specloom_runtime.serialization import ParameterValueError
from specloom_runtime.server.testing import serve_in_thread

PET = {"id": 1, "name": "Rex", "created_at": "2024-01-02T03:04:05Z"}
FAST = RetryPolicy(backoff=0.01, jitter=0)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    at: float


class ScriptedServer:
    """An ASGI app answering each request with the next scripted (status, headers, body),
    then with a pet; it notes every request and when it arrived."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], Any]] = []
        self.seen: list[Seen] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        while (await receive()).get("more_body"):
            pass
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        self.seen.append(Seen(scope["method"], scope["path"], headers, time.monotonic()))
        success = 201 if scope["method"] == "POST" else 200
        status, extra, body = self.script.pop(0) if self.script else (success, {}, PET)
        content = json.dumps(body).encode()
        response_headers = [(b"content-type", b"application/json")]
        response_headers += [(k.encode(), v.encode()) for k, v in extra.items()]
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        await send({"type": "http.response.body", "body": content})


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[ScriptedServer, str]]:
    app = ScriptedServer()
    with serve_in_thread(app) as url:
        yield app, url


@pytest.fixture
def scripted(server: tuple[ScriptedServer, str]) -> tuple[ScriptedServer, str]:
    app, url = server
    app.script.clear()
    app.seen.clear()
    return app, url


def test_503_503_200_gives_one_success_after_three_requests(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    app.script += [(503, {}, {"code": 503, "message": "busy"})] * 2
    with petstore.client.Client(base_url=url, retry=FAST) as client:
        pet = client.pets.get_pet(pet_id=1)
    assert pet.name == "Rex"
    assert [seen.path for seen in app.seen] == ["/pets/1"] * 3


def test_a_post_is_retried_only_with_an_idempotency_key(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    new_pet = petstore.models.NewPet(name="Rex")
    app.script.append((503, {}, "busy"))
    with (
        petstore.client.Client(base_url=url, retry=FAST) as client,
        pytest.raises(UnexpectedStatusError) as caught,
    ):
        client.pets.create_pet(body=new_pet)
    assert caught.value.status_code == 503
    assert caught.value.attempts == 1
    assert len(app.seen) == 1

    app.seen.clear()
    app.script += [(503, {}, "busy")] * 2
    keyed = RetryPolicy(backoff=0.01, add_idempotency_key=True)
    with petstore.client.Client(base_url=url, retry=keyed) as client:
        assert client.pets.create_pet(body=new_pet).name == "Rex"
    assert len(app.seen) == 3
    assert len({seen.headers["idempotency-key"] for seen in app.seen}) == 1


def test_a_429_with_retry_after_1_waits_at_least_a_second(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    app.script.append((429, {"Retry-After": "1"}, "slow down"))
    with petstore.client.Client(base_url=url) as client:
        assert client.pets.get_pet(pet_id=1).name == "Rex"
    assert len(app.seen) == 2
    assert app.seen[1].at - app.seen[0].at >= 1.0


def test_retry_none_makes_one_request(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    app.script.append((503, {}, "busy"))
    with (
        petstore.client.Client(base_url=url, retry=None) as client,
        pytest.raises(UnexpectedStatusError, match="503") as caught,
    ):
        client.pets.get_pet(pet_id=1)
    assert caught.value.attempts == 1
    assert len(app.seen) == 1


def test_hooks_see_and_change_requests(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    statuses: list[int] = []

    def sign(request: Any) -> None:
        request.headers["X-Signature"] = f"signed {request.method} {request.url.path}"

    with petstore.client.Client(
        base_url=url,
        request_hooks=[sign],
        response_hooks=[lambda response: statuses.append(response.status_code)],
    ) as client:
        client.pets.get_pet(pet_id=1)
    assert app.seen[0].headers["x-signature"] == "signed GET /pets/1"
    assert statuses == [200]


def test_async_hooks_see_and_change_requests(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted

    async def sign(request: Any) -> None:
        await asyncio.sleep(0)
        request.headers["X-Signature"] = "async"

    async def run() -> None:
        async with petstore.client.AsyncClient(base_url=url, request_hooks=[sign]) as client:
            await client.pets.get_pet(pet_id=1)

    asyncio.run(run())
    assert app.seen[0].headers["x-signature"] == "async"


def test_with_options_does_not_change_the_original(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    with petstore.client.Client(base_url=url, headers={"X-App": "demo"}) as client:
        traced = client.with_options(headers={"X-Trace": "1"}, timeout=2, retry=None)
        assert traced.pets.get_pet(pet_id=1).name == "Rex"
        traced.close()  # shares the connections: closing it closes nothing
        assert client.pets.get_pet(pet_id=1).name == "Rex"
    assert app.seen[0].headers["x-trace"] == "1"
    assert app.seen[0].headers["x-app"] == "demo"
    assert "x-trace" not in app.seen[1].headers
    assert app.seen[1].headers["x-app"] == "demo"


def test_raise_for_status_false_returns_the_declared_error(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    app.script.append((404, {}, {"code": 404, "message": "no pet 7"}))
    with petstore.client.Client(base_url=url, raise_for_status=False) as client:
        response = client.pets.get_pet_with_response(pet_id=7)
    assert response.status_code == 404
    assert response.is_client_error
    assert response.data == petstore.models.Error(code=404, message="no pet 7")
    assert response.url == f"{url}/pets/7"


def test_request_calls_a_path_the_spec_does_not_describe(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    with petstore.client.Client(base_url=url, headers={"X-App": "demo"}) as client:
        response = client.request(
            "GET", "/v2/experimental", params={"q": "x"}, response_type=petstore.models.Pet
        )
    assert response.data.name == "Rex"
    assert response.url == f"{url}/v2/experimental?q=x"
    assert app.seen[0].headers["x-app"] == "demo"


def most_in_any_window(times: list[float], interval: float) -> int:
    ordered = sorted(times)
    return max(
        sum(1 for other in ordered[i:] if other < start + interval)
        for i, start in enumerate(ordered)
    )


LIMIT, INTERVAL = 10, 1.0  # 10 a second
# Measured when requests leave (a request hook runs right after the throttle): the server
# shares this process, so its arrival times also hold its own queueing behind the GIL.


def test_a_rate_limit_holds_for_8_threads(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    limits = [RateLimit("get_pet", limit=LIMIT, interval=INTERVAL)]
    sent: list[float] = []
    hooks = [lambda request: sent.append(time.monotonic())]
    with petstore.client.Client(base_url=url, rate_limits=limits, request_hooks=hooks) as client:

        def caller() -> None:
            for _ in range(3):
                client.pets.get_pet(pet_id=1)

        threads = [threading.Thread(target=caller) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(app.seen) == 24
    assert most_in_any_window(sent, INTERVAL) <= LIMIT * 1.1
    # 24 calls at 10 a second: the last ones go in the third second.
    assert max(sent) - min(sent) >= 2 * INTERVAL * 0.99


def test_a_rate_limit_holds_for_25_tasks(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    limits = [RateLimit("*", limit=LIMIT, interval=INTERVAL)]
    sent: list[float] = []

    def note_departure(request: Any) -> None:
        sent.append(time.monotonic())

    async def run() -> None:
        async with petstore.client.AsyncClient(
            base_url=url, rate_limits=limits, request_hooks=[note_departure]
        ) as client:
            await asyncio.gather(*(client.pets.get_pet(pet_id=n) for n in range(25)))

    asyncio.run(run())
    assert len(app.seen) == 25
    assert most_in_any_window(sent, INTERVAL) <= LIMIT * 1.1
    assert max(sent) - min(sent) >= 2 * INTERVAL * 0.99


class CountingThrottle:
    """Wraps a client's throttle to count how often a waiting call wakes to check its turn."""

    def __init__(self, core: Any) -> None:
        self.wakeups = 0
        throttle = core._throttle
        ready = throttle.ready

        def counted(ticket: Any) -> float:
            self.wakeups += 1
            wait: float = ready(ticket)
            return wait

        throttle.ready = counted


MANY = 50


def test_a_rate_limit_holds_for_50_threads_without_polling(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    limits = [RateLimit("*", limit=20, interval=INTERVAL)]
    sent: list[float] = []
    with petstore.client.Client(
        base_url=url, rate_limits=limits, request_hooks=[lambda r: sent.append(time.monotonic())]
    ) as client:
        counter = CountingThrottle(client._core)
        threads = [
            threading.Thread(target=client.pets.get_pet, kwargs={"pet_id": n}) for n in range(MANY)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert len(app.seen) == MANY
    assert most_in_any_window(sent, INTERVAL) <= 20 * 1.1
    # Each of the 30 calls that had to wait sleeps until its turn and checks once, or a few
    # times if calls ahead of it went late; a polling wait would check thousands of times.
    assert counter.wakeups <= 3 * MANY


def test_a_rate_limit_holds_for_50_tasks_without_polling(
    petstore: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    limits = [RateLimit("get_pet", limit=20, interval=INTERVAL)]
    sent: list[float] = []
    wakeups = 0

    async def run() -> None:
        nonlocal wakeups
        async with petstore.client.AsyncClient(
            base_url=url,
            rate_limits=limits,
            request_hooks=[lambda r: sent.append(time.monotonic())],
        ) as client:
            counter = CountingThrottle(client._core)
            await asyncio.gather(*(client.pets.get_pet(pet_id=n) for n in range(MANY)))
            wakeups = counter.wakeups

    asyncio.run(run())
    assert len(app.seen) == MANY
    assert most_in_any_window(sent, INTERVAL) <= 20 * 1.1
    assert wakeups <= 3 * MANY


class SocketServer:
    """A raw TCP server on 127.0.0.1 handing each connection to the next handler."""

    def __init__(self, *handlers: Callable[[socket.socket], None]) -> None:
        self.handlers = list(handlers)
        self.connections = 0
        self.closing = False
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            connection, _ = self.listener.accept()
            if self.closing or not self.handlers:
                connection.close()
                return
            self.connections += 1
            handler = self.handlers.pop(0)
            threading.Thread(target=self._handle, args=(handler, connection), daemon=True).start()

    @staticmethod
    def _handle(handler: Callable[[socket.socket], None], connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            with contextlib.suppress(OSError):  # the client may hang up first
                handler(connection)

    def close(self) -> None:
        self.closing = True
        socket.create_connection(self.listener.getsockname()).close()  # wake accept()
        self.thread.join(5)
        self.listener.close()


def reset_mid_body(connection: socket.socket) -> None:
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"
        b'{"id": 1, "na'
    )
    # Linger 0: closing sends a TCP reset instead of a clean end of stream.
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def full_pet(connection: socket.socket) -> None:
    body = json.dumps(PET).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
    connection.sendall(head.encode() + b"Connection: close\r\n\r\n" + body)


def full_created_pet(connection: socket.socket) -> None:
    body = json.dumps(PET).encode()
    head = f"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    connection.sendall(head.encode() + b"\r\nConnection: close\r\n\r\n" + body)


def test_a_connection_reset_mid_response_is_retried_for_a_get(petstore: ModuleType) -> None:
    server = SocketServer(reset_mid_body, full_pet)
    try:
        with petstore.client.Client(base_url=server.url, retry=FAST) as client:
            assert client.pets.get_pet(pet_id=1).name == "Rex"
    finally:
        server.close()
    assert server.connections == 2


def test_a_connection_reset_mid_response_is_not_repeated_for_a_post(petstore: ModuleType) -> None:
    server = SocketServer(reset_mid_body, full_created_pet)
    try:
        with (
            petstore.client.Client(base_url=server.url, retry=FAST) as client,
            pytest.raises(TransportError) as caught,
        ):
            client.pets.create_pet(body=petstore.models.NewPet(name="Rex"))
    finally:
        server.close()
    assert caught.value.attempts == 1
    assert server.connections == 1


def trickle(connection: socket.socket) -> None:
    connection.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n"
    )
    for _ in range(100):
        time.sleep(0.2)
        connection.sendall(b" ")


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_a_trickling_server_cannot_hold_a_call_past_its_timeout(
    petstore: ModuleType, flavour: str
) -> None:
    server = SocketServer(trickle)
    try:
        if flavour == "sync":
            with (
                petstore.client.Client(base_url=server.url, timeout=1, retry=None) as client,
                pytest.raises(RequestTimeout),
            ):
                client.pets.get_pet(pet_id=1)
        else:

            async def run() -> None:
                async with petstore.client.AsyncClient(
                    base_url=server.url, deadline=1, retry=None
                ) as client:
                    await client.pets.get_pet(pet_id=1)

            with pytest.raises(RequestTimeout):
                asyncio.run(run())
    finally:
        server.close()


def silent(connection: socket.socket) -> None:
    """Read the request, then answer nothing for 10 s."""
    time.sleep(10)


@pytest.mark.parametrize("how", ["client", "with_options"])
def test_the_timeout_applies_with_a_users_http_client(petstore: ModuleType, how: str) -> None:
    server = SocketServer(silent)
    try:
        own = httpx.Client(timeout=None)  # would wait forever
        if how == "client":
            client = petstore.client.Client(
                base_url=server.url, http_client=own, timeout=0.5, retry=None
            )
        else:
            client = petstore.client.Client(
                base_url=server.url, http_client=own, retry=None
            ).with_options(timeout=0.5)
        with pytest.raises(RequestTimeout) as caught:
            client.pets.get_pet(pet_id=1)
        assert caught.value.attempts == 1
        assert not own.is_closed  # the user's client stays theirs
        own.close()
    finally:
        server.close()


def test_the_timeout_applies_with_a_users_async_http_client(petstore: ModuleType) -> None:
    server = SocketServer(silent)

    async def run() -> None:
        async with httpx.AsyncClient(timeout=None) as own:
            client = petstore.client.AsyncClient(
                base_url=server.url, http_client=own, retry=None
            ).with_options(timeout=0.5)
            await client.pets.get_pet(pet_id=1)

    try:
        with pytest.raises(RequestTimeout):
            asyncio.run(run())
    finally:
        server.close()


HEADERS_SPEC = """
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes/{noteId}:
    get:
      operationId: getNote
      tags: [notes]
      parameters:
        - {name: noteId, in: path, required: true, schema: {type: string}}
        - {name: X-Author, in: header, schema: {type: string}}
        - name: X-Meta
          in: header
          content: {application/json: {schema: {type: object}}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        "200":
          description: The note.
          content: {application/json: {schema: {type: object}}}
"""


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    spec = tmp_path_factory.mktemp("notes") / "notes.yaml"
    spec.write_text(HEADERS_SPEC, encoding="utf-8")
    yield from generated(spec, "e2e_notes", tmp_path_factory)


def test_arguments_that_cannot_be_sent_raise_specloom_errors(
    notes: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    with notes.client.Client(base_url=url) as client:
        with pytest.raises(InvalidRequest, match=r"parameter 'x_author' \(header 'X-Author'\)"):
            client.notes.get_note(note_id="1", x_author="Zoë")
        with pytest.raises(InvalidRequest, match="InvalidURL") as caught:
            client.request("GET", "/notes/a\x00b")
        assert isinstance(caught.value, SpecloomError)
        with pytest.raises(InvalidRequest, match="UnicodeEncodeError"):
            client.with_options(headers={"X-Author": "Zoë"}).notes.get_note(note_id="1")
        assert app.seen == []  # nothing was sent
        # In a path parameter, a NUL is percent-encoded like any other character.
        client.notes.get_note(note_id="a\x00b", x_author="Zoe")
    assert app.seen[0].path == "/notes/a\x00b"
    assert app.seen[0].headers["x-author"] == "Zoe"


def test_non_ascii_header_values_are_refused_by_name_before_sending(
    notes: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    expected = (
        r"get_note: cannot send the request: .*parameter 'x_author' \(header 'X-Author'\): "
        r"'Zoë' is not ASCII text \('ë' at 2\).*percent-encode.*content"
    )
    with notes.client.Client(base_url=url) as client:
        with pytest.raises(InvalidRequest, match=expected) as caught:
            client.notes.get_note(note_id="1", x_author="Zoë")
        assert isinstance(caught.value.__cause__, ParameterValueError)

    async def run() -> None:
        async with notes.client.AsyncClient(base_url=url) as client:
            with pytest.raises(InvalidRequest, match=expected):
                await client.notes.get_note(note_id="1", x_author="Zoë")

    asyncio.run(run())
    assert app.seen == []


def test_non_ascii_text_goes_in_json_header_content_and_in_cookies(
    notes: ModuleType, scripted: tuple[ScriptedServer, str]
) -> None:
    app, url = scripted
    with notes.client.Client(base_url=url) as client:
        client.notes.get_note(note_id="1", x_meta={"author": "Zoë 日本"}, session="Zoë")
    headers = app.seen[0].headers
    assert json.loads(headers["x-meta"]) == {"author": "Zoë 日本"}
    assert headers["cookie"] == "session=Zo%C3%AB"
