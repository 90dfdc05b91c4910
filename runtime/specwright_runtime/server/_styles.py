"""Decoding parameters by OpenAPI style, from raw strings into the shape validation needs.

Each decoder takes what the request carries for one parameter and returns a string, a
list of strings or a dict of strings, per `Shape`; the examples of the OpenAPI style table
(`;id=3;id=4`, `.role=admin.firstName=Alex`, `id[role]=admin`, ...) are its test cases.
Values are percent-decoded before they reach a decoder.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias
from urllib.parse import unquote

from ._shapes import ObjectLayout, Shape

Raw: TypeAlias = str | list[str] | dict[str, Any]
"""A decoded parameter, before validation; object values may be lists for array fields."""

_DELIMITERS = {"spaceDelimited": " ", "pipeDelimited": "|"}


class StyleError(ValueError):
    """A parameter value that its style cannot decode."""


def decode_path(value: str, *, name: str, style: str, explode: bool, shape: Shape) -> Raw:
    """A path parameter: `simple` (`3,4`), `label` (`.3.4`) or `matrix` (`;id=3;id=4`)."""
    if style == "label":
        if not value.startswith("."):
            raise StyleError("a label-style value must start with '.'")
        return _delimited(value[1:], shape, explode, "." if explode else ",")
    if style == "matrix":
        return _matrix(value, name, shape, explode)
    return _delimited(value, shape, explode, ",")


def decode_header(value: str, *, explode: bool, shape: Shape) -> Raw:
    """A header parameter (style `simple`), with whitespace around items dropped."""
    raw = _delimited(value.strip(), shape, explode, ",")
    if isinstance(raw, list):
        return [item.strip() for item in raw]
    if isinstance(raw, dict):
        return {key.strip(): item.strip() for key, item in raw.items()}
    return raw


def decode_pairs(
    pairs: Sequence[tuple[str, str]],
    *,
    name: str,
    style: str,
    explode: bool,
    shape: Shape,
    layout: ObjectLayout,
    reserved: frozenset[str],
) -> Raw | None:
    """A query or cookie parameter from the request's key/value pairs; None when absent.

    An exploded `form` object takes the pairs whose keys belong to it, except `reserved`
    ones (the other parameters' names); a `deepObject` takes `name[key]` pairs.
    """
    if shape is Shape.OBJECT and style == "deepObject":
        return _deep_object(pairs, name, layout)
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
    return _delimited(values[-1], shape, False, _DELIMITERS.get(style, ","))


def cookie_pairs(header: str) -> list[tuple[str, str]]:
    """The name/value pairs of a Cookie header, values percent-decoded."""
    pairs = []
    for chunk in header.split(";"):
        key, sep, value = chunk.partition("=")
        if sep:
            pairs.append((key.strip(), unquote(value.strip().strip('"'))))
    return pairs


def _delimited(value: str, shape: Shape, explode: bool, delimiter: str) -> Raw:
    """A value without prefix: `5`; `3,4,5`; `role,admin,name,Alex` or `role=admin,name=Alex`."""
    if shape is Shape.SCALAR:
        return value
    items = _split(value, delimiter)
    if shape is Shape.ARRAY:
        return items
    return _assignments(items) if explode else _alternating(items)


def _matrix(value: str, name: str, shape: Shape, explode: bool) -> Raw:
    if not value.startswith(";"):
        raise StyleError("a matrix-style value must start with ';'")
    if shape is Shape.OBJECT and explode:
        return _assignments(_split(value[1:], ";"))
    if shape is Shape.ARRAY and explode:
        assignments = [item.partition("=") for item in _split(value[1:], ";")]
        if any(key != name for key, _, _ in assignments):
            raise StyleError(f"expected ';{name}=' before every item")
        return [item for _, _, item in assignments]
    prefix = f";{name}"
    if value != prefix and not value.startswith(prefix + "="):
        raise StyleError(f"a matrix-style value must start with '{prefix}='")
    return _delimited(value[len(prefix) + 1 :], shape, False, ",")


def _deep_object(
    pairs: Sequence[tuple[str, str]], name: str, layout: ObjectLayout
) -> dict[str, Any] | None:
    opening = name + "["
    fields = []
    for key, value in pairs:
        if key.startswith(opening) and key.endswith("]"):
            inner = key[len(opening) : -1]
            if "[" in inner or "]" in inner:
                raise StyleError("nested deepObject keys are not supported")
            fields.append((inner, value))
    return layout.collect(fields) or None


def _split(value: str, delimiter: str) -> list[str]:
    return value.split(delimiter) if value else []


def _assignments(items: list[str]) -> dict[str, Any]:
    """`["role=admin", "name=Alex"]` -> `{"role": "admin", "name": "Alex"}`."""
    fields = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise StyleError(f"expected key=value, got {_excerpt(item)}")
        fields[key] = value
    return fields


def _alternating(items: list[str]) -> dict[str, Any]:
    """`["role", "admin", "name", "Alex"]` -> `{"role": "admin", "name": "Alex"}`."""
    if len(items) % 2:
        raise StyleError("expected an even number of items: key,value pairs")
    return dict(zip(items[::2], items[1::2], strict=True))


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 20 else text[:19] + "…")
