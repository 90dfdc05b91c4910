"""Strict scalars in parameters: a string becomes a number or boolean only when it is one
as JSON writes it.

Parameters arrive as text, so they cannot be validated in pydantic's strict mode; its lax
mode, though, also takes `"1_000"`, `"+1"`, `" 5 "`, `"yes"` and `"inf"`. Each text
standing for an `int`, `float` or `bool` is checked here against JSON's grammar and
converted, before the (lax) validation of the whole value; a text that is not one is
replaced by a `NotAScalar`, which that validation rejects at the text's place.

A union that mixes such a type with others (`oneOf: [integer, string]`) reads a text as
its first member, in the spec's order, that accepts it (`ScalarUnion`): `"1"` is the
integer 1 there, where pydantic's smart union would keep the exact type, the string.
"""

from __future__ import annotations

import math
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .._adapters import adapter_for
from .._shapes import (
    ObjectLayout,
    Shape,
    item_annotation,
    members,
    nests_list_or_scalar,
    object_layout,
)
from ..fields import STRICT_CONTEXT
from ._styles import Raw

ScalarKind = Literal["int", "float", "bool"]

_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
MAX_DIGITS = 4000
"""Longer texts are no number: Python refuses to convert more than 4300 digits."""
_KINDS: dict[Any, ScalarKind] = {int: "int", float: "float", bool: "bool"}
_ARRAYS = (list, tuple, set, frozenset)


@dataclass(frozen=True)
class ScalarUnion:
    """A union whose members are numbers, booleans and other scalars (strings, dates,
    enums), in the spec's order: a text is read as the first member that accepts it."""

    members: tuple[tuple[Any, ScalarKind | None], ...]
    """Each member's annotation, with its kind (None: it takes the text as it is)."""

    def read(self, text: str) -> Any:
        """The text as the first member that accepts it; a `NotAScalar` when none does
        (pydantic's lax reading would find a member that a JSON value would not)."""
        for member, kind in self.members:
            value = convert(text, kind)
            if isinstance(value, NotAScalar):
                continue
            try:
                return adapter_for(member).validator.validate_python(value, context=STRICT_CONTEXT)
            except ValidationError:
                continue
        return NotAScalar(text)


Reading = ScalarKind | ScalarUnion | None
"""How the texts of a parameter are read: as a number or boolean, as a union's first
member that accepts them, or as they are (None)."""


def scalar_kind(annotation: Any) -> Reading:
    """`int`, `float` or `bool` when every non-None member of a scalar annotation is that
    type (through `Annotated` and unions); a `ScalarUnion` when some members are and some
    are not (or are of different kinds); None for anything else (strings, dates, enums)."""
    # Keyed by the members in order: `int | str == str | int`, but they read "1" apart.
    branches = tuple(_branches(annotation))
    try:
        return _reading(branches)
    except TypeError:  # a member that cannot be hashed is read without the cache
        return _reading.__wrapped__(branches)


@cache
def _reading(branches: tuple[Any, ...]) -> Reading:
    kinds = {_kind(branch) for branch in branches}
    if kinds == {"int", "float"}:
        return "float"
    if len(kinds) == 1:
        return kinds.pop()
    if not branches or not all(_is_scalar(_bare(branch)) for branch in branches):
        return None
    return ScalarUnion(tuple((branch, _kind(branch)) for branch in branches))


def _kind(branch: Any) -> ScalarKind | None:
    """How a text is read for one member: as its type's values, or for a `Literal` as the
    type all its values share (`Literal[True]`, S3's `?uploads` flag, reads `true`)."""
    bare = _bare(branch)
    if get_origin(bare) is Literal:
        kinds = {_KINDS.get(type(value)) for value in get_args(bare)}
        return kinds.pop() if len(kinds) == 1 else None
    return _KINDS.get(bare)


def _is_scalar(annotation: Any) -> bool:
    """Whether a text can stand for a value of this type: not an array, map, model or Any."""
    if get_origin(annotation) is Literal:
        return True
    return (
        isinstance(annotation, type)
        and get_origin(annotation) is None
        and not issubclass(annotation, (BaseModel, list, tuple, set, frozenset, dict))
    )


def item_kind(annotation: Any) -> Reading:
    """The reading of the items of an array annotation (`list[int]` -> `int`)."""
    items = [get_args(m)[0] for m in members(annotation) if get_origin(m) in _ARRAYS]
    return scalar_kind(items[0]) if len(items) == 1 else None


