"""Several declarations of one property (in several `allOf` parts) as one schema.

A value must satisfy every part of an `allOf`, so the property's schema is the
conjunction of its declarations: object properties merged recursively (a name is
required if any declaration requires it), array items merged, the tighter of two
limits, the common values of two enums. What one schema cannot say (two different
patterns, two different types) keeps the first declaration's and is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from specloom.diagnostics import join_pointer
from specloom.parser.context import ParseContext
from specloom.parser.facts import is_nullable, is_structural

_COMBINATORS = ("allOf", "oneOf", "anyOf")
_LOWER_BOUNDS = frozenset({"minimum", "minLength", "minItems", "minProperties"})
_UPPER_BOUNDS = frozenset({"maximum", "maxLength", "maxItems", "maxProperties"})
_EITHER_FLAGS = frozenset({"readOnly", "writeOnly", "uniqueItems", "deprecated"})
"""Flags a property has when any declaration sets them."""
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "default", "externalDocs", "xml", "$comment"}
)
"""Keys that describe rather than constrain: the later declaration's wins, as it is the
more specific one (an extending part documents its own use of the property)."""


def merge_declarations(first: Any, second: Any, pointer: str, ctx: ParseContext) -> Any:
    """One schema satisfied exactly by the values both declarations accept, as far as a
    schema without combinators can say; `pointer` is the second declaration's."""
    if first is second:
        return first
    key = (id(first), id(second))
    cached = ctx.merged_declarations.get(key)
    if cached is None:
        # Holding both inputs keeps their id()s unique while the entry lives; the same
        # pair merged again yields the same object, so its inline models are named once.
        cached = (first, second, _merge(first, second, pointer, ctx))
        ctx.merged_declarations[key] = cached
    return cached[2]


def _merge(first: Any, second: Any, pointer: str, ctx: ParseContext) -> Any:
    if not isinstance(first, dict) or not isinstance(second, dict):
        return second if isinstance(second, dict) else first
    if not is_structural(first) or not is_structural(second):
        return _merge_keys(first, second, pointer, ctx)  # keeps the structural one's $ref
    first_target, _ = ctx.resolver.follow(first)
    second_target, _ = ctx.resolver.follow(second)
    if not isinstance(first_target, dict) or not isinstance(second_target, dict):
        return second
    if first_target is second_target:
        return _merge_keys(first, second, pointer, ctx)
    if any(k in first_target or k in second_target for k in _COMBINATORS):
        annotations = _merge_keys(_annotations(first), _annotations(second), pointer, ctx)
        return {"allOf": [first, second], **annotations}
    first_inline, second_inline = _inline(first, first_target), _inline(second, second_target)
    merged = _merge_keys(first_inline, second_inline, pointer, ctx)
    # A declaration that adds nothing to a referenced one keeps its named type (`$ref:
    # User` redeclared as `{type: object}` stays `User`, not an inline copy of it).
    if "$ref" in first and _constraints(merged) == _constraints(first_inline):
        return {**first, **_annotations(second)}
    if "$ref" in second and _constraints(merged) == _constraints(second_inline):
        return {**_annotations(first), **second}
    return merged


def _inline(declared: Mapping[str, Any], target: Mapping[str, Any]) -> Mapping[str, Any]:
    """A declaration with its `$ref` replaced by the target's keys (siblings win)."""
    if "$ref" not in declared:
        return declared
    return {**target, **{k: v for k, v in declared.items() if k != "$ref"}}


def _constraints(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in _ANNOTATIONS}


def _annotations(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k in _ANNOTATIONS or k in _EITHER_FLAGS}


def conjunction(
    first: Mapping[str, Any], second: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> dict[str, Any]:
    """The keys of two schemas satisfied by the values both accept, as far as one schema
    without combinators can say: `merge_declarations` without following `$ref`s (an
    `allOf` of scalar schemas, merged part by part)."""
    return _merge_keys(first, second, pointer, ctx)


def _merge_keys(
    first: Mapping[str, Any], second: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> dict[str, Any]:
    merged = dict(first)
    for key, value in second.items():
        if key not in merged or merged[key] == value:
            merged[key] = value
            continue
        merged[key] = _merge_key(key, merged[key], value, join_pointer(pointer, key), ctx)
    if merged.get("nullable") is True and not all(
        _admits_null(declared, ctx) for declared in (first, second)
    ):
        del merged["nullable"]  # null is a value only when every declaration admits it
    return merged


def _admits_null(schema: Mapping[str, Any], ctx: ParseContext) -> bool:
    return not is_structural(schema) or is_nullable(schema, ctx.resolver)


def _merge_key(key: str, first: Any, second: Any, pointer: str, ctx: ParseContext) -> Any:
    if key == "properties" and isinstance(first, dict) and isinstance(second, dict):
        properties = dict(first)
        for name, schema in second.items():
            where = join_pointer(pointer, name)
            properties[name] = (
                merge_declarations(properties[name], schema, where, ctx)
                if name in properties
                else schema
            )
        return properties
    if key == "required" and isinstance(first, list) and isinstance(second, list):
        return [*first, *(name for name in second if name not in first)]
    if key in ("items", "additionalProperties"):
        return _merge_subschema(first, second, pointer, ctx)
    if key in _ANNOTATIONS or key.startswith("x-"):
        return second
    if key in _EITHER_FLAGS:
        return first is True or second is True
    if key in _LOWER_BOUNDS or key in _UPPER_BOUNDS:
        return _tighter(key in _LOWER_BOUNDS, first, second, key, pointer, ctx)
    if key in ("exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(first, bool) and isinstance(second, bool):
            return first or second  # OpenAPI 3.0: a flag on minimum/maximum
        return _tighter(key == "exclusiveMinimum", first, second, key, pointer, ctx)
    if key == "type":
        return _common(first, second, pointer, ctx)
    if key == "enum" and isinstance(first, list) and isinstance(second, list):
        common = [value for value in first if value in second]
        if common:
            return common
    return _keep_first(key, first, pointer, ctx)


def _merge_subschema(first: Any, second: Any, pointer: str, ctx: ParseContext) -> Any:
    if first is False or second is False:
        return False
    if first is True or first == {}:
        return second
    if second is True or second == {}:
        return first
    return merge_declarations(first, second, pointer, ctx)


def _tighter(
    lower: bool, first: Any, second: Any, key: str, pointer: str, ctx: ParseContext
) -> Any:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (first, second))
    if not numbers:
        return _keep_first(key, first, pointer, ctx)
    pick: Callable[[Any, Any], Any] = max if lower else min
    return pick(first, second)


def _common(first: Any, second: Any, pointer: str, ctx: ParseContext) -> Any:
    """The types both declarations allow (`type` is a name or a list of names)."""
    first_types = first if isinstance(first, list) else [first]
    second_types = second if isinstance(second, list) else [second]
    common = [t for t in first_types if t in second_types]
    if "integer" in first_types and "number" in second_types and "integer" not in common:
        common.append("integer")
    if "integer" in second_types and "number" in first_types and "integer" not in common:
        common.append("integer")
    if not common:
        return _keep_first("type", first, pointer, ctx)
    return common[0] if len(common) == 1 else common


def _keep_first(key: str, first: Any, pointer: str, ctx: ParseContext) -> Any:
    ctx.warn(
        f"allOf parts declare this schema with different `{key}`, which one schema "
        "cannot combine; the first declaration's is kept",
        pointer,
    )
    return first
