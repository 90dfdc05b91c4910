"""How large a request body may be: a default per app, and `max_body_size` per operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from starlette.requests import ClientDisconnect, Request

DEFAULT_MAX_BODY_SIZE = 1024 * 1024
"""1 MiB: larger request bodies answer 413 unless the app or the operation allows more."""

_LIMIT_ATTRIBUTE = "__specloom_max_body_size__"

MethodT = TypeVar("MethodT", bound=Callable[..., Any])


class BodyTooLarge(Exception):
    """A request body over its limit."""


def max_body_size(limit: int) -> Callable[[MethodT], MethodT]:
    """Let one operation take request bodies of up to `limit` bytes (the app's default else).

    ```python
    class Files(FilesApi):
        @max_body_size(100 * 1024 * 1024)
        async def upload_file(self, *, body: UploadFileBody) -> FileInfo: ...
    ```
    """
    if limit < 0:
        raise ValueError(f"a body size limit cannot be negative: {limit}")

    def mark(method: MethodT) -> MethodT:
        setattr(method, _LIMIT_ATTRIBUTE, limit)
        return method

    return mark


def body_size_limit(handler: object, default: int) -> int:
    """The limit a handler was marked with by `max_body_size`, else `default`."""
    limit = getattr(handler, _LIMIT_ATTRIBUTE, None)
    return limit if isinstance(limit, int) else default


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; BodyTooLarge as soon as it is known to be over `limit` bytes.

    A `Content-Length` over the limit is refused before anything is read. The body is read
    as `Request.stream()` reads it, straight from the ASGI messages (its async generator
    costs more than the rest of this), and kept where `await request.body()` finds it.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    if hasattr(request, "_body"):  # read already, by a check
        kept: bytes = request._body
        if len(kept) > limit:
            raise BodyTooLarge
        return kept
    if request._stream_consumed:
        raise RuntimeError("Stream consumed")
    chunks: list[bytes] = []
    size = 0
    receive = request.receive
    while True:
        message = await receive()
        if message["type"] == "http.request":
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        elif message["type"] == "http.disconnect":
            request._is_disconnected = True
            raise ClientDisconnect()
    request._stream_consumed = True
    body = b"".join(chunks)
    request._body = body  # later `await request.body()` calls see it
    return body
