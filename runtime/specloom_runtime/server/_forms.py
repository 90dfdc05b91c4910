"""Form bodies (`application/x-www-form-urlencoded`) as field dicts, and text decoding.

Array fields of the target type gather every value of their key; others keep the last.
Multipart bodies are read by `_multipart`.
"""

from __future__ import annotations

import codecs
from typing import Any
from urllib.parse import parse_qsl

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
