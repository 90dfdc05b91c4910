"""Enums: which `enum` lists become `enum.Enum` classes, which `Literal[...]`, and their
member names."""

from __future__ import annotations

from typing import Literal

import msgspec

from specloom.escaping import python_literal
from specloom.ir.model import EnumDef, EnumMember
from specloom.naming import Scope, enum_member_name
from specloom.parser.pytypes import PyType

EnumValue = str | int | bool


class EnumShape(msgspec.Struct, frozen=True):
    """The distinct values of an `enum` list, and how they can be typed."""

    values: tuple[EnumValue, ...]
    """Distinct non-null values in spec order."""
    nullable: bool
    """The list contains `null`."""

    @property
    def base(self) -> Literal["str", "int"] | None:
        """`str` or `int` when every value is one (an `enum.Enum` class), else None (`Literal`)."""
        if self.values and all(isinstance(v, str) for v in self.values):
            return "str"
        if self.values and all(type(v) is int for v in self.values):
            return "int"
        return None


def enum_shape(values: object) -> EnumShape | None:
    """The shape of an `enum` list, or None when it is not a non-empty list of strings,
    integers, booleans and nulls (floats and structures cannot be `Literal` values)."""
    if not isinstance(values, list) or not values:
        return None
    distinct: list[EnumValue] = []
    seen: set[tuple[str, EnumValue]] = set()
    nullable = False
    for value in values:
        if value is None:
            nullable = True
            continue
        if not isinstance(value, str | int):  # bool is an int
            return None
        key = (type(value).__name__, value)
        if key not in seen:
            seen.add(key)
            distinct.append(value)
    return EnumShape(tuple(distinct), nullable)


def member_names(values: tuple[EnumValue, ...]) -> tuple[tuple[EnumValue, str], ...]:
    """Each value with its UPPER_SNAKE member name, unique within the enum."""
    scope = Scope()
    return tuple((value, scope.claim(enum_member_name(value))) for value in values)


def enum_def(
    name: str,
    wire_name: str,
    description: str,
    base: Literal["str", "int"],
    members: tuple[tuple[EnumValue, str], ...],
    pointer: str,
) -> EnumDef:
    """The `enum.Enum` definition of named members (from `member_names`)."""
    ir_members = tuple(EnumMember(member, python_literal(value)) for value, member in members)
    return EnumDef(name, wire_name, description, base, ir_members, pointer)


def literal_type(shape: EnumShape) -> PyType:
    """`Literal[...]` of the shape's values (None when the only value is null)."""
    if not shape.values:
        return PyType((), nullable=True)
    text = "Literal[" + ", ".join(python_literal(v) for v in shape.values) + "]"
    return PyType((text,), shape.nullable, typing=frozenset({"Literal"}))
