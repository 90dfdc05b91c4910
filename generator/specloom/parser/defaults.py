"""Spec defaults as Python literals, kept only when they fit the generated annotation."""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any

from specloom.default_text import FORMATS_NOT_TEXT, NOT_READ, read_as
from specloom.escaping import python_literal
from specloom.parser.context import EnumInfo, ParseContext
from specloom.parser.facts import implied_type
from specloom.parser.pytypes import PyType
from specloom.parser.refs import Resolver

_MAX_DEPTH = 16


def default_literal(
    value: Any, schema: Any, annotation: PyType, ctx: ParseContext, pointer: str
) -> tuple[str | None, str | None]:
    """The Python literal for a default `value` and the enum it uses, if any.

    An enum-typed default becomes `EnumName.MEMBER`, a list of enum values
    `[EnumName.A, EnumName.B]`. A default that would not type-check against the annotation
    (a date given as a string, a value outside the enum) is dropped with a warning. `None`
    defaults need no literal: optional values default to None anyway.
    """
    if value is None:
        return None, None
    value = _read_as_typed(value, schema, ctx, pointer)
    sole_member = annotation.members[0] if len(annotation.members) == 1 else ""
    enum_info = ctx.enums.get(sole_member)
    if enum_info is not None:
        member = _member_literal(value, enum_info, ctx, pointer)
        return (member, enum_info.name) if member is not None else (None, None)
    item_enum = _list_item_enum(sole_member, ctx)
    if item_enum is not None:
        return _enum_list_literal(value, item_enum, ctx, pointer)
    if not fits(value, schema, ctx.resolver):
        ctx.warn(
            f"default {reprlib.repr(value)} does not match the schema's type; it is dropped",
            pointer,
        )
        return None, None
    try:
        return python_literal(value), None
    except (TypeError, ValueError, RecursionError):
        ctx.warn(f"default {reprlib.repr(value)} is not a JSON value; it is dropped", pointer)
        return None, None


def _read_as_typed(value: Any, schema: Any, ctx: ParseContext, pointer: str) -> Any:
    """`value`, or the value its text spells (`"false"` for a boolean: `default_text`)
    when only that fits the schema, with a warning saying so."""
    if fits(value, schema, ctx.resolver):
        return value
    target, _ = ctx.resolver.follow(schema)
    read = read_as(value, target)
    if read is NOT_READ or not fits(read, schema, ctx.resolver):
        return value
    ctx.warn(
        f"default {reprlib.repr(value)} is not of the schema's type ({target['type']}); it "
        f"is read as {python_literal(read)}",
        pointer,
    )
    return read


def _member_literal(value: Any, enum: EnumInfo, ctx: ParseContext, pointer: str) -> str | None:
    """`Enum.MEMBER` for `value`, or None (with a warning) when no member has that value."""
    member = enum.member_for(value)
    if member is None:
        ctx.warn(
            f"default {reprlib.repr(value)} is not a member of {enum.name}; it is dropped",
            pointer,
        )
        return None
    return f"{enum.name}.{member}"


def _list_item_enum(member: str, ctx: ParseContext) -> tuple[EnumInfo, bool] | None:
    """The enum of a `list[Enum]` (or `list[Enum | None]`) annotation member, and whether
    its items may be None."""
    if not (member.startswith("list[") and member.endswith("]")):
        return None
    item = member.removeprefix("list[").removesuffix("]")
    nullable = item.endswith(" | None")
    enum_info = ctx.enums.get(item.removesuffix(" | None"))
    return None if enum_info is None else (enum_info, nullable)


def _enum_list_literal(
    value: Any, item_enum: tuple[EnumInfo, bool], ctx: ParseContext, pointer: str
) -> tuple[str | None, str | None]:
    """`[Enum.A, Enum.B]` for a list default of enum values; None when any item is not a
    member (the items of a `list[Enum]` must be members, not their values)."""
    enum_info, nullable = item_enum
    if not isinstance(value, list):
        ctx.warn(f"default {reprlib.repr(value)} is not a list; it is dropped", pointer)
        return None, None
    items: list[str] = []
    for item in value:
        literal = "None" if item is None and nullable else None
        literal = literal or _member_literal(item, enum_info, ctx, pointer)
        if literal is None:
            return None, None
        items.append(literal)
    return f"[{', '.join(items)}]", enum_info.name if items else None


def fits(value: Any, schema: Any, resolver: Resolver, depth: int = 0) -> bool:
    """Whether `value` is a valid Python value of the annotation generated for `schema`."""
    if depth > _MAX_DEPTH:
        return False
    if not isinstance(schema, dict):
        return schema is True
    if "$ref" in schema:
        target, _ = resolver.follow(schema)
        return target is not None and fits(value, target, resolver, depth + 1)
    for key in ("allOf", "oneOf", "anyOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            checks = (fits(value, part, resolver, depth + 1) for part in parts)
            return all(checks) if key == "allOf" else any(checks)
    enum = schema.get("enum")
    if isinstance(enum, list) and not any(type(v) is type(value) and v == value for v in enum):
        return False
    # An enum the generator cannot enforce is typed by `type`, so the value must fit it too.
    types = schema.get("type")
    if isinstance(types, list):
        return any(_fits_type(value, t, schema, resolver, depth) for t in types)
    if types is None:
        types = implied_type(schema)
    return types is None or _fits_type(value, types, schema, resolver, depth)


def _fits_type(
    value: Any, type_name: object, schema: Mapping[str, Any], resolver: Resolver, depth: int
) -> bool:
    if type_name == "string":
        return isinstance(value, str) and schema.get("format") not in FORMATS_NOT_TEXT
    if type_name == "integer":
        return type(value) is int
    if type_name == "number":
        return type(value) in (int, float)
    if type_name == "boolean":
        return type(value) is bool
    if type_name == "array":
        items = schema.get("items", True)
        return isinstance(value, list) and all(
            fits(item, items, resolver, depth + 1) for item in value
        )
    if type_name == "object":
        if schema.get("properties"):
            return False  # a model: a dict is not an instance of it
        values = schema.get("additionalProperties", True)
        values = True if values is False else values
        return isinstance(value, dict) and all(
            isinstance(k, str) and fits(v, values, resolver, depth + 1) for k, v in value.items()
        )
    return False
