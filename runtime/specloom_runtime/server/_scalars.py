"""Strict scalars in parameters: a string becomes a number or boolean only when it is one
as JSON writes it.

Parameters arrive as text, so they cannot be validated in pydantic's strict mode; its lax
mode, though, also takes `"1_000"`, `"+1"`, `" 5 "`, `"yes"` and `"inf"`. Each text
standing for an `int`, `float` or `bool` is checked here against JSON's grammar and
converted, before the (lax) validation of the whole value; a text that is not one is
replaced by a `NotAScalar`, which that validation rejects at the text's place.
"""

from __future__ import annotations

import math
import re
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from ._shapes import ObjectLayout, Shape
from ._styles import Raw

ScalarKind = Literal["int", "float", "bool"]

_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
MAX_DIGITS = 4000
"""Longer texts are no number: Python refuses to convert more than 4300 digits."""
_KINDS: dict[Any, ScalarKind] = {int: "int", float: "float", bool: "bool"}
_ARRAYS = (list, tuple, set, frozenset)


def scalar_kind(annotation: Any) -> ScalarKind | None:
    """`int`, `float` or `bool` when every non-None member of a scalar annotation is that
    type (through `Annotated` and unions); None for anything else (strings, dates, enums)."""
    kinds = {_KINDS.get(member) for member in _members(annotation)}
    if kinds == {"int", "float"}:
        return "float"
    return kinds.pop() if len(kinds) == 1 else None


def item_kind(annotation: Any) -> ScalarKind | None:
    """The kind of the items of an array annotation (`list[int]` -> `int`)."""
    items = [get_args(m)[0] for m in _members(annotation) if get_origin(m) in _ARRAYS]
    return scalar_kind(items[0]) if len(items) == 1 else None


class NotAScalar:
    """A text that does not spell the number or boolean it stands for: no type accepts it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NotAScalar({self.text[:20]!r})"


def raw_kind(shape: Shape, annotation: Any) -> ScalarKind | None:
    """The kind of the texts a parameter of this shape and type carries: that of the value
    for a scalar, of the items for an array; None otherwise (for `strict_raw`)."""
    if shape is Shape.SCALAR:
        return scalar_kind(annotation)
    if shape is Shape.ARRAY:
        return item_kind(annotation)
    return None


def strict_raw(raw: Raw, shape: Shape, kind: ScalarKind | None, layout: ObjectLayout) -> Any:
    """`raw` with each text standing for a number or boolean converted, or replaced by a
    `NotAScalar` when it is not one as JSON writes it; `kind` is the `raw_kind` of the
    parameter."""
    if shape is Shape.SCALAR and isinstance(raw, str):
        return convert(raw, kind)
    if shape is Shape.ARRAY and isinstance(raw, list):
        return [convert(item, kind) for item in raw]
    if shape is Shape.OBJECT and isinstance(raw, dict):
        return {key: _field_value(value, layout.field_types.get(key)) for key, value in raw.items()}
    return raw


def _field_value(value: Any, annotation: Any) -> Any:
    if annotation is None:
        return value
    if isinstance(value, str):
        return convert(value, scalar_kind(annotation))
    if isinstance(value, list):
        kind = item_kind(annotation)
        return [convert(item, kind) if isinstance(item, str) else item for item in value]
    return value


def convert(text: str, kind: ScalarKind | None) -> Any:
    """`text` as the scalar `kind` says (a `NotAScalar` when it is none); `text` itself when
    `kind` is None."""
    if kind is None:
        return text
    if len(text) > MAX_DIGITS:
        return NotAScalar(text)
    if kind == "bool":
        return text == "true" if text in ("true", "false") else NotAScalar(text)
    if kind == "int":
        return int(text) if _INTEGER.fullmatch(text) else NotAScalar(text)
    if _NUMBER.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return int(text) if _INTEGER.fullmatch(text) else number
    return NotAScalar(text)


def _members(annotation: Any) -> list[Any]:
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return _members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in _members(arg)]
    return [] if annotation is None or annotation is type(None) else [annotation]
