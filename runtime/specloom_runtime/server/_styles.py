"""Decoding parameters by OpenAPI style, from raw strings into the shape validation needs.

Each decoder takes what the request carries for one parameter and returns a string, a
list of strings or a dict of strings, per `Shape`; the examples of the OpenAPI style table
(`;id=3;id=4`, `.role=admin.firstName=Alex`, `id[role]=admin`, ...) are its test cases.
Query, header and cookie values are percent-decoded before they reach a decoder; a path
value arrives as sent, and is decoded here part by part after splitting it, so that an
encoded delimiter (`%2C`) stays inside its item.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias
from urllib.parse import unquote

from .._shapes import ObjectLayout, Shape

Raw: TypeAlias = str | list[str] | dict[str, Any]
"""A decoded parameter, before validation; object values may be lists for array fields."""

Decode: TypeAlias = Callable[[str], str]
"""What is done to each key and item after splitting: percent-decoding, trimming, or nothing."""

_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}
MAX_DEEP_OBJECT_DEPTH = 32
"""How deeply `deepObject` keys may nest (`id[a][b]` is 2)."""


class StyleError(ValueError):
    """A parameter value that its style cannot decode."""


def decode_path(value: str, *, name: str, style: str, explode: bool, shape: Shape) -> Raw:
    """A path parameter: `simple` (`3,4`), `label` (`.3.4`) or `matrix` (`;id=3;id=4`).

    `value` is percent-encoded as in the URL; every key and item is decoded once.
    """
    if style == "label":
        if not value.startswith("."):
            raise StyleError("a label-style value must start with '.'")
        return _delimited(value[1:], shape, explode, "." if explode else ",", percent_decoded)
    if style == "matrix":
        return _matrix(value, name, shape, explode)
    return _delimited(value, shape, explode, ",", percent_decoded)


def decode_header(value: str, *, explode: bool, shape: Shape, json_items: bool = False) -> Raw:
    """A header parameter (style `simple`), with whitespace around items dropped; with
    `json_items`, a comma inside an item's JSON text does not split it."""
    return _delimited(value.strip(), shape, explode, ",", str.strip, json_items)


def decode_pairs(
    pairs: Sequence[tuple[str, str]],
    *,
    name: str,
    style: str,
    explode: bool,
    shape: Shape,
    layout: ObjectLayout,
    reserved: frozenset[str],
    json_items: bool = False,
) -> Raw | None:
    """A query or cookie parameter from the request's key/value pairs; None when absent.

    An exploded `form` object takes the pairs whose keys belong to it, except `reserved`
    ones (the other parameters' names); a `deepObject` takes `name[key]` pairs, nested
    objects as `name[key][inner]`. With `json_items` (items that are objects or arrays,
    as JSON text), a delimiter inside an item's JSON text does not split it.
    """
    if shape is Shape.OBJECT and style == "deepObject":
        return _deep_object(pairs, name, layout)
    if shape is Shape.SCALAR and style == "deepObject" and _has_bracketed(pairs, name):
        # A union of an object and scalars (stripe's `created`: a range or a timestamp),
        # sent as the object: `created[gt]=1`.
        return _deep_object(pairs, name, layout)
    if shape is Shape.ARRAY and style == "deepObject" and _has_bracketed(pairs, name):
        # An array of objects: `name[0][type]=vat&name[1][type]=eu_vat` (items by index).
        indexed = _deep_object(pairs, name, layout)
        return _as_list(indexed, name) if indexed is not None else None
    if shape is Shape.OBJECT and explode:
        fields = layout.collect(
            (key, value) for key, value in pairs if key not in reserved and layout.takes(key)
        )
        return fields or None
    values = [value for key, value in pairs if key == name]
    if not values:
        return None
    if shape is Shape.ARRAY and explode:
        return values
    return _delimited(values[-1], shape, False, _DELIMITERS.get(style, ","), _as_is, json_items)


def cookie_pairs(header: str) -> list[tuple[str, str]]:
    """The name/value pairs of a Cookie header, values percent-decoded."""
    pairs = []
    for chunk in header.split(";"):
        key, sep, value = chunk.partition("=")
        if sep:
            pairs.append((key.strip(), unquote(value.strip().strip('"'))))
    return pairs


def _delimited(
    value: str,
    shape: Shape,
    explode: bool,
    delimiter: str,
    decode: Decode,
    json_items: bool = False,
) -> Raw:
    """A value without prefix: `5`; `3,4,5`; `role,admin,name,Alex` or `role=admin,name=Alex`."""
    if shape is Shape.SCALAR:
        return decode(value)
    items = split_json_aware(value, delimiter) if json_items else _split(value, delimiter)
    if shape is Shape.ARRAY:
        return [decode(item) for item in items]
    if explode:
        return _assignments(items, decode)
    return _alternating([decode(item) for item in items])


def _matrix(value: str, name: str, shape: Shape, explode: bool) -> Raw:
    if not value.startswith(";"):
        raise StyleError("a matrix-style value must start with ';'")
    if shape is Shape.OBJECT and explode:
        return _assignments(_split(value[1:], ";"), percent_decoded)
    if shape is Shape.ARRAY and explode:
        assignments = [item.partition("=") for item in _split(value[1:], ";")]
        if any(percent_decoded(key) != name for key, _, _ in assignments):
            raise StyleError(f"expected ';{name}=' before every item")
        return [percent_decoded(item) for _, _, item in assignments]
    key, _, rest = value[1:].partition("=")
    if percent_decoded(key) != name:
        raise StyleError(f"a matrix-style value must start with ';{name}='")
    return _delimited(rest, shape, False, ",", percent_decoded)


