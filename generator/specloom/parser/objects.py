"""Object schemas: their properties, with `allOf` flattened into one set."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgspec

from specloom.diagnostics import join_pointer
from specloom.parser.context import ParseContext
from specloom.parser.declarations import conjunction, merge_declarations

MISSING: Any = object()
"""Stands for a key that is absent (None and False are meaningful values)."""


class Property(msgspec.Struct, frozen=True):
    """One entry of `properties`, with the pointer of its schema."""

    wire_name: str
    schema: Any
    pointer: str


@dataclass
class ObjectShape:
    """The merged properties of an object schema and its `allOf` parts (a property several
    parts declare has the conjunction of their declarations)."""

    properties: dict[str, Property] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    additional: Any = MISSING
    """The `additionalProperties` value, MISSING when no part sets it."""
    additional_pointer: str = ""
    merged_parts: set[int] = field(default_factory=set, repr=False)
    """The `allOf` parts merged so far (by identity): a part reached twice is merged once,
    so shared parts nested deep cost their size, not the number of paths to them."""


def object_shape(schema: Mapping[str, Any], pointer: str, ctx: ParseContext) -> ObjectShape:
    """The properties, required names and additionalProperties of `schema`, its `allOf`
    parts merged in order (followed through `$ref`s), then its own."""
    shape = ObjectShape()
    _collect(schema, pointer, ctx, shape, {id(schema)})
    return shape


def _collect(
    schema: Mapping[str, Any],
    pointer: str,
    ctx: ParseContext,
    shape: ObjectShape,
    active: set[int],
) -> None:
    parts = schema.get("allOf")
    if isinstance(parts, list):
        for index, part in enumerate(parts):
            _collect_part(part, join_pointer(pointer, "allOf", index), ctx, shape, active)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for key, value in properties.items():
            wire = str(key)
            where = join_pointer(pointer, "properties", wire)
            earlier = shape.properties.get(wire)
            if earlier is None:
                shape.properties[wire] = Property(wire, value, where)
            else:
                merged = merge_declarations(earlier.schema, value, where, ctx)
                shape.properties[wire] = Property(wire, merged, earlier.pointer)
    required = schema.get("required")
    if isinstance(required, list):
        shape.required.update(name for name in required if isinstance(name, str))
    if "additionalProperties" in schema:
        shape.additional = schema["additionalProperties"]
        shape.additional_pointer = join_pointer(pointer, "additionalProperties")


def _collect_part(
    part: Any, pointer: str, ctx: ParseContext, shape: ObjectShape, active: set[int]
) -> None:
    target, target_pointer = ctx.resolver.follow(part)
    if target_pointer is None and isinstance(part, dict) and "$ref" in part:
        ctx.warn(f"$ref {part['$ref']!r} cannot be resolved; the allOf part is skipped", pointer)
        return
    if not isinstance(target, dict):
        if target is not True:
            ctx.warn("allOf part is not a schema object; it is skipped", pointer)
        return
    if id(target) in active:
        ctx.warn("allOf part includes itself; the cycle is skipped", pointer)
        return
    if id(target) in shape.merged_parts:
        return
    shape.merged_parts.add(id(target))
    if ("oneOf" in target or "anyOf" in target) and "properties" not in target:
        ctx.warn("allOf part is a union; its alternatives are not merged", pointer)
    active.add(id(target))
    _collect(target, target_pointer or pointer, ctx, shape, active)
    active.discard(id(target))


def merged_schema(schema: Mapping[str, Any], pointer: str, ctx: ParseContext) -> dict[str, Any]:
    """An `allOf` without properties as one schema: the conjunction of its parts (followed
    through `$ref`s, each part's own `allOf` merged first) and of its own keys, the tighter
    limit and the common enum values winning (`declarations.conjunction`)."""
    merged: dict[str, Any] = {}
    for part in _conjuncts(schema, ctx, {id(schema)}):
        merged = conjunction(merged, part, pointer, ctx)
    return merged


def _conjuncts(schema: Mapping[str, Any], ctx: ParseContext, active: set[int]) -> list[Any]:
    """The schemas whose conjunction `schema` is, its `allOf` taken apart, in order."""
    found: list[Any] = []
    parts = schema.get("allOf")
    for part in parts if isinstance(parts, list) else ():
        target, _ = ctx.resolver.follow(part)
        if isinstance(target, dict) and id(target) not in active:
            active.add(id(target))
            found += _conjuncts(target, ctx, active)
            active.discard(id(target))
    found.append({k: v for k, v in schema.items() if k != "allOf"})
    return found
