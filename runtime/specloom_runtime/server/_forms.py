"""Form bodies (`application/x-www-form-urlencoded`) as field dicts, and text decoding.

Array fields of the target type gather every value of their key; others keep the last.
Properties the spec's `encoding` gives a style are decoded as query parameters of that
style (`address[city]=Paris` for `deepObject`); object properties sent as JSON text (the
default for objects in a form, or a JSON `contentType`) are parsed. Multipart parts are
read by `_multipart` and grouped here too.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from typing import Any, get_args, get_origin
from urllib.parse import parse_qsl

from pydantic_core import from_json

from .._shapes import (
    ANY_OBJECT,
    ObjectLayout,
    Shape,
    indexed_layout,
    is_list_or_scalar,
    object_layout,
    shape_of,
)
from ..operation import BodySpec, PropertyEncoding
from ._media import is_json, media_type_of
from ._scalars import field_value, one_text_as_scalar, one_texts_as_scalars
from ._styles import StyleError, decode_pairs


class MalformedBody(ValueError):
    """A body that cannot be parsed (form, multipart or text); its message says why."""


def parse_urlencoded(
    body: bytes, layout: ObjectLayout, spec: BodySpec | None = None
) -> dict[str, Any]:
    """The fields of a urlencoded form body."""
    try:
        pairs = parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        raise MalformedBody("the form body is not valid UTF-8") from None
    return gather_fields(pairs, layout, spec)


def gather_fields(
    pairs: Sequence[tuple[str, Any]], layout: ObjectLayout, spec: BodySpec | None
) -> dict[str, Any]:
    """The fields of a form or multipart body from its (name, value) pairs."""
    fields: dict[str, Any] = {}
    consumed: set[str] = set()
    styled = [(name, each) for name, each in spec.encoding if each.has_style] if spec else []
    if styled:
        texts = [(key, value) for key, value in pairs if isinstance(value, str)]
        reserved = frozenset(layout.keys or ())
        for name, style in styled:
            value, keys = _styled_field(texts, name, style, layout, reserved - {name})
            if value is not None:
                fields[name] = value
            consumed |= keys
    rest = layout.collect((key, value) for key, value in pairs if key not in consumed)
    for name, value in rest.items():
        encoding = spec.encoding_of(name) if spec else None
        annotation = layout.field_types.get(name)
        value = _json_valued(name, value, annotation, encoding)
        if isinstance(value, list):  # gathered from its keys (JSON text is parsed from a str)
            # A list-or-scalar field (stripe's `default_tax_rates`: ids, or "") sent once.
            value = one_text_as_scalar(value, annotation)
        rest[name] = field_value(value, annotation)
    return {**rest, **fields}


def _styled_field(
    pairs: list[tuple[str, str]],
    name: str,
    encoding: PropertyEncoding,
    layout: ObjectLayout,
    reserved: frozenset[str],
) -> tuple[Any, set[str]]:
    """The value of a styled property, and the keys of the pairs it was read from."""
    annotation = layout.field_types.get(name, Any)
    shape = shape_of(annotation)
    style, explode = encoding.effective_style, encoding.effective_explode
    bracketed = style == "deepObject" and any(key.startswith(name + "[") for key, _ in pairs)
    if style == "deepObject" and is_list_or_scalar(annotation):
        # stripe's `account_tax_ids`: ids (the key repeated, or objects by index) or "".
        shape = Shape.ARRAY
    elif bracketed and shape is Shape.SCALAR:
        shape = Shape.OBJECT  # an object or a string (`anyOf`), given as an object here
    if shape is Shape.OBJECT:
        nested = object_layout(annotation)
    else:
        nested = indexed_layout(annotation) if shape is Shape.ARRAY else ANY_OBJECT
    try:
        value = decode_pairs(
            pairs,
            name=name,
            style=style,
            explode=explode,
            shape=shape,
            layout=nested,
            reserved=reserved,
        )
    except StyleError as error:
        raise MalformedBody(f"the form field {name[:40]!r}: {error}") from None
    if style == "deepObject" and value is not None:
        value = one_texts_as_scalars(value, annotation)
    if style == "deepObject":  # an object, or an array given by index: `name[0][type]`
        keys = {name} | {key for key, _ in pairs if key.startswith(name + "[")}
    elif shape is Shape.OBJECT and explode:
        keys = {key for key, _ in pairs if key not in reserved and nested.takes(key)}
    else:
        keys = {name}
    return value, keys


def _json_valued(name: str, value: Any, annotation: Any, encoding: PropertyEncoding | None) -> Any:
    """`value` with JSON text parsed where the property is JSON: declared so by its encoding,
    or an object (or an array of objects) sent as JSON text, as forms send objects."""
    declared = encoding is not None and is_json(media_type_of(encoding.content_type))
    if declared and isinstance(value, str):
        return _parsed(name, value)
    if annotation is None:
        return value
    if isinstance(value, str) and shape_of(annotation) is Shape.OBJECT:
        return _parsed(name, value)
    if isinstance(value, list) and _holds_objects(annotation):
        return [_parsed(name, item) if isinstance(item, str) else item for item in value]
    return value


def _holds_objects(annotation: Any) -> bool:
    """Whether an array annotation's items are objects (`list[Address]`)."""
    items = [get_args(member) for member in _array_members(annotation)]
    return any(args and shape_of(args[0]) is Shape.OBJECT for args in items)


def _array_members(annotation: Any) -> Iterable[Any]:
    if shape_of(annotation) is not Shape.ARRAY:
        return ()
    pending, found = [annotation], []
    while pending:
        member = pending.pop()
        args = get_args(member)
        if get_origin(member) in (list, tuple, set, frozenset):
            found.append(member)
        elif args:
            pending.extend(args)
    return found


def _parsed(name: str, text: str) -> Any:
    try:
        return from_json(text)
    except ValueError:
        raise MalformedBody(f"the form field {name[:40]!r} is not valid JSON") from None


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
