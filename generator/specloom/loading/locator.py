"""Mapping a JSON pointer into the bundled document back to a file, line and column.

The bundled document is made of pieces of several files: `origins` records
where each hoisted or inlined piece came from, so a pointer is first
translated, piece by piece, into a pointer into the file that holds it. The
line and column then come from that file's text: read directly for JSON, from its
YAML node tree (composed only the first time a position is asked for) otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from specloom.loading.json_positions import (
    JsonPositions,
    NotJson,
    line_and_column,
    lines_and_columns,
)
from specloom.loading.pointers import split_pointer
from specloom.loading.sources import SourceDocument

Origin = tuple[str, str]
"""A place in one source document: (location, JSON pointer)."""

_MAX_HOPS = 64


class Locator:
    """Finds where a pointer into the bundled document was written."""

    def __init__(
        self,
        root: SourceDocument,
        documents: Mapping[str, SourceDocument],
        origins: Mapping[Origin, Origin],
        renamed: Mapping[str, str] | None = None,
    ) -> None:
        self._root = root
        self._documents = documents
        self._origins = origins
        self.renamed: Mapping[str, str] = renamed or {}
        """Pointers into the root as converted (from Swagger 2.0) -> as written."""
        self._keys: dict[int, dict[str, tuple[Node, Node]]] = {}
        self._json: dict[str, JsonPositions | None] = {}

    def locate(self, pointer: str) -> tuple[str, int | None, int | None]:
        """(file, line, column) of `pointer`, 1-based; as deep as can be found."""
        document, pointer = self.source_of(pointer)
        return (document.display, *self.position(document, pointer))

    def locate_many(self, pointers: Sequence[str]) -> list[tuple[str, int | None, int | None]]:
        """`locate` of each of `pointers`; each JSON text on the way is read once for all."""
        sources = [self.source_of(pointer) for pointer in pointers]
        by_document: dict[str, list[int]] = {}
        for index, (document, _) in enumerate(sources):
            by_document.setdefault(document.location, []).append(index)
        places: list[tuple[int | None, int | None]] = [(None, None)] * len(pointers)
        for indexes in by_document.values():
            document = sources[indexes[0]][0]
            pointers_here = [sources[index][1] for index in indexes]
            for index, place in zip(indexes, self.positions(document, pointers_here), strict=True):
                places[index] = place
        return [
            (document.display, *place) for (document, _), place in zip(sources, places, strict=True)
        ]

    def source_of(self, pointer: str) -> tuple[SourceDocument, str]:
        """The source document and the pointer into it that `pointer` (into the bundle) names."""
        document = self._root
        for _ in range(_MAX_HOPS):
            moved = self._translate(document.location, pointer)
            if moved is None:
                break
            location, pointer = moved
            document = self._documents.get(location, document)
        if document is self._root:
            pointer = self.original(pointer)
        return document, pointer

    def original(self, pointer: str) -> str:
        """Where `pointer` into the root document was written, when the root was converted."""
        if not self.renamed:
            return pointer
        prefix = pointer
        while True:
            written = self.renamed.get(prefix)
            if written is not None:
                return written + pointer[len(prefix) :]
            if not prefix:
                return pointer
            prefix = prefix[: prefix.rfind("/")]

    def position(self, document: SourceDocument, pointer: str) -> tuple[int | None, int | None]:
        """The 1-based line and column of `pointer` in `document`'s text."""
        tokens = split_pointer(pointer)
        if tokens is None:
            return None, None
        positions = self._json_positions(document)
        if positions is not None:
            try:
                return line_and_column(document.text, positions.offset(tokens))
            except NotJson:  # YAML after all (a flow mapping): read its node tree
                self._json[document.location] = None
        node = document.node_tree()
        if node is None:
            return None, None
        mark = node.start_mark
        for token in tokens:
            found = self._child(node, token)
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark
        return mark.line + 1, mark.column + 1

    def positions(
        self, document: SourceDocument, pointers: Sequence[str]
    ) -> list[tuple[int | None, int | None]]:
        """`position` of each of `pointers` in `document`: a JSON text is walked once."""
        token_lists = [split_pointer(pointer) for pointer in pointers]
        positions = self._json_positions(document)
        if positions is not None:
            valid = [tokens for tokens in token_lists if tokens is not None]
            try:
                places = lines_and_columns(document.text, positions.offsets(valid))
            except NotJson:  # YAML after all (a flow mapping): read its node tree
                self._json[document.location] = None
            else:
                placed = iter(places)
                return [(None, None) if t is None else next(placed) for t in token_lists]
        return [self.position(document, pointer) for pointer in pointers]

    def _json_positions(self, document: SourceDocument) -> JsonPositions | None:
        """Direct offsets for a document written as JSON (no YAML node tree needed)."""
        if document.location not in self._json:
            start = document.text[:64].lstrip()
            looks_json = start.startswith(("{", "["))
            self._json[document.location] = JsonPositions(document.text) if looks_json else None
        return self._json[document.location]

    def _translate(self, location: str, pointer: str) -> Origin | None:
        if not self._origins:
            return None
        prefix = pointer
        while prefix:
            origin = self._origins.get((location, prefix))
            if origin is not None:
                return origin[0], origin[1] + pointer[len(prefix) :]
            prefix = prefix[: prefix.rfind("/")]
        return None

    def _child(self, node: Node, token: str) -> tuple[Node, Node] | None:
        """(the node to point at, the child node) for one token."""
        if isinstance(node, MappingNode):
            return self._keys_of(node).get(token)
        if isinstance(node, SequenceNode) and token.isdigit() and int(token) < len(node.value):
            item: Node = node.value[int(token)]
            return item, item
        return None

    def _keys_of(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    for merged in _merged_mappings(value_node):
                        for name, entry in self._keys_of(merged).items():
                            keys.setdefault(name, entry)
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                    keys[key_node.value] = (key_node, value_node)
            self._keys[id(node)] = keys
        return keys


def _merged_mappings(node: Node) -> list[MappingNode]:
    if isinstance(node, MappingNode):
        return [node]
    if isinstance(node, SequenceNode):
        return [item for item in node.value if isinstance(item, MappingNode)]
    return []
