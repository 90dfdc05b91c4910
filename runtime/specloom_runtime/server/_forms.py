"""Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` as field dicts.

Array fields of the target type gather every value of their key; others keep the last.
Multipart file parts become `bytes`, text parts `str`, JSON parts their parsed value.
"""

from __future__ import annotations

import codecs
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

from pydantic_core import from_json

from ._media import is_json, parse_content_type
from ._shapes import ObjectLayout


class MalformedBody(ValueError):
    """A body that cannot be parsed (form, multipart or text); its message says why."""


def parse_urlencoded(body: bytes, layout: ObjectLayout) -> dict[str, Any]:
    """The fields of a urlencoded form body."""
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise MalformedBody("the form body is not valid UTF-8") from None
    return layout.collect(pairs)


def parse_multipart(body: bytes, content_type: str, layout: ObjectLayout) -> dict[str, Any]:
    """The fields of a multipart body; `content_type` is the request's header (with boundary)."""
    _, parameters = parse_content_type(content_type)
    if not parameters.get("boundary"):
        raise MalformedBody("the multipart body has no boundary in its Content-Type")
    head = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(EmailMessage, policy=HTTP).parsebytes(head + body)
    if not message.is_multipart() or message.defects:
        raise MalformedBody("the multipart body is malformed")
    return layout.collect(_field(part) for part in message.iter_parts())


def _field(part: MIMEPart) -> tuple[str, Any]:
    name = part.get_param("name", header="content-disposition")
    if not isinstance(name, str) or not name:
        raise MalformedBody("a multipart part has no name in its Content-Disposition")
    payload = part.get_payload(decode=True)
    content = payload if isinstance(payload, bytes) else b""
    if part.get_filename() is not None:
        return name, content
    text = decode_text(content, part.get_content_charset() or "utf-8", f"the part {name[:40]!r}")
    if not is_json(part.get_content_type()):
        return name, text
    try:
        return name, from_json(text)
    except ValueError:
        raise MalformedBody(f"the multipart part {name!r} is not valid JSON") from None


_NOT_CHARSETS = frozenset(
    {"unicode-escape", "raw-unicode-escape", "punycode", "idna", "charmap", "undefined"}
)
"""Python codecs that are text encodings to Python but no charset a client may name."""


def decode_text(content: bytes, charset: str, what: str) -> str:
    """`content` decoded with `charset`, which must name a real text encoding (not a codec
    such as `unicode_escape` or `rot13`); MalformedBody otherwise."""
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise MalformedBody(f"unknown charset {charset[:40]!r}") from None
    if not codec._is_text_encoding or codec.name in _NOT_CHARSETS:
        raise MalformedBody(f"{charset[:40]!r} is not a text encoding")
    try:
        return codec.decode(content)[0]
    except (UnicodeDecodeError, ValueError):
        raise MalformedBody(f"{what} is not valid {charset[:40]}") from None
