"""XML shapes: the spec's `xml` objects of a body's schema, for the runtime's XML codec.

The codec works on wire names, so a shape follows the raw schemas (through `$ref` and
`allOf`) rather than the generated models. A schema referenced elsewhere keeps its own
`xml`, which the referring schema's own `xml` overrides (`allOf: [{$ref: Tag}, {xml:
{name: Tag}}]`, as AWS specs write it). Every object schema's properties are listed once
per shape under a model key (its component name, or its pointer for an inline schema), so
a schema that contains itself needs no infinite tree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from msgspec.structs import replace

from specloom.diagnostics import join_pointer
from specloom.ir.model import XmlNode, XmlShape
from specloom.parser.refs import Resolver

_MAX_DEPTH = 32
"""How many `$ref`/`allOf` steps one schema is followed through."""

_SCHEMAS = "/components/schemas/"

_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})


@dataclass
class _Flat:
    """One schema seen through its `$ref`s and `allOf` members."""

    pointer: str
    xml: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, tuple[Any, str]] = field(default_factory=dict)
    """(schema, pointer) by wire name."""
    property_sources: list[str] = field(default_factory=list)
    """The pointers of the schemas that declared properties."""
    items: tuple[Any, str] | None = None
    is_object: bool = False
    additional: tuple[Any, str] | None = None
    """(schema, pointer) of typed `additionalProperties`."""
    reference: str = ""
    """The pointer of the first schema referenced."""
    scalar: bool = False
    """Its `type` is text, a number or a boolean: the model is that scalar, whatever
    `properties` the schema lists beside it (npr's `ImpressionXml`, a string with an
    `id` attribute), so its element holds text."""

    @property
    def model_key(self) -> str:
        sources = list(dict.fromkeys(self.property_sources))
        if len(sources) == 1:
            return _key(sources[0])
        return _key(self.reference if not sources and self.reference else self.pointer)

    @property
    def component(self) -> str:
        """The component name of the schema referenced, empty when there is none."""
        return self.reference[len(_SCHEMAS) :] if self.reference.startswith(_SCHEMAS) else ""


Warn = Callable[[str, str], None]
"""Told a warning's message and pointer."""


def xml_shape(
    schema: Any, pointer: str, fallback_name: str, resolver: Resolver, warn: Warn
) -> XmlShape:
    """The XML shape of a body of `schema`: its root element is named by the schema's
    `xml.name`, else its component name, else `fallback_name`."""
    builder = _Builder(resolver, warn)
    flat = builder.flatten(schema, pointer)
    root = builder.node(flat)
    name = root.name or flat.component or fallback_name
    if root.items is not None and not root.items.name and flat.items is not None:
        # A document has one root: an array's items sit in it, named after their schema.
        items = builder.flatten(*flat.items)
        root = replace(root, items=replace(root.items, name=items.component or name))
    return XmlShape(replace(root, name=name), tuple(sorted(builder.models.items())))


def _key(pointer: str) -> str:
    name = pointer[len(_SCHEMAS) :] if pointer.startswith(_SCHEMAS) else ""
    return name if name and "/" not in name else pointer


class _Builder:
    def __init__(self, resolver: Resolver, warn: Warn) -> None:
        self._resolver = resolver
        self._warn = warn
        self.models: dict[str, tuple[tuple[str, XmlNode], ...]] = {}

    def flatten(self, schema: Any, pointer: str) -> _Flat:
        flat = _Flat(pointer)
        self._merge(flat, schema, pointer, 0)
        return flat

    def _merge(self, flat: _Flat, schema: Any, pointer: str, depth: int) -> None:
        if not isinstance(schema, dict) or depth > _MAX_DEPTH:
            return
        target = self._resolver.resolve(schema.get("$ref")) if "$ref" in schema else None
        if target is not None:
            flat.reference = flat.reference or target.pointer
            self._merge(flat, target.value, target.pointer, depth + 1)
        members = schema.get("allOf")
        if isinstance(members, list):
            for index, member in enumerate(members):
                self._merge(flat, member, join_pointer(pointer, "allOf", index), depth + 1)
        properties = schema.get("properties")
        if isinstance(properties, dict) and properties:
            flat.property_sources.append(pointer)
            for name, value in properties.items():
                flat.properties[str(name)] = (value, join_pointer(pointer, "properties", name))
        if "items" in schema or schema.get("type") == "array":
            flat.items = (schema.get("items", {}), join_pointer(pointer, "items"))
        if schema.get("type") == "object" or "additionalProperties" in schema:
            flat.is_object = True
        if schema.get("type") in _SCALAR_TYPES:
            flat.scalar = True
        additional = schema.get("additionalProperties")
        if isinstance(additional, dict) and additional:
            flat.additional = (additional, join_pointer(pointer, "additionalProperties"))
        xml = schema.get("xml")
        if isinstance(xml, dict):
            flat.xml.update(xml)

    def node(self, flat: _Flat, depth: int = 0) -> XmlNode:
        xml = flat.xml
        structured = not flat.scalar and (
            flat.items is not None or bool(flat.properties) or flat.is_object
        )
        attribute = xml.get("attribute") is True
        if attribute and structured:
            # An attribute holds text: an object or a list written there would not read back.
            self._warn(
                "an XML attribute holds text, not an object or array; this property is "
                "written and read as an element",
                join_pointer(flat.pointer, "xml", "attribute"),
            )
        node = XmlNode(
            name=_text(xml.get("name")),
            namespace=_text(xml.get("namespace")),
            prefix=_text(xml.get("prefix")),
            attribute=attribute and not structured,
            wrapped=xml.get("wrapped") is True,
        )
        if depth > _MAX_DEPTH or not structured:
            # Text, or arrays of arrays of themselves (the rest is read as it comes).
            return node
        if flat.items is not None:
            return replace(node, items=self.node(self.flatten(*flat.items), depth + 1))
        if flat.properties or flat.is_object:
            # An object without properties is a model too: its element reads as `{}`.
            key = flat.model_key
            if key not in self.models:
                self.models[key] = ()  # claimed first: a schema may contain itself
                self.models[key] = tuple(
                    (name, self.node(self.flatten(value, where), depth + 1))
                    for name, (value, where) in flat.properties.items()
                )
            values = flat.additional
            if values is not None:
                node = replace(node, values=self.node(self.flatten(*values), depth + 1))
            return replace(node, model=key)
        return node


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