class NotAScalar:
    """A text that does not spell the number or boolean it stands for: no type accepts it."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"NotAScalar({self.text[:20]!r})"


def raw_kind(shape: Shape, annotation: Any) -> Reading:
    """The kind of the texts a parameter of this shape and type carries: that of the value
    for a scalar, of the items for an array; None otherwise (for `strict_raw`)."""
    if shape is Shape.SCALAR:
        return scalar_kind(annotation)
    if shape is Shape.ARRAY:
        return item_kind(annotation)
    return None


def strict_raw(raw: Raw, shape: Shape, kind: Reading, layout: ObjectLayout) -> Any:
    """`raw` with each text standing for a number or boolean converted, or replaced by a
    `NotAScalar` when it is not one as JSON writes it; `kind` is the `raw_kind` of the
    parameter."""
    if shape is Shape.SCALAR and isinstance(raw, str):
        return convert(raw, kind)
    if shape is Shape.ARRAY and isinstance(raw, list):
        if not any(isinstance(item, dict) for item in raw):
            return [convert(item, kind) for item in raw]
        # Objects given by index (`name[0][type]`): every item has the items' layout.
        items = layout.items_layout()
        return [
            strict_raw(item, Shape.OBJECT, None, items)
            if isinstance(item, dict)
            else convert(item, kind)
            for item in raw
        ]
    if isinstance(raw, dict):  # an object, or the object member of a union
        return {key: field_value(value, layout.field_types.get(key)) for key, value in raw.items()}
    return raw


def field_value(value: Any, annotation: Any) -> Any:
    """A field's texts read as a parameter's are (an object parameter's fields, a form or
    multipart field): a number or boolean only as JSON writes it (`true`, not `yes`; a
    `NotAScalar` otherwise, which the validation rejects), a `Literal` enum as the type of
    its values (`Literal[False, True]` from `false`), a union of scalars as its first
    member, in the spec's order, that accepts it (telegram's `chat_id`: `1`, not `"1"`);
    an array's items the same way; anything else as it is."""
    if annotation is None:
        return value
    if isinstance(value, str):
        return convert(value, scalar_kind(annotation))
    if isinstance(value, list):
        kind = item_kind(annotation)
        return [convert(item, kind) if isinstance(item, str) else item for item in value]
    return value


def one_texts_as_scalars(value: Any, annotation: Any) -> Any:
    """`value`, decoded from texts only (a `deepObject`), with each list of one text held by
    a field that is a list or a scalar read as the scalar member when it accepts the text
    (`one_text_as_scalar`), at any depth; `annotation` is `value`'s type, or that of the
    array holding it."""
    return _one_texts_as_scalars(value, annotation) if nests_list_or_scalar(annotation) else value


def _one_texts_as_scalars(value: Any, annotation: Any) -> Any:
    if isinstance(value, dict):
        items = item_annotation(annotation)  # an item of an array of objects, if it is one
        layout = object_layout(annotation if items is None else items)
        return {
            key: _one_texts_as_scalars(item, layout.field_types.get(key))
            for key, item in value.items()
        }
    if isinstance(value, list):
        scalar = one_text_as_scalar(value, annotation)
        if scalar is not value:
            return scalar
        return [_one_texts_as_scalars(item, annotation) for item in value]
    return value


def one_text_as_scalar(value: list[Any], annotation: Any) -> Any:
    """A list of one text, gathered for a field that is a list or a scalar, as the scalar
    member when it accepts the text (`_as_scalar_member`); `value` itself otherwise."""
    if len(value) != 1 or not isinstance(value[0], str) or annotation is None:
        return value
    scalar = _as_scalar_member(value[0], annotation)
    return value if scalar is _NO_SCALAR else scalar


_NO_SCALAR: Any = object()


def _as_scalar_member(text: str, annotation: Any) -> Any:
    """`text` as a member of `annotation` that is no array, when it is a union of both
    (stripe's `tax_rates`: a list of ids, or `""` to clear them) and such a member accepts
    it; `_NO_SCALAR` otherwise. Sent once, a key reads as an array of one item or as the
    scalar alike: the scalar wins when it fits."""
    scalars = [m for m in members(annotation) if get_origin(m) not in _ARRAYS]
    if not scalars or len(scalars) == len(members(annotation)):
        return _NO_SCALAR
    union = scalars[0] if len(scalars) == 1 else Union[tuple(scalars)]  # noqa: UP007
    try:
        return adapter_for(union).validate_python(
            convert(text, scalar_kind(union)), context=STRICT_CONTEXT
        )
    except (ValidationError, TypeError):
        return _NO_SCALAR


def convert(text: str, kind: Reading) -> Any:
    """`text` as the scalar `kind` says (a `NotAScalar` when it is none); `text` itself when
    `kind` is None."""
    if kind is None:
        return text
    if kind == "int" and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
        return int(text)  # the common case, without the pattern (which says the same)
    if isinstance(kind, ScalarUnion):
        return kind.read(text)
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


def _branches(annotation: Any) -> list[Any]:
    """The non-None members of a union, each with its own `Annotated` limits, in order."""
    origin = get_origin(annotation)
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in _branches(arg)]
    if origin is typing.Annotated and len(members(annotation)) > 1:
        return _branches(get_args(annotation)[0])
    if origin is Literal and len({type(value) for value in get_args(annotation)}) > 1:
        return [Literal[value] for value in get_args(annotation)]  # read as each value's type
    return [] if annotation is None or annotation is type(None) else [annotation]


def _bare(annotation: Any) -> Any:
    """The type under `Annotated`."""
    if get_origin(annotation) is typing.Annotated:
        return _bare(get_args(annotation)[0])
    return annotation
