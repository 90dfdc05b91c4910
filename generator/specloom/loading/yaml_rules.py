"""Reading YAML the way OpenAPI asks: JSON-compatible values, string keys.

The OpenAPI specification recommends YAML 1.2 restricted to the JSON schema
ruleset, with every mapping key a plain string. PyYAML implements YAML 1.1,
where `200:` is an int key, `on:` and `NO` are booleans, `2024-01-01` is a
date and `010` is octal. `OpenApiYamlLoader` resolves scalars by the YAML 1.2
core schema instead and keeps every key as the text that was written, so a
spec reads the same here as in the JavaScript and Java tooling it was written
for. It works during construction: there is no second pass over the result.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from specloom.loading.values import MAX_INT_BITS, MAX_INT_DIGITS

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _PurePythonParser(Reader, Scanner, Parser, Composer):
    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)


def _fastest_parser() -> type[Any]:
    try:
        from yaml._yaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return _PurePythonParser
    return CParser


if TYPE_CHECKING:
    _Parser = _PurePythonParser
else:
    _Parser = _fastest_parser()


class CoreSchemaResolver(BaseResolver):
    """Implicit tags of the YAML 1.2 core schema (plus `<<` merge keys)."""


CoreSchemaResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
CoreSchemaResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
CoreSchemaResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
CoreSchemaResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
CoreSchemaResolver.add_implicit_resolver(_MERGE_TAG, re.compile(r"^(?:<<)$"), ["<"])


class OpenApiConstructor(SafeConstructor):
    """Safe construction with string keys, YAML 1.2 integers and timestamps kept as text.

    Keys written twice in one mapping are collected in `duplicate_keys` (the later
    value wins, as in every YAML library) so that the caller can warn about them.
    """

    def __init__(self) -> None:
        super().__init__()
        self.duplicate_keys: list[tuple[str, Node]] = []
        self._merged: set[int] = set()

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        if any(key.tag == _MERGE_TAG for key, _ in node.value):
            self._merged.add(id(node))
        self.flatten_mapping(node)
        check_duplicates = id(node) not in self._merged
        mapping: dict[Hashable, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "found a key that is not a plain string",
                    key_node.start_mark,
                )
            key = key_node.value
            if check_duplicates and key in mapping:
                self.duplicate_keys.append((key, key_node))
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def construct_core_int(self, node: Node) -> int:
        text = str(self.construct_scalar(node))  # type: ignore[arg-type]
        too_long = ConstructorError(
            None, None, f"an integer has more than {MAX_INT_DIGITS:,} digits", node.start_mark
        )
        if len(text) > MAX_INT_DIGITS:
            raise too_long
        if text.startswith("0o"):
            value = int(text[2:], 8)
        elif text.startswith("0x"):
            value = int(text[2:], 16)
        else:
            value = int(text, 10)
        if value.bit_length() > MAX_INT_BITS:
            raise too_long
        return value

    def construct_text(self, node: Node) -> str:
        return str(self.construct_scalar(node))  # type: ignore[arg-type]


OpenApiConstructor.yaml_constructors = {
    **SafeConstructor.yaml_constructors,
    "tag:yaml.org,2002:int": OpenApiConstructor.construct_core_int,
    "tag:yaml.org,2002:timestamp": OpenApiConstructor.construct_text,
}


class OpenApiYamlLoader(_Parser, OpenApiConstructor, CoreSchemaResolver):
    """A safe YAML loader (libyaml's parser when available) with OpenAPI's value rules."""

    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        OpenApiConstructor.__init__(self)
        CoreSchemaResolver.__init__(self)


def load_yaml(text: str) -> tuple[Any, list[tuple[str, Node]]]:
    """The value of a one-document YAML stream and the keys written twice in it.

    Raises `yaml.YAMLError` on malformed input (with line and column marks).
    """
    loader = OpenApiYamlLoader(text)
    try:
        return loader.get_single_data(), loader.duplicate_keys
    finally:
        loader.dispose()


def compose_yaml(text: str) -> Node | None:
    """The node tree of a one-document YAML stream, with the position of every node."""
    loader = OpenApiYamlLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
