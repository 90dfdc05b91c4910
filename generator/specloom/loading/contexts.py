"""What a value in an OpenAPI document is, judged from the keys that lead to it.

The bundler needs to know three things while it walks: whether a `$ref` there
is a reference (not a property named `$ref`, not example data), whether its
target is a schema (schemas are hoisted into `components/schemas`, other
objects are inlined), and which values are literal data that must not be
walked at all (`example`, `default`, `enum`, an Example's `value`).
"""

from __future__ import annotations

import enum


class Context(enum.Enum):
    """The kind of value at some place in a document."""

    OBJECT = "object"
    """An OpenAPI object: operation, response, parameter, media type..."""
    NAMED = "named"
    """A map or list of OpenAPI objects (`paths`, `responses`, `content`, `parameters`...)."""
    SCHEMA = "schema"
    SCHEMAS = "schemas"
    """A map or list of schemas (`properties`, `allOf`, `components/schemas`...)."""
    EXAMPLES = "examples"
    """A map of Example objects."""
    EXAMPLE = "example"
    DATA = "data"
    """Literal values: never walked, `$ref` in them is data."""

    # Members are singletons: hashing by identity is much cheaper than Enum's (the bundler
    # looks a context up in a dict for every value it walks).
    __hash__ = object.__hash__

    @property
    def holds_references(self) -> bool:
        """Whether a string `$ref` member here is a reference (maps of names have none)."""
        return self in _REFERENCING


_REFERENCING = frozenset({Context.OBJECT, Context.SCHEMA, Context.EXAMPLE})

_NAMED_FIELDS = frozenset(
    {
        "callbacks",
        "content",
        "encoding",
        "headers",
        "links",
        "mediaTypes",
        "parameters",
        "pathItems",
        "paths",
        "requestBodies",
        "responses",
        "securitySchemes",
        "variables",
        "webhooks",
    }
)
_SCHEMA_DATA_FIELDS = frozenset({"const", "default", "enum", "example", "examples"})
_SUBSCHEMA_COLLECTIONS = frozenset(
    {
        "$defs",
        "allOf",
        "anyOf",
        "definitions",
        "dependentSchemas",
        "oneOf",
        "patternProperties",
        "prefixItems",
        "properties",
    }
)
_SCHEMA_OBJECT_FIELDS = frozenset({"discriminator", "externalDocs", "xml"})


def child_context(parent: Context, key: str) -> Context:
    """The context of `parent[key]` (for lists, `key` is the index)."""
    if parent is Context.SCHEMA:
        return _schema_child(key)
    if parent is Context.SCHEMAS:
        return Context.SCHEMA
    if parent is Context.NAMED:
        return Context.OBJECT
    if parent is Context.EXAMPLES:
        return Context.EXAMPLE
    if parent is Context.EXAMPLE:
        return Context.DATA if key in ("value", "dataValue") else Context.OBJECT
    return _object_child(key)


def component_context(kind: str) -> Context:
    """The context of an entry of `components/<kind>`."""
    if kind == "schemas":
        return Context.SCHEMA
    if kind == "examples":
        return Context.EXAMPLE
    return Context.OBJECT


def _object_child(key: str) -> Context:
    if key == "schema":
        return Context.SCHEMA
    if key == "schemas":
        return Context.SCHEMAS
    if key == "examples":
        return Context.EXAMPLES
    if key == "example" or key.startswith("x-"):
        return Context.DATA
    if key in _NAMED_FIELDS:
        return Context.NAMED
    return Context.OBJECT


def _schema_child(key: str) -> Context:
    if key in _SCHEMA_DATA_FIELDS or key.startswith("x-"):
        return Context.DATA
    if key in _SUBSCHEMA_COLLECTIONS:
        return Context.SCHEMAS
    if key in _SCHEMA_OBJECT_FIELDS:
        return Context.OBJECT
    return Context.SCHEMA
