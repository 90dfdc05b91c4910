"""The wire shape a Python type needs: a single string, a list of strings, or string pairs.

Parameter styles and form bodies deliver strings; before pydantic validates them they are
grouped into the shape the annotation expects (`int` -> `"5"`, `list[int]` -> `["3", "4"]`,
a model -> `{"name": "Rex"}`).
"""

from __future__ import annotations

import collections.abc
import contextlib
import dataclasses
import enum
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from typing_extensions import is_typeddict

_ARRAY_ORIGINS: frozenset[Any] = frozenset(
    {
        list,
        tuple,
        set,
        frozenset,
        collections.abc.Sequence,
        collections.abc.MutableSequence,
        collections.abc.Set,
        collections.abc.MutableSet,
        collections.abc.Collection,
        collections.abc.Iterable,
    }
)
_OBJECT_ORIGINS: frozenset[Any] = frozenset(
    {dict, collections.abc.Mapping, collections.abc.MutableMapping}
)


class Shape(enum.Enum):
    """What a value looks like before validation."""

    SCALAR = "scalar"
    ARRAY = "array"
    OBJECT = "object"


def shape_of(annotation: Any) -> Shape:
    """The shape of an annotation; a union of different shapes counts as a scalar."""
    shapes = {_member_shape(member) for member in members(annotation)}
    return shapes.pop() if len(shapes) == 1 else Shape.SCALAR


