"""Which shape (scalar, array, object) each annotation needs from the wire."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from typing import Annotated, Any, Literal, Optional, TypedDict

import pytest
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime._shapes import (
    Shape,
    nests_list_or_scalar,
    object_layout,
    shape_of,
)


class Color(str, enum.Enum):
    RED = "red"


class Filter(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    first_name: str = Field(alias="firstName")
    tags: list[str] = []


class Open(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str


class Point(TypedDict):
    x: int
    labels: list[str]


@dataclasses.dataclass
class Range:
    low: int
    steps: tuple[int, ...]


@pytest.mark.parametrize(
    ("annotation", "shape"),
    [
        (int, Shape.SCALAR),
        (str, Shape.SCALAR),
        (bytes, Shape.SCALAR),
        (Color, Shape.SCALAR),
        (Literal["a", "b"], Shape.SCALAR),
        (list[int], Shape.ARRAY),
        (list, Shape.ARRAY),
        (tuple[int, ...], Shape.ARRAY),
        (set[str], Shape.ARRAY),
        (Sequence[Color], Shape.ARRAY),
        (Optional[list[int]], Shape.ARRAY),  # noqa: UP045 - the typing spelling must work too
        (list[int] | None, Shape.ARRAY),
        (Annotated[list[int], Field(min_length=1)], Shape.ARRAY),
        (dict[str, int], Shape.OBJECT),
        (Filter, Shape.OBJECT),
        (Point, Shape.OBJECT),
        (Range, Shape.OBJECT),
        (int | list[int], Shape.SCALAR),
    ],
)
def test_shape_of(annotation: Any, shape: Shape) -> None:
    assert shape_of(annotation) is shape


def test_model_layout_knows_names_aliases_and_array_fields() -> None:
    layout = object_layout(Filter)
    assert layout.keys == frozenset({"first_name", "firstName", "tags"})
    assert layout.is_array("tags")
    assert not layout.is_array("firstName")


def test_a_model_allowing_extra_fields_takes_any_key() -> None:
    assert object_layout(Open).takes("anything")


def test_typeddict_and_dataclass_layouts() -> None:
    assert object_layout(Point).keys == frozenset({"x", "labels"})
    assert object_layout(Point).is_array("labels")
    assert object_layout(Range).keys == frozenset({"low", "steps"})
    assert object_layout(Range).is_array("steps")


def test_mapping_of_arrays_has_arrays_under_every_key() -> None:
    layout = object_layout(dict[str, list[int]])
    assert layout.takes("any")
    assert layout.is_array("any")
    assert not object_layout(dict[str, int]).is_array("any")


class Owner(BaseModel):
    filter: Filter
    ranges: dict[str, Range]
    range: Range | None = None


class Shelter(BaseModel):
    filter: Open


def test_nested_layouts_follow_field_and_value_types() -> None:
    layout = object_layout(Owner)
    assert layout.nested("filter").keys == frozenset({"first_name", "firstName", "tags"})
    assert layout.nested("range").is_array("steps")
    assert layout.nested("ranges").takes("any")
    assert layout.nested("ranges").nested("any").is_array("steps")


def test_a_key_of_unknown_type_holds_any_object() -> None:
    layout = object_layout(Owner).nested("undeclared")
    assert layout.takes("anything")
    assert not layout.is_array("anything")


def test_a_union_of_objects_nests_the_layouts_of_either() -> None:
    layout = object_layout(Owner | Shelter).nested("filter")
    assert layout.takes("anything")
    assert layout.is_array("tags")


class _Range(BaseModel):
    gt: int | None = None


class _Node(BaseModel):
    children: list[_Node] | None = None
    label: str | None = None


class _Invoice(BaseModel):
    created: _Range | None = None
    lines: list[_Line] | None = None


class _Line(BaseModel):
    tax_rates: list[str] | str | None = None


def test_a_list_or_scalar_field_is_found_at_any_depth() -> None:
    # stripe's `lines[0][tax_rates]`: inside the items of an array of objects.
    assert nests_list_or_scalar(_Invoice)
    assert nests_list_or_scalar(list[_Line] | None)
    assert nests_list_or_scalar(_Line)


def test_types_without_list_or_scalar_fields_need_no_second_reading() -> None:
    assert not nests_list_or_scalar(_Range)
    assert not nests_list_or_scalar(_Node)  # recursive: the walk ends
    assert not nests_list_or_scalar(dict[str, int])
    assert not nests_list_or_scalar(list[str])


def test_object_layouts_are_kept_per_type() -> None:
    assert object_layout(_Invoice) is object_layout(_Invoice)
    assert object_layout(_Invoice).field_types["lines"] == list[_Line] | None
