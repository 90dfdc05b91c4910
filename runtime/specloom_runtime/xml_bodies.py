"""XML bodies: JSON-like data to an XML document and back, as the spec's `xml` objects say.

The data is what a pydantic model dumps to (`mode="json"`, by alias) and what it
validates from: objects are dicts by wire name, arrays lists, everything else a scalar.
An `XmlShape` (generated from the spec, `specloom_runtime.operation`) tells each
property's element or attribute name, its namespace and prefix, and whether an array
wraps its items in one element. Text comes back as text: the model's validation turns
`"3"` into `3` and `"true"` into `True`.

Documents are parsed with defusedxml: a DTD, entity declarations (the "billion laughs")
and external references are refused, as is nesting deeper than `MAX_DEPTH`. Sizes are
bounded where the body is read (`max_body_size` on the server, `max_response_size` on the
client).
"""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .operation import XmlNode, XmlShape

__all__ = ["MAX_DEPTH", "MalformedXml", "UnwritableXml", "decode_xml", "encode_xml"]

MAX_DEPTH = 100
"""How deeply elements may nest in a document read."""

_PLAIN = XmlNode()


class MalformedXml(ValueError):
    """A body that is not a well-formed XML document, or one refused as unsafe."""


class UnwritableXml(ValueError):
    """Data XML cannot hold: a key that is no element name (`user@example.com`)."""


_ELEMENT_NAME = re.compile(r"(?:xml:)?[^\W\d][\w.\-]*")
"""An element's name as XML allows it (a letter or `_`, then letters, digits, `_`, `-`,
`.`), in no namespace or in the `xml` one, which every document binds (Atom's
`xml:base`); any other prefix is the spec's `xml.prefix`, never part of a key."""


def encode_xml(data: Any, shape: XmlShape) -> bytes:
    """`data` as an XML document (UTF-8, with an XML declaration) whose root element is
    `shape.root`'s."""
    root = shape.root
    element = _Writer(shape).element(root.name or "root", root, data, {})
    document: bytes = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    # A carriage return in text would be read back as a line feed (XML normalizes line
    # ends); as a character reference it stays itself. ElementTree writes none of its own.
    return document.replace(b"\r", b"&#13;")


def decode_xml(content: bytes, shape: XmlShape) -> Any:
    """The data of an XML document, shaped by `shape` for the model to validate.

    Raises `MalformedXml` when it is not well-formed XML or is refused as unsafe.
    """
    # defusedxml ships no types: imported by name, it needs no stubs where a generated
    # package is type-checked.
    defused = importlib.import_module("defusedxml")
    defused_tree = importlib.import_module("defusedxml.ElementTree")
    try:
        document: ET.Element = defused_tree.fromstring(content, forbid_dtd=True)
    except ET.ParseError as error:
        raise MalformedXml(f"the body is not a well-formed XML document: {error}") from None
    except defused.DefusedXmlException as error:
        raise MalformedXml(
            "the XML body is refused: it declares a DTD, an entity or an external reference "
            f"({type(error).__name__})"
        ) from None
    return _Reader(shape).read(document, shape.root, 0)


_XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"
"""The namespace of the `xml` prefix, bound in every document."""


def _local(tag: str) -> str:
    """An element or attribute name without its namespace (`{urn:x}name` -> `name`), but
    for the `xml` one, which names keep (`xml:base`, as the spec declares it)."""
    namespace, _, local = tag.rpartition("}")
    return f"xml:{local}" if namespace + "}" == _XML_NAMESPACE else local


_NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character XML 1.0 cannot hold, not even as a character reference (most control
characters, lone surrogates, U+FFFE and U+FFFF)."""


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    found = _NOT_XML_TEXT.search(text)
    if found is not None:
        raise UnwritableXml(
            f"XML cannot hold the character {found.group()!r} of {text[:40]!r}: the value "
            "cannot be written as XML"
        )
    return text


class _Writer:
    def __init__(self, shape: XmlShape) -> None:
        self._models = shape.properties
        self._ambiguous: dict[str, frozenset[str]] = {}

    def element(self, name: str, node: XmlNode, value: Any, scope: Mapping[str, str]) -> ET.Element:
        if not _ELEMENT_NAME.fullmatch(name):
            raise UnwritableXml(
                f"{name!r} is no XML element name: the value cannot be written as XML"
            )
        element = ET.Element(_qualified(name, node))
        scope = _declare(element, node, scope)
        if node.items is not None:
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    element.append(self.element(node.items.name or name, node.items, item, scope))
        elif isinstance(value, dict):
            self._fill(element, node, value, scope)
        else:
            element.text = _text(value)
        return element

    def _fill(
        self,
        element: ET.Element,
        parent: XmlNode,
        value: Mapping[str, Any],
        scope: Mapping[str, str],
    ) -> None:
        model = parent.model
        properties = self._models.get(model, {})
        extra = _extra(parent)
        for key, item in value.items():
            if item is None:
                continue
            node = properties.get(key, extra)
            if node.attribute:
                # An attribute takes a namespace only through a prefix: a default namespace
                # would be its element's, not its own.
                if node.prefix:
                    scope = _declare(element, node, scope)
                element.set(_qualified(node.name or key, node), _text(item))
                continue
            if not isinstance(item, list):
                element.append(self.element(node.name or key, node, item, scope))
                continue
            items = node.items or _PLAIN
            item_name = items.name or key
            wrapper = node.name or key
            # An empty list is an empty element (else it would read back absent), and a list
            # whose items would be taken for another property's elements is wrapped too:
            # the reader takes either layout.
            if node.wrapped or not item or key in self._ambiguous_of(model):
                wrapped = replace(node, items=replace(items, name=item_name))
                element.append(self.element(wrapper, wrapped, item, scope))
                continue
            for each in item:
                if each is not None:
                    element.append(self.element(item_name, items, each, scope))

    def _ambiguous_of(self, model: str) -> frozenset[str]:
        """The unwrapped array properties of a model whose item elements share their name
        with another property's elements (AWS: `NodeType` beside a list of `NodeType`)."""
        if model not in self._ambiguous:
            properties = self._models.get(model, {})
            names = Counter(_element_name(key, node) for key, node in properties.items())
            self._ambiguous[model] = frozenset(
                key
                for key, node in properties.items()
                if node.items is not None and names[_element_name(key, node)] > 1
            )
        return self._ambiguous[model]


