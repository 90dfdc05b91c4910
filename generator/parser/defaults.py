"""Spec defaults as Python literals, kept only when they fit the generated annotation."""

from __future__ import annotations

import reprlib
from collections.abc import Mapping
from typing import Any

from specwright.escaping import python_literal
from specwright.parser.context import ParseContext
from specwright.parser.facts import implied_type
from specwright.parser.pytypes import PyType
from specwright.parser.refs import Resolver

_MAX_DEPTH = 16
_TEXT_FORMATS_NOT_STR = frozenset({"date", "date-time", "uuid", "binary"})


def default_literal(
    value: Any, schema: Any, annotation: PyType, ctx: ParseContext, pointer: str
) -> tuple[str | None, str | None]:
    """The Python literal for a default `value` and the enum it uses, if any.

    An enum-typed default becomes `EnumName.MEMBER`. A default that would not type-check
    against the annotation (a date given as a string, a value outside the enum) is dropped
    with a warning. `None` defaults need no literal: optional values default to None anyway.
    """
    if value is None:
        return None, None
    enum_name = annotation.members[0] if len(annotation.members) == 1 else ""
    enum_info = ctx.enums.get(enum_name)
    if enum_info is not None:
        member = enum_info.member_for(value)
        if member is None:
            ctx.warn(
                f"default {reprlib.repr(value)} is not a member of {enum_name}; it is dropped",
                pointer,
            )
            return None, None
        return f"{enum_name}.{member}", enum_name
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


def fits(value: Any, schema: Any, resolver: Resolver, depth: int = 0) -> bool:
    """Whether `value` is a valid Python value of the annotation generated for `schema`."""
    if depth > _MAX_DEPTH:
        return False
    if not isinstance(schema, Mapping):
        return schema is True
    if "$ref" in schema:
        target, _ = resolver.follow(schema)
        return target is not None and fits(value, target, resolver, depth + 1)
    for key in ("allOf", "oneOf", "anyOf"):
        parts = schema.get(key)
        if isinstance(parts, list) and parts:
            checks = (fits(value, part, resolver, depth + 1) for part in parts)
            return all(checks) if key == "allOf" else any(checks)
    if isinstance(schema.get("enum"), list):
        return any(type(v) is type(value) and v == value for v in schema["enum"])
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
        return isinstance(value, str) and schema.get("format") not in _TEXT_FORMATS_NOT_STR
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
