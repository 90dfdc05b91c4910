"""`read_body` reads a request body as Starlette's `Request.body()` does, within a limit."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from starlette.requests import ClientDisconnect, Request

from specloom_runtime.server._limits import BodyTooLarge, read_body

Message = dict[str, Any]


def request_of(messages: Sequence[Message], headers: Sequence[tuple[bytes, bytes]] = ()) -> Request:
    pending = list(messages)

    async def receive() -> Message:
        return pending.pop(0)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": list(headers)}
    return Request(scope, receive)


def chunked(chunks: Sequence[bytes]) -> list[Message]:
    last = len(chunks) - 1
    return [
        {"type": "http.request", "body": chunk, "more_body": index < last}
        for index, chunk in enumerate(chunks)
    ]


@given(st.lists(st.binary(max_size=20), min_size=1, max_size=6))
def test_any_chunking_reads_as_starlette_reads_it(chunks: list[bytes]) -> None:
    ours = request_of(chunked(chunks))
    theirs = request_of(chunked(chunks))

    body = asyncio.run(read_body(ours, 1000))

    assert body == asyncio.run(theirs.body()) == b"".join(chunks)
    assert asyncio.run(ours.body()) == body  # kept for the handler and later readers


def test_a_body_over_the_limit_stops_the_reading() -> None:
    request = request_of(chunked([b"x" * 60, b"x" * 60, b"never read"]))

    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 100))


def test_a_declared_length_over_the_limit_reads_nothing() -> None:
    request = request_of([], headers=[(b"content-length", b"101")])

    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 100))


def test_a_body_a_check_has_read_is_used_and_still_limited() -> None:
    request = request_of(chunked([b'{"name": ', b'"Rex"}']))
    asyncio.run(request.body())  # as a verifier reading the body would

    assert asyncio.run(read_body(request, 100)) == b'{"name": "Rex"}'
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body(request, 10))


def test_a_stream_consumed_without_keeping_the_body_is_an_error_as_in_starlette() -> None:
    request = request_of(chunked([b"abc"]))

    async def drain() -> None:
        async for _ in request.stream():
            pass

    asyncio.run(drain())
    with pytest.raises(RuntimeError, match="Stream consumed"):
        asyncio.run(read_body(request, 100))


def test_a_client_gone_before_the_end_is_a_disconnect() -> None:
    request = request_of(
        [{"type": "http.request", "body": b"ab", "more_body": True}, {"type": "http.disconnect"}]
    )

    with pytest.raises(ClientDisconnect):
        asyncio.run(read_body(request, 100))
    assert asyncio.run(request.is_disconnected())
