"""Streamed bodies, item by item: server-sent events (`text/event-stream`) and JSON lines
(`application/jsonl`, `application/x-ndjson`; OpenAPI 3.2 `itemSchema`).

A generated server's handler for such an operation returns an async iterator (or any
iterable) of items; each is sent as soon as it is produced, checked against the item type.
An SSE item may be a `ServerSentEvent` to set its `event`, `id` or `retry`. A generated
client's method returns an iterator (sync) or async iterator of parsed items, each
yielded as it arrives:

```python
async def watch(self) -> AsyncIterator[Event]:        # server
    async for event in bus.subscribe():
        yield event

for event in client.events.watch():                    # client
    print(event.kind)
```
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._adapters import adapter_for
from .operation import OperationSpec

if TYPE_CHECKING:
    from .client import AsyncClientCore, ClientCore

__all__ = ["ServerSentEvent", "adecode_items", "decode_items", "encode_item"]

StreamKind = Literal["sse", "jsonl"]


@dataclass(frozen=True)
class ServerSentEvent:
    """One server-sent event: its data (an item of the stream's type) and optional fields."""

    data: Any
    event: str | None = None
    id: str | None = None
    retry: int | None = None


def encode_item(item: Any, annotation: Any, kind: StreamKind) -> bytes:
    """One item as it goes on the wire: an SSE event (`data: ...` and a blank line) or one
    JSON line."""
    event = item if isinstance(item, ServerSentEvent) else ServerSentEvent(item)
    data = _item_text(event.data, annotation)
    if kind == "jsonl":
        return data.encode() + b"\n"
    lines = [f"event: {_one_line(event.event)}"] if event.event is not None else []
    lines += [f"id: {_one_line(event.id)}"] if event.id is not None else []
    lines += [f"retry: {event.retry}"] if event.retry is not None else []
    lines += [f"data: {line}" for line in data.split("\n")]
    return ("\n".join(lines) + "\n\n").encode()


def decode_items(lines: Iterable[str], annotation: Any, kind: StreamKind) -> Iterator[Any]:
    """The items of a stream read line by line, each validated as `annotation`."""
    reader = _Reader(annotation, kind)
    for line in lines:
        yield from reader.feed(line)
    yield from reader.feed("")


async def adecode_items(
    lines: AsyncIterator[str], annotation: Any, kind: StreamKind
) -> AsyncIterator[Any]:
    """`decode_items` over an async iterator of lines."""
    reader = _Reader(annotation, kind)
    async for line in lines:
        for item in reader.feed(line):
            yield item
    for item in reader.feed(""):
        yield item


class _Reader:
    def __init__(self, annotation: Any, kind: StreamKind) -> None:
        self.annotation = annotation
        self.kind = kind
        self.data: list[str] = []

    def feed(self, line: str) -> list[Any]:
        line = line.rstrip("\r\n")
        if self.kind == "jsonl":
            return [self._item(line)] if line.strip() else []
        if not line:
            if not self.data:
                return []
            text, self.data = "\n".join(self.data), []
            return [self._item(text)]
        field, _, value = line.partition(":")
        if field == "data":
            self.data.append(value.removeprefix(" "))
        return []

    def _item(self, text: str) -> Any:
        adapter = adapter_for(self.annotation)
        if self.annotation is str:
            return text
        return adapter.validate_json(text)


def _item_text(data: Any, annotation: Any) -> str:
    if annotation is str and isinstance(data, str):
        return data
    return adapter_for(annotation).dump_json(data, by_alias=True, exclude_unset=True).decode()


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def stream_items(
    core: ClientCore, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
) -> Iterator[Any]:
    """Send `operation` and yield each item of its streamed success body as it arrives."""
    success = operation.success
    if success is None or not success.stream:
        raise ValueError(f"{operation.name} does not stream its response")
    with core.stream(operation, args, body) as raw:
        yield from decode_items(raw.iter_lines(), success.annotation, success.stream)


async def astream_items(
    core: AsyncClientCore, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
) -> AsyncIterator[Any]:
    """`stream_items` for the async client."""
    success = operation.success
    if success is None or not success.stream:
        raise ValueError(f"{operation.name} does not stream its response")
    async with core.stream(operation, args, body) as raw:
        async for item in adecode_items(raw.aiter_lines(), success.annotation, success.stream):
            yield item