def _deep_object(
    pairs: Sequence[tuple[str, str]], name: str, layout: ObjectLayout
) -> dict[str, Any] | None:
    """`id[role]=admin&id[name][first]=Alex` -> `{"role": "admin", "name": {"first": "Alex"}}`.

    The nesting `serialization.encode_query` writes: one bracketed key per level, array
    keys repeated for every item.
    """
    fields: dict[str, Any] = {}
    for key, value in pairs:
        path = _bracketed_keys(key, name)
        if path is not None:
            _put(fields, path, value, layout)
    return _lists(fields) or None


class _Indexed(dict[str, Any]):
    """The items of an array given by index (`name[0][a]`), before they become a list."""


def _has_bracketed(pairs: Sequence[tuple[str, str]], name: str) -> bool:
    return any(key.startswith(name + "[") for key, _ in pairs)


def _as_list(items: dict[str, Any], name: str) -> list[Any]:
    """`{"0": a, "1": b}` -> `[a, b]`, nested indexed arrays too."""
    if not all(key.isdigit() and len(key) <= 6 for key in items):
        raise StyleError(f"the items of {_excerpt(name)} must be given by index: {name}[0]")
    return [_lists(items[key]) for key in sorted(items, key=int)]


def _lists(value: Any) -> Any:
    if isinstance(value, _Indexed):
        return _as_list(value, "")
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    return value


def _bracketed_keys(key: str, name: str) -> list[str] | None:
    """`["a", "b"]` for `name[a][b]`; None for a key of another parameter."""
    opening = name + "["
    if not (key.startswith(opening) and key.endswith("]")):
        return None
    path = key[len(opening) : -1].split("][")
    if any("[" in part or "]" in part for part in path):
        raise StyleError(f"malformed deepObject key {_excerpt(key)}")
    if len(path) > MAX_DEEP_OBJECT_DEPTH:
        raise StyleError(f"deepObject keys nest at most {MAX_DEEP_OBJECT_DEPTH} levels")
    return path


def _put(fields: dict[str, Any], path: list[str], value: str, layout: ObjectLayout) -> None:
    """Store `value` at `path` in `fields`, creating the objects on the way."""
    *parents, last = path
    for position, key in enumerate(parents):
        if layout.is_array(key) and path[position + 1].isdigit():
            # An array of objects given by index: `name[items][0][price]`.
            held = fields.setdefault(key, _Indexed())
            if not isinstance(held, _Indexed):
                raise StyleError(f"{_excerpt(key)} is given both by index and otherwise")
            fields, layout = held, layout.items(key)
            continue
        held = fields.setdefault(key, {})
        if not isinstance(held, dict):
            raise StyleError(f"{_excerpt(key)} is given both as a value and as an object")
        fields, layout = held, layout.nested(key)
    if isinstance(fields.get(last), dict):
        raise StyleError(f"{_excerpt(last)} is given both as a value and as an object")
    if layout.is_array(last):
        fields.setdefault(last, []).append(value)
    else:
        fields[last] = value


def _split(value: str, delimiter: str) -> list[str]:
    return value.split(delimiter) if value else []


_CLOSING = {"{": "}", "[": "]"}


def split_json_aware(value: str, delimiter: str) -> list[str]:
    """`value` split at each `delimiter` outside a JSON object or array:
    `{"a":1,"b":2},{"a":3}` -> `['{"a":1,"b":2}', '{"a":3}']`."""
    if not value:
        return []
    items: list[str] = []
    start = 0
    expected: list[str] = []
    in_string = escaped = False
    for position, char in enumerate(value):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char in _CLOSING:
            expected.append(_CLOSING[char])
        elif expected and char == expected[-1]:
            expected.pop()
        elif expected and char == '"':
            in_string = True
        elif not expected and value.startswith(delimiter, position):
            items.append(value[start:position])
            start = position + len(delimiter)
    items.append(value[start:])
    return items


def _assignments(items: list[str], decode: Decode) -> dict[str, Any]:
    """`["role=admin", "name=Alex"]` -> `{"role": "admin", "name": "Alex"}`."""
    fields = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise StyleError(f"expected key=value, got {_excerpt(item)}")
        fields[decode(key)] = decode(value)
    return fields


def _alternating(items: list[str]) -> dict[str, Any]:
    """`["role", "admin", "name", "Alex"]` -> `{"role": "admin", "name": "Alex"}`."""
    if len(items) % 2:
        raise StyleError("expected an even number of items: key,value pairs")
    return dict(zip(items[::2], items[1::2], strict=True))


def _as_is(text: str) -> str:
    return text


def percent_decoded(text: str) -> str:
    """`text` percent-decoded; StyleError when the bytes it spells are not UTF-8."""
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise StyleError(f"{_excerpt(text)} is not UTF-8 text once percent-decoded") from None


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 20 else text[:19] + "…")
