"""Reading a response body within a size limit and, for sync clients, a time limit.

httpx's own timeouts bound each network read, not the whole body; a server that sends one
byte a second would hold a call for as long as it likes. The body is read through a
wrapper of the response's stream that counts the bytes and watches the clock.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import httpx

__all__ = ["BodyTooLarge", "aread_body", "read_body"]


class BodyTooLarge(Exception):
    """The body has more bytes than allowed (raised while reading it)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        super().__init__(f"the body is larger than {max_size} bytes")


def read_body(response: httpx.Response, max_size: int | None, not_after: float | None) -> None:
    """Read the body of a streamed `response`, in at most `max_size` bytes and, as far as
    one network read allows, before `time.monotonic()` reaches `not_after`.

    Raises `BodyTooLarge`, or `httpx.ReadTimeout` when the time is up; the response is
    closed either way.
    """
    try:
        if _needs_watching(response, max_size, not_after):
            stream = response.stream
            assert isinstance(stream, httpx.SyncByteStream)
            response.stream = _WatchedStream(stream, response.request, max_size, not_after)
        response.read()  # closes the response once read
    except BaseException:
        response.close()
        raise


async def aread_body(response: httpx.Response, max_size: int | None) -> None:
    """Read the body of a streamed `response` in at most `max_size` bytes.

    Async calls bound their time with a cancel scope instead. Raises `BodyTooLarge`; the
    response is closed either way.
    """
    try:
        if _needs_watching(response, max_size, None):
            stream = response.stream
            assert isinstance(stream, httpx.AsyncByteStream)
            response.stream = _AsyncWatchedStream(stream, max_size)
        await response.aread()  # closes the response once read
    except BaseException:
        await response.aclose()
        raise


def _needs_watching(
    response: httpx.Response, max_size: int | None, not_after: float | None
) -> bool:
    """False when a `Content-Length` within the limit (which the connection enforces) and
    no time limit leave nothing to watch; `BodyTooLarge` when it is over the limit."""
    if not_after is not None:
        return True
    if max_size is None:
        return False
    length = response.headers.get("content-length")
    if length is None or not length.isdigit():
        return True
    if int(length) > max_size:
        raise BodyTooLarge(max_size)
    return False


class _WatchedStream(httpx.SyncByteStream):
    def __init__(
        self,
        stream: httpx.SyncByteStream,
        request: httpx.Request,
        max_size: int | None,
        not_after: float | None,
    ) -> None:
        self._stream = stream
        self._request = request
        self._max_size = max_size
        self._not_after = not_after

    def __iter__(self) -> Iterator[bytes]:
        size = 0
        for chunk in self._stream:
            size += len(chunk)
            if self._max_size is not None and size > self._max_size:
                raise BodyTooLarge(self._max_size)
            if self._not_after is not None and time.monotonic() > self._not_after:
                raise httpx.ReadTimeout(
                    "the response took longer than allowed", request=self._request
                )
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _AsyncWatchedStream(httpx.AsyncByteStream):
    def __init__(self, stream: httpx.AsyncByteStream, max_size: int | None) -> None:
        self._stream = stream
        self._max_size = max_size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size = 0
        async for chunk in self._stream:
            size += len(chunk)
            if self._max_size is not None and size > self._max_size:
                raise BodyTooLarge(self._max_size)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()
