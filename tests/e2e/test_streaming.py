"""End to end: streamed responses (server-sent events, JSON lines) from an async generator
in the handler to an iterator of parsed items in the generated client."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

import anyio.to_thread
import httpx
import pytest

from specloom_runtime.errors import UnexpectedStatusError
from specloom_runtime.server import Forbidden
from specloom_runtime.server.testing import serve_in_thread
from specloom_runtime.streaming import ServerSentEvent


def events_api(service: ModuleType, first_seen: threading.Event, log: list[str]) -> Any:
    Event = service.models.Event

    class Events(service.server.EventsApi):  # type: ignore[misc, name-defined]
        async def watch_events(self, *, topic: str | None = None) -> AsyncIterator[Any]:
            yield Event(seq=1, kind="created")
            # The client has the first event before the second one exists.
            seen = await anyio.to_thread.run_sync(first_seen.wait, 10)
            log.append(f"client had the first event: {seen}")
            yield ServerSentEvent(Event(seq=2, kind="deleted"), event="change", id="2")

        async def export_events(self) -> Any:
            return [Event(seq=n, kind="created") for n in range(3)]

    return Events()


def test_events_reach_the_sync_client_as_they_are_sent(service: ModuleType) -> None:
    first_seen, log = threading.Event(), []
    app = service.server.create_app(events_api(service, first_seen, log))

    received = []
    with serve_in_thread(app) as url, service.client.Client(base_url=url) as client:
        for event in client.events.watch_events(topic="pets"):
            received.append(event)
            first_seen.set()

    Event = service.models.Event
    assert received == [Event(seq=1, kind="created"), Event(seq=2, kind="deleted")]
    assert log == ["client had the first event: True"]


def test_the_wire_format_of_events_and_json_lines(service: ModuleType) -> None:
    first_seen = threading.Event()
    first_seen.set()
    app = service.server.create_app(events_api(service, first_seen, []))

    async def get(path: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            return await client.get(path)

    events = asyncio.run(get("/events"))
    lines = asyncio.run(get("/events/export"))

    assert events.headers["content-type"].startswith("text/event-stream")
    assert events.text == (
        'data: {"seq":1,"kind":"created"}\n\n'
        'event: change\nid: 2\ndata: {"seq":2,"kind":"deleted"}\n\n'
    )
    assert lines.headers["content-type"].startswith("application/jsonl")
    assert lines.text.splitlines() == [f'{{"seq":{n},"kind":"created"}}' for n in range(3)]


def test_the_async_client_iterates_over_json_lines(service: ModuleType) -> None:
    app = service.server.create_app(events_api(service, threading.Event(), []))

    async def scenario() -> list[int]:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with service.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            return [event.seq async for event in client.events.export_events()]

    assert asyncio.run(scenario()) == [0, 1, 2]


def test_a_status_raised_before_the_first_item_is_the_answer(service: ModuleType) -> None:
    class Events(service.server.EventsApi):  # type: ignore[misc, name-defined]
        async def watch_events(self, *, topic: str | None = None) -> AsyncIterator[Any]:
            if topic == "secret":
                raise Forbidden(None)
            yield service.models.Event(seq=1, kind="created")

    app = service.server.create_app(Events())
    with serve_in_thread(app) as url, service.client.Client(base_url=url) as client:
        with pytest.raises(UnexpectedStatusError) as raised:
            list(client.events.watch_events(topic="secret"))
        assert [event.seq for event in client.events.watch_events(topic="open")] == [1]

    assert raised.value.status_code == 403