def _extra(parent: XmlNode) -> XmlNode:
    """The node of an object's undeclared properties: its `values` (a list wrapped in the
    element named after its key), else plain."""
    values = parent.values
    if values is None:
        return _PLAIN
    return replace(values, wrapped=True) if values.items is not None else values


def _element_name(key: str, node: XmlNode) -> str:
    """The name of a property's elements in its object (an attribute's is set apart)."""
    if node.attribute:
        return "@" + (node.name or key)
    if node.items is not None and not node.wrapped:
        return node.items.name or key
    return node.name or key


def _qualified(name: str, node: XmlNode) -> str:
    return f"{node.prefix}:{name}" if node.prefix and node.namespace else name


def _declare(element: ET.Element, node: XmlNode, scope: Mapping[str, str]) -> Mapping[str, str]:
    """Declare the node's namespace on `element` unless it is already in scope there; the
    namespaces in scope below it."""
    if not node.namespace or scope.get(node.prefix) == node.namespace:
        return scope
    element.set(f"xmlns:{node.prefix}" if node.prefix else "xmlns", node.namespace)
    return {**scope, node.prefix: node.namespace}


class _Reader:
    def __init__(self, shape: XmlShape) -> None:
        self._models = shape.properties

    def read(self, element: ET.Element, node: XmlNode, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise MalformedXml(f"the XML body nests deeper than {MAX_DEPTH} elements")
        if node.items is not None:
            return [self.read(child, node.items, depth + 1) for child in element]
        properties = self._models.get(node.model) if node.model else None
        if properties is not None:
            return self._object(element, properties, depth, node.values)
        if len(element) or element.attrib:
            return self._object(element, {}, depth, None)
        return element.text or ""

    def _object(
        self,
        element: ET.Element,
        properties: Mapping[str, XmlNode],
        depth: int,
        values: XmlNode | None,
    ) -> dict[str, Any]:
        children = list(element)
        claimed: set[str] = set()
        claimed_attributes: set[str] = set()
        result: dict[str, Any] = {}
        for key, node in properties.items():
            if node.attribute:
                claimed_attributes.add(node.name or key)
                value = _attribute(element, node.name or key)
                if value is not None:
                    result[key] = value
                continue
            wrapper = node.name or key
            if node.items is not None:
                items = self._items(children, wrapper, node.items.name or key, node.wrapped)
                claimed.update((wrapper, node.items.name or key))
                if items is not None:
                    result[key] = [self.read(item, node.items, depth + 1) for item in items]
                continue
            claimed.add(wrapper)
            match = next((child for child in children if _local(child.tag) == wrapper), None)
            if match is not None:
                result[key] = self.read(match, node, depth + 1)
        # What the schema does not declare is kept by name, for `additionalProperties`.
        for child in children:
            name = _local(child.tag)
            if name in claimed or name in result:
                continue
            if values is not None:
                result[name] = self.read(child, values, depth + 1)
                continue
            same = [c for c in children if _local(c.tag) == name]
            found = [self.read(c, _PLAIN, depth + 1) for c in same]
            result[name] = found if len(found) > 1 else found[0]
        for attribute, value in element.attrib.items():
            if _local(attribute) not in claimed_attributes:
                result.setdefault(_local(attribute), value)
        return result

    @staticmethod
    def _items(
        children: list[ET.Element], wrapper: str, item: str, wrapped: bool
    ) -> list[ET.Element] | None:
        """The elements of an array property; None when the document has none.

        A wrapper element is read whether the spec says the array is wrapped or not:
        writers wrap an empty or ambiguous list, and AWS query-protocol specs declare
        unwrapped lists that AWS sends wrapped.
        """
        wrappers = [child for child in children if _local(child.tag) == wrapper]
        if (wrapper != item or wrapped) and wrappers:
            return list(wrappers[0])
        side_by_side = [child for child in children if _local(child.tag) == item]
        if wrapper == item and len(side_by_side) == 1 and _is_empty(side_by_side[0]):
            return []  # how an empty list is written when its items share its name
        return side_by_side or None


def _is_empty(element: ET.Element) -> bool:
    return not element.attrib and not len(element) and not element.text


def _attribute(element: ET.Element, name: str) -> str | None:
    for attribute, value in element.attrib.items():
        if _local(attribute) == name:
            return value
    return None