@dataclass(frozen=True)
class ObjectLayout:
    """The keys of an object type, and which of them hold arrays."""

    keys: frozenset[str] | None
    """The keys it takes; None when any key goes (a mapping, a model allowing extras)."""
    array_keys: frozenset[str] = frozenset()
    arrays_everywhere: bool = False
    """A mapping whose values are arrays."""
    field_types: Mapping[str, Any] = field(default_factory=dict, compare=False)
    """The annotation of each declared key."""
    value_type: Any = Any
    """The annotation of the values of other keys (a mapping's value type)."""

    def takes(self, key: str) -> bool:
        return self.keys is None or key in self.keys

    def is_array(self, key: str) -> bool:
        return self.arrays_everywhere or key in self.array_keys

    def nested(self, key: str) -> ObjectLayout:
        """The layout of the object held under `key`; any keys go when its type is unknown."""
        return object_layout(self.field_types.get(key, self.value_type))

    def items_layout(self) -> ObjectLayout:
        """For the layout of an array's items by index (`indexed_layout`), the layout of
        each item."""
        return object_layout(self.value_type)

    def items(self, key: str) -> ObjectLayout:
        """The layout of the items of the array held under `key` (`list[Address]`), by
        index: every key (`"0"`, `"1"`) holds an item."""
        return indexed_layout(self.field_types.get(key, self.value_type))

    def collect(self, pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
        """Group key/value pairs: array keys gather every value, others keep the last."""
        fields: dict[str, Any] = {}
        for key, value in pairs:
            if self.is_array(key):
                fields.setdefault(key, []).append(value)
            else:
                fields[key] = value
        return fields


ANY_OBJECT = ObjectLayout(keys=None)


def indexed_layout(annotation: Any) -> ObjectLayout:
    """The layout of an array annotation's items given by index (`name[0][type]`): any key,
    each holding an item."""
    for member in members(annotation):
        if get_origin(member) in _ARRAY_ORIGINS and get_args(member):
            return ObjectLayout(keys=None, value_type=get_args(member)[0])
    return ANY_OBJECT


_LAYOUTS: dict[Any, ObjectLayout] = {}
"""`object_layout` by annotation: requests read the same few types again and again."""


def object_layout(annotation: Any) -> ObjectLayout:
    """The layout of an object annotation (model, TypedDict, dataclass, mapping)."""
    try:
        return _LAYOUTS[annotation]
    except (KeyError, TypeError):  # not yet known, or not hashable
        pass
    layout = _object_layout(annotation)
    if all(_complete(member) for member in members(annotation)):
        with contextlib.suppress(TypeError):
            _LAYOUTS[annotation] = layout
    return layout


def _complete(member: Any) -> bool:
    """Whether a model's field types are known (not forward references still)."""
    return not (isinstance(member, type) and issubclass(member, BaseModel)) or bool(
        member.__pydantic_complete__
    )


def _object_layout(annotation: Any) -> ObjectLayout:
    layouts = [_member_layout(member) for member in members(annotation)]
    if not layouts:
        return ANY_OBJECT
    keys: frozenset[str] | None = frozenset()
    field_types: dict[str, Any] = {}
    for layout in layouts:
        keys = None if keys is None or layout.keys is None else keys | layout.keys
        for key, annotation in layout.field_types.items():
            field_types[key] = _either(field_types.get(key, annotation), annotation)
    value_type = layouts[0].value_type
    for layout in layouts[1:]:
        value_type = _either(value_type, layout.value_type)
    return ObjectLayout(
        keys=keys,
        array_keys=frozenset().union(*(layout.array_keys for layout in layouts)),
        arrays_everywhere=any(layout.arrays_everywhere for layout in layouts),
        field_types=field_types,
        value_type=value_type,
    )


def _either(first: Any, second: Any) -> Any:
    """The union of two annotations, as in a union of object types with a common key."""
    # `|` fails on some annotations (forward references as strings); `Union` takes any.
    return first if first == second else Union[first, second]  # noqa: UP007


def members(annotation: Any) -> list[Any]:
    """The non-None members of an annotation, through `Annotated` and unions."""
    origin = get_origin(annotation)
    if origin is typing.Annotated:
        return members(get_args(annotation)[0])
    if origin is Union or origin is types.UnionType:
        return [member for arg in get_args(annotation) for member in members(arg)]
    return [] if annotation is None or annotation is type(None) else [annotation]


def holds_arrays(annotation: Any) -> bool:
    """Whether an annotation is an array, or a union with an array member (its key then
    gathers every value; `_scalars` reads one value as the scalar member when it fits)."""
    return any(_member_shape(member) is Shape.ARRAY for member in members(annotation))


def is_list_or_scalar(annotation: Any) -> bool:
    """Whether an annotation is a union of an array and scalars, without objects (stripe's
    `tax_rates`: ids, or `""`)."""
    return (
        shape_of(annotation) is Shape.SCALAR
        and holds_arrays(annotation)
        and not object_members(annotation)
    )


_NESTING_LISTS: dict[Any, bool] = {}


def nests_list_or_scalar(annotation: Any) -> bool:
    """Whether a field that is a list or a scalar (`is_list_or_scalar`) lies anywhere in
    the annotation: in its objects' fields or its arrays' items, at any depth. Most
    `deepObject` types hold none, and their values need no second walk."""
    try:
        return _NESTING_LISTS[annotation]
    except (KeyError, TypeError):
        pass
    found = _nests_list_or_scalar(annotation, set())
    with contextlib.suppress(TypeError):
        if all(_complete(member) for member in members(annotation)):
            _NESTING_LISTS[annotation] = found
    return found


def _nests_list_or_scalar(annotation: Any, seen: set[int]) -> bool:
    if id(annotation) in seen:
        return False  # a recursive type: its fields are being looked at already
    seen.add(id(annotation))
    if is_list_or_scalar(annotation):
        return True
    for member in members(annotation):
        shape = _member_shape(member)
        if shape is Shape.ARRAY and get_args(member):
            if _nests_list_or_scalar(get_args(member)[0], seen):
                return True
        elif shape is Shape.OBJECT:
            layout = object_layout(member)
            nested = [*layout.field_types.values(), layout.value_type]
            if any(_nests_list_or_scalar(each, seen) for each in nested):
                return True
    return False


def object_members(annotation: Any) -> list[Any]:
    """The members of an annotation that are objects (models, mappings, records)."""
    return [member for member in members(annotation) if _member_shape(member) is Shape.OBJECT]


def _member_shape(member: Any) -> Shape:
    origin = get_origin(member) or member
    if origin in _ARRAY_ORIGINS:
        return Shape.ARRAY
    if origin in _OBJECT_ORIGINS or _is_record(member):
        return Shape.OBJECT
    return Shape.SCALAR


def _is_record(member: Any) -> bool:
    if not isinstance(member, type):
        return False
    return issubclass(member, BaseModel) or is_typeddict(member) or dataclasses.is_dataclass(member)


def _member_layout(member: Any) -> ObjectLayout:
    if isinstance(member, type) and issubclass(member, BaseModel):
        return _model_layout(member)
    if get_origin(member) in _OBJECT_ORIGINS:
        value_type = get_args(member)[1] if len(get_args(member)) == 2 else Any
        return ObjectLayout(
            keys=None,
            arrays_everywhere=shape_of(value_type) is Shape.ARRAY,
            value_type=value_type,
        )
    if _is_record(member):
        return _record_layout(member)
    return ANY_OBJECT


def _model_layout(model: type[BaseModel]) -> ObjectLayout:
    if not model.__pydantic_complete__:
        # A field naming a class defined further down its module is still a forward
        # reference until pydantic rebuilds the model (at its first use, otherwise).
        model.model_rebuild(raise_errors=False)
    field_types: dict[str, Any] = {}
    array_keys: set[str] = set()
    for name, model_field in model.model_fields.items():
        names = {name} | ({model_field.alias} if model_field.alias else set())
        if isinstance(model_field.validation_alias, str):
            names.add(model_field.validation_alias)
        field_types.update(dict.fromkeys(names, model_field.annotation))
        if holds_arrays(model_field.annotation):
            array_keys |= names
    open_keys = model.model_config.get("extra") == "allow"
    return ObjectLayout(
        keys=None if open_keys else frozenset(field_types),
        array_keys=frozenset(array_keys),
        field_types=field_types,
    )


def _record_layout(record: type) -> ObjectLayout:
    """The layout of a TypedDict or dataclass."""
    try:
        hints = typing.get_type_hints(record)
    except (NameError, TypeError):
        return ANY_OBJECT
    if dataclasses.is_dataclass(record):
        hints = {each.name: hints.get(each.name, Any) for each in dataclasses.fields(record)}
    array_keys = frozenset(key for key, hint in hints.items() if holds_arrays(hint))
    return ObjectLayout(keys=frozenset(hints), array_keys=array_keys, field_types=hints)


def item_annotation(annotation: Any) -> Any:
    """The annotation of an array annotation's items (`list[Tag]` -> `Tag`); None when
    there is none, or when its members disagree."""
    items = [
        get_args(member)[0]
        for member in members(annotation)
        if get_origin(member) in _ARRAY_ORIGINS and get_args(member)
    ]
    return items[0] if items and all(item == items[0] for item in items) else None
