"""Swagger 2.0 schemas and simple values as OpenAPI 3.0 schemas.

Swagger schemas are nearly OpenAPI 3.0 schemas already; what differs:

- references to `#/definitions/X`, `#/parameters/X` and `#/responses/X` move under
  `#/components/...`;
- `x-nullable: true` is OpenAPI 3.0's `nullable: true`;
- `type: file` (form fields and responses) is a binary string;
- a `discriminator` is the property name itself, not an object.

Parameters, headers and `items` that are not in a body are "simple values": their
`type`, `format`, limits and `items` sit on the parameter itself, and become its `schema`.
"""

from __future__ import annotations

from typing import Any

from specloom.loading.contexts import Context, child_context

_REF_PREFIXES = (
    ("#/definitions/", "#/components/schemas/"),
    ("#/parameters/", "#/components/parameters/"),
    ("#/responses/", "#/components/responses/"),
)

SIMPLE_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
)
"""The members of a Swagger parameter, header or `items` that describe its value."""


def local_ref(ref: str) -> str:
    """`ref` pointing where the converted document keeps what it named (local refs only)."""
    for old, new in _REF_PREFIXES:
        if ref.startswith(old):
            return new + ref[len(old) :]
    return ref


def simple_schema(value: dict[str, Any]) -> dict[str, Any]:
    """The schema of a simple value: its type members, with `items` converted the same way."""
    schema = {key: value[key] for key in SIMPLE_SCHEMA_KEYS if key in value}
    items = schema.get("items")
    if isinstance(items, dict):
        schema["items"] = simple_schema(items) if "$ref" not in items else dict(items)
    fix_schema(schema)
    return schema


def fix_schema(schema: Any) -> None:
    """Turn a Swagger schema (and every schema in it) into OpenAPI 3.0, in place."""
    _fix(schema, Context.SCHEMA, 0)


_MAX_DEPTH = 400


def _fix(node: Any, context: Context, depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict | list):
                _fix(item, child_context(context, str(index)), depth + 1)
        return
    if not isinstance(node, dict):
        return
    if context is Context.SCHEMA:
        _fix_one(node)
    for key, child in node.items():
        if isinstance(child, dict | list):
            here = child_context(context, key)
            if here is not Context.DATA:
                _fix(child, here, depth + 1)


def _fix_one(schema: dict[str, Any]) -> None:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema["$ref"] = local_ref(ref)
    nullable = schema.pop("x-nullable", None)
    if nullable is True:
        schema["nullable"] = True
    if schema.get("type") == "file":
        schema["type"] = "string"
        schema["format"] = "binary"
    discriminator = schema.get("discriminator")
    if isinstance(discriminator, str):
        schema["discriminator"] = {"propertyName": discriminator}
