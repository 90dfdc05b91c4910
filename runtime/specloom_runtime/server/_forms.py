"""Form bodies: `application/x-www-form-urlencoded` and `multipart/form-data` as field dicts.

Array fields of the target type gather every value of their key; others keep the last.
Multipart file parts become `bytes`, text parts `str`, JSON parts their parsed value.
"""

from __future__ import annotations

import json
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

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
    try:
        text = content.decode(part.get_content_charset() or "utf-8")
    except (LookupError, UnicodeDecodeError):
        raise MalformedBody(f"the multipart part {name!r} has undecodable text") from None
    if not is_json(part.get_content_type()):
        return name, text
    try:
        return name, json.loads(text)
    except ValueError:
        raise MalformedBody(f"the multipart part {name!r} is not valid JSON") from None
