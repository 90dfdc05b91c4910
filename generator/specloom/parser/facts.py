"""Questions about a raw schema, answered without converting it.

The converter (`schemas`) dispatches on the same facts, so a component's
nullability and enum members can be known before it is converted, e.g. when an
earlier schema refers to it or names one of its members as a default.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specloom.parser.refs import Resolver

STRUCTURAL_KEYS = frozenset(
    {
        "$ref",
        "additionalProperties",
        "allOf",
        "anyOf",
        "const",
        "enum",
        "format",
        "items",
        "oneOf",
        "prefixItems",
        "properties",
        "type",
    }
)
"""Keys that shape a value's type; a schema without any only annotates (description, ...)."""


LIMIT_KEYS = frozenset(
    {
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxItems",
        "maxLength",
        "maximum",
        "minItems",
        "minLength",
        "minimum",
        "multipleOf",
        "pattern",
    }
)
"""Keys that limit a scalar's or a list's values without shaping its type."""


def has_limits(schema: Mapping[str, Any]) -> bool:
    return not LIMIT_KEYS.isdisjoint(schema)


def is_object_like(schema: Mapping[str, Any], resolver: Resolver, depth: int = 0) -> bool:
    """Whether a schema describes an object (a model), itself or through its `allOf` parts."""
    if schema.get("type") == "object" or "properties" in schema or "additionalProperties" in schema:
        return True
    parts = schema.get("allOf")
    if not isinstance(parts, list) or depth > 16:  # an allOf may lead back to itself
        return False
    for part in parts:
        target, _ = resolver.follow(part)
        if isinstance(target, dict) and is_object_like(target, resolver, depth + 1):
            return True
    return False


def is_structural(schema: object) -> bool:
    """Whether `schema` constrains the type at all (not just `description`, `required`, ...)."""
    return isinstance(schema, dict) and not STRUCTURAL_KEYS.isdisjoint(schema)


def sole_all_of_part(schema: Mapping[str, Any]) -> int | None:
    """The index of the one `allOf` part that gives the schema its type, when that part
    is a `$ref` and the schema adds nothing else (`allOf: [$ref]` plus a description)."""
    parts = schema.get("allOf")
    if not isinstance(parts, list):
        return None
    if any(key in schema for key in STRUCTURAL_KEYS - {"allOf"}):
        return None
    structural = [i for i, part in enumerate(parts) if is_structural(part)]
    if len(structural) == 1 and "$ref" in parts[structural[0]]:
        return structural[0]
    return None


def has_all_of(schema: Mapping[str, Any]) -> bool:
    return isinstance(schema.get("allOf"), list) and bool(schema["allOf"])


def union_options(schema: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
    """`("oneOf" | "anyOf", options)` when the schema is a union of types; None when it has
    none, or only uses one to constrain its own properties (`oneOf: [{required: [a]}, ...]`)."""
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if isinstance(options, list) and any(is_structural(o) for o in options):
            return key, options
    return None


def implied_type(schema: Mapping[str, Any]) -> str | None:
    """The `type` a schema without one describes: `object` by its properties, `array` by
    its items, else None (anything)."""
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    return "array" if "items" in schema else None


def is_plain_enum(schema: Mapping[str, Any]) -> bool:
    """Whether the converter types this schema from its `enum` list."""
    if "$ref" in schema or "const" in schema or "enum" not in schema:
        return False
    return not has_all_of(schema) and union_options(schema) is None


def is_nullable(schema: Any, resolver: Resolver, seen: set[int] | None = None) -> bool:
    """Whether a schema admits null (3.0 `nullable`, 3.1 `"null"` type, null enum value,
    a nullable union member), following `$ref`s."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return False
    seen.add(id(schema))
    types = schema.get("type")
    if (
        schema.get("nullable") is True
        or types == "null"
        or (isinstance(types, list) and "null" in types)
        or ("const" in schema and schema["const"] is None)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    ):
        return True
    if "$ref" in schema:
        target, _ = resolver.follow(schema)
        return is_nullable(target, resolver, seen)
    sole = sole_all_of_part(schema)
    if sole is not None:
        return is_nullable(schema["allOf"][sole], resolver, seen)
    union = union_options(schema)
    return union is not None and any(is_nullable(o, resolver, seen) for o in union[1])
