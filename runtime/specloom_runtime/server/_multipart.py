"""Multipart bodies with python-multipart: parsed off the event loop, files kept out of memory.

The body is first spooled (in memory up to `SPOOL_IN_MEMORY` bytes, then to a temporary
file) while its size is checked against the operation's limit; a worker thread then parses
it. File parts (those with a filename) become `UploadedFile`s, each in its own spooled
temporary file; other parts become text (or their JSON value, for a JSON part). Too many
parts, or a field too large, is a malformed body: 400, never a stalled server.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, get_args

import anyio.to_thread
from pydantic_core import from_json
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from ..uploads import UploadedFile
from ._forms import MalformedBody, decode_text
from ._limits import BodyTooLarge
from ._media import is_json, parse_content_type

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

SPOOL_IN_MEMORY = 1024 * 1024
"""Bodies and files larger than this go to a temporary file on disk."""
MAX_PARTS = 1000
"""More parts than this in one body is a 400."""
MAX_FIELD_SIZE = 1024 * 1024
"""A part that is not a file may hold at most this many bytes."""
_CHUNK = 64 * 1024


@dataclass
class Part:
    """One part as parsed: its name, filename, headers and content."""

    headers: dict[str, str] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    content_type: str | None = None
    data: bytearray = field(default_factory=bytearray)
    file: IO[bytes] | None = None
    size: int = 0


async def spool_body(request: Request, limit: int) -> IO[bytes]:
    """The request body in a spooled temporary file at position 0; BodyTooLarge over `limit`."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    spooled: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            if len(chunk) > SPOOL_IN_MEMORY // 4:
                await anyio.to_thread.run_sync(spooled.write, chunk)
            else:
                spooled.write(chunk)
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return spooled


async def parse_multipart(body: IO[bytes], content_type: str) -> list[Part]:
    """The parts of a multipart body, parsed in a worker thread; MalformedBody when it is not
    well-formed multipart, has too many parts or an oversized field. Closes `body`."""
    boundary = parse_content_type(content_type)[1].get("boundary")
    if not boundary:
        body.close()
        raise MalformedBody("the multipart body has no boundary in its Content-Type")
    return await anyio.to_thread.run_sync(_parse, body, boundary.encode("latin-1", "replace"))


def part_value(part: Part, annotation: Any) -> Any:
    """What a part stands for: a file part is an `UploadedFile` where `annotation` (the type
    of its field) takes one, else its bytes; other parts are their JSON value or their text."""
    if part.file is not None:
        if not takes_uploads(annotation):
            return part.file.read()
        return UploadedFile(
            part.file,
            filename=part.filename,
            content_type=part.content_type,
            size=part.size,
            headers=part.headers,
        )
    media_type, parameters = parse_content_type(part.content_type)
    text = decode_text(
        bytes(part.data), parameters.get("charset", "utf-8"), f"the part {part.name[:40]!r}"
    )
    if not is_json(media_type):
        return text
    try:
        return from_json(text)
    except ValueError:
        raise MalformedBody(f"the part {part.name[:40]!r} is not valid JSON") from None


def takes_uploads(annotation: Any) -> bool:
    """Whether `UploadedFile` appears in an annotation (`FileContent`, `list[FileContent]`)."""
    if annotation is UploadedFile:
        return True
    if isinstance(annotation, str):
        return "UploadedFile" in annotation or "FileContent" in annotation
    return any(takes_uploads(arg) for arg in get_args(annotation))


def close_parts(parts: list[Part]) -> None:
    for part in parts:
        if part.file is not None:
            part.file.close()


def _parse(body: IO[bytes], boundary: bytes) -> list[Part]:
    collector = _Collector()
    parser = MultipartParser(boundary, collector.callbacks())
    try:
        while chunk := body.read(_CHUNK):
            parser.write(chunk)
        parser.finalize()
        for part in collector.parts:
            if part.file is not None:
                part.file.seek(0)
    except MultipartParseError:
        close_parts(collector.parts)
        raise MalformedBody("the multipart body is malformed") from None
    except MalformedBody:
        close_parts(collector.parts)
        raise
    finally:
        body.close()
    return collector.parts


class _Collector:
    """python-multipart's callbacks, gathering the parts."""

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self._field = b""
        self._value = b""

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._begin,
            "on_part_data": self._data,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    @property
    def _part(self) -> Part:
        return self.parts[-1]

    def _begin(self) -> None:
        if len(self.parts) >= MAX_PARTS:
            raise MalformedBody(f"the multipart body has more than {MAX_PARTS} parts")
        self.parts.append(Part())

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").lower()
        self._part.headers[name] = self._value.decode("latin-1")
        self._field, self._value = b"", b""

    def _headers_finished(self) -> None:
        part = self._part
        disposition, options = parse_options_header(part.headers.get("content-disposition", ""))
        name = options.get(b"name")
        if disposition != b"form-data" or not name:
            raise MalformedBody("a multipart part has no name in its Content-Disposition")
        part.name = name.decode("utf-8", "replace")
        part.content_type = part.headers.get("content-type")
        filename = options.get(b"filename")
        if filename is not None:
            part.filename = filename.decode("utf-8", "replace")
            part.file = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115

    def _data(self, data: bytes, start: int, end: int) -> None:
        part = self._part
        part.size += end - start
        if part.file is not None:
            part.file.write(data[start:end])
            return
        if part.size > MAX_FIELD_SIZE:
            raise MalformedBody(f"the field {part.name[:40]!r} is larger than {MAX_FIELD_SIZE}")
        part.data += data[start:end]
