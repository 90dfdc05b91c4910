"""Regenerating after an edit of one operation's summary or description, by patching.

The edit most often made to a spec is to its prose, and an operation's `summary` and
`description` reach only three places: the docstrings of its client methods, of its
server handler, and the spec served as `openapi.json`. So the last full run of a spec file
(with the same options) leaves a record: the spec's text, where each operation's summary
and description stand in it, the operation (its IR) and the modules holding its
docstrings. When the text of the next run differs from that one only inside one of those
strings, the earlier result is reused with those docstrings composed anew (by the
functions the templates call), that string replaced in `openapi.json`, and the columns
of the diagnostics after it on its line moved. Nothing is loaded, validated, parsed,
rendered or formatted: a description is a string wherever it is, which no validation
rule reads, and nothing else the parser builds depends on it.

Anything else runs in full (and records itself for the next run): another change, a
change to two places, a YAML file, a spec whose references read other files, an
operation shared by two paths or read through a `$ref`, a docstring not found where
expected. The files and diagnostics are those of a full run, byte for byte (tested by
comparing the two on real specs).
"""

from __future__ import annotations

import bisect
import json
import marshal
import pickle
import re
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from specloom import cache
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic
from specloom.loading.pointers import split_pointer
from specloom.result_cache import (
    Reuse,
    Stored,
    StoredFile,
    packed_result,
    replaced,
    stored_bytes,
    stored_text,
    with_replacements,
)

if TYPE_CHECKING:
    from specloom.ir import Api, Operation
    from specloom.loader import LoadedSpec

__all__ = ["patched", "remember"]

_KIND = "doc-edits"
_BASE_KIND = "doc-edits-base"
_FORMAT = 1
"""The layout of a stored record (`_Record`), part of what is checked on reading one."""
_MAX_EDITS = 256
"""Strings edited since the last full run, at most; one more runs in full (and records
afresh)."""
_MAX_REPLACEMENTS = 8
"""Replacements a stored file is kept with, at most, before it is stored whole again."""
_FIELDS = ("summary", "description")
_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_PROTOCOL = 5
_CHUNK = 1 << 16
"""How many characters of two texts are compared at once when looking for where they differ."""
_METHOD_INDENT = 8
"""The indentation of a method's body in the generated classes."""

Edit = tuple[int, int, str]
"""The text from `start` to `end` replaced by a new one."""
Replacement = tuple[int, int, bytes]
"""The bytes from `start` to `end` of a file's UTF-8 form replaced by new ones."""


@dataclass(frozen=True)
class _Place:
    """An operation whose summary and description can be patched, and where they land."""

    pointer: str
    client_module: str
    """The path of the generated file holding its client methods; empty without a client."""
    server_module: str
    """The path of the generated file holding its handler; empty without a server."""


@dataclass(frozen=True)
class _Record:
    """What the last run of a spec file left for the next one to patch from.

    The spec's text and the operations (pickled) are those of the last full run, kept
    apart (`_BASE_KIND`, under `base`) and written once; the record says what changed
    since: the text's replacements, each patched operation."""

    result: str
    """The result cache's key of the last run's files and diagnostics."""
    base: str
    edits: list[Edit]
    """The strings edited since: replacements of the base's text, sorted, apart."""
    spans: list[tuple[int, int, int, int]]
    """Where each patchable string stands in the last run's text (from its opening quote
    to past its closing one), with the index of its `_Place` and of its field in
    `_FIELDS`; sorted."""
    places: list[_Place]
    spec_json: str
    """The path of the generated `openapi.json`; empty when there is none."""
    operations: dict[int, bytes] = field(default_factory=dict)
    """The operations patched since the base, pickled, by the index of their place."""

    def packed(self) -> bytes:
        places = [(p.pointer, p.client_module, p.server_module) for p in self.places]
        record = (self.result, self.base, self.edits, self.spans, places, self.spec_json)
        return marshal.dumps((_FORMAT, *record, self.operations), 4)

    @classmethod
    def unpacked(cls, data: bytes) -> _Record | None:
        try:
            form, result, base, edits, spans, places, spec_json, operations = marshal.loads(data)
            if form != _FORMAT:
                return None
            return cls(
                result,
                base,
                edits,
                spans,
                [_Place(*place) for place in places],
                spec_json,
                operations,
            )
        except (ValueError, EOFError, TypeError):
            return None


def remember(
    reuse: Reuse, spec: LoadedSpec, api: Api, files: Mapping[str, str], config: GenerateConfig
) -> None:
    """Record a full run's result for patching the next one (see the module's docstring);
    nothing when it cannot be patched from: the result was not stored, the spec is not
    one JSON file."""
    if reuse.key is None or reuse.lineage is None or reuse.spec_text is None:
        return
    read = spec.read_from or {}
    text = reuse.spec_text
    if len(read) != 1 or next(iter(read.values())) != text or not text.lstrip().startswith("{"):
        return
    from specloom.loading.json_positions import JsonPositions, NotJson

    package = config.package_name
    candidates: list[tuple[Operation, _Place]] = []
    pointers: dict[str, int] = {}
    for service in api.services:
        client = f"{package}/_client/{service.module_name}.py" if config.with_client else ""
        server = f"{package}/_server/{service.module_name}.py" if config.with_server else ""
        for operation in service.operations:
            pointers[operation.pointer] = pointers.get(operation.pointer, 0) + 1
            candidates.append((operation, _Place(operation.pointer, client, server)))
    wanted: list[tuple[int, int, list[str]]] = []
    places: list[_Place] = []
    operations: list[bytes] = []
    for operation, place in candidates:
        tokens = split_pointer(place.pointer)
        if tokens is None or pointers[place.pointer] != 1 or not _is_path_operation(tokens):
            continue
        node = _lookup(spec.document, tokens)
        # The very strings of the document: the parser took them as they are.
        fields = [
            index
            for index, name in enumerate(_FIELDS)
            if isinstance(node, dict) and node.get(name) is getattr(operation, name)
        ]
        if fields:
            places.append(place)
            operations.append(pickle.dumps(operation, protocol=_PROTOCOL))
            wanted += [(len(places) - 1, index, [*tokens, _FIELDS[index]]) for index in fields]
    try:
        offsets = JsonPositions(text).offsets([tokens for _, _, tokens in wanted])
    except NotJson:
        return
    spans = []
    for (place_index, field_index, tokens), offset in zip(wanted, offsets, strict=True):
        span = _string_after_key(text, offset)
        if span is not None and _decoded(text, span) == _lookup(spec.document, tokens):
            spans.append((*span, place_index, field_index))
    base = cache.key_of(reuse.key, _BASE_KIND)
    stored_base = marshal.dumps((cache.packed(text), zlib.compress(marshal.dumps(operations), 1)))
    spec_json = f"{package}/openapi.json" if f"{package}/openapi.json" in files else ""
    record = _Record(reuse.key, base, [], sorted(spans), places, spec_json)
    cache.put_many(_BASE_KIND, {base: stored_base})
    cache.put_many(_KIND, {reuse.lineage: record.packed()})


def patched(reuse: Reuse) -> Stored | None:
    """The result of this run made from the last run's, when the spec's text differs from
    its only inside one operation's summary or description; None otherwise."""
    if reuse.lineage is None or reuse.spec_text is None or reuse.key is None:
        return None
    data = cache.get_many(_KIND, [reuse.lineage]).get(reuse.lineage)
    record = None if data is None else _Record.unpacked(data)
    if record is None or len(record.edits) >= _MAX_EDITS:
        return None
    base = _base(record)
    if base is None:
        return None
    earlier_text, earlier_operations = base
    text = reuse.spec_text
    found = _edited_string(record, earlier_text, text)
    if found is None:
        return None
    index, new_value = found
    start, end, place_index, field_index = record.spans[index]
    place = record.places[place_index]
    earlier = packed_result(record.result)
    if earlier is None or len(earlier_operations) != len(record.places):
        return None
    stored_files, diagnostics = earlier
    try:
        operation = pickle.loads(
            record.operations.get(place_index) or earlier_operations[place_index]
        )
    except Exception:  # an entry not as written: the run is made in full
        return None
    if not isinstance(operation, _operation_class()):
        return None
    field = _FIELDS[field_index]
    edited = (
        replace(operation, summary=new_value)
        if field == "summary"
        else replace(operation, description=new_value)
    )
    changes = _changes(record, place, operation, edited, field, stored_files)
    if changes is None:
        return None
    files: dict[str, str] = {}
    for path, stored in stored_files.items():
        file_text = _text(changes[path][0]) if path in changes else stored_text(stored)
        if file_text is None:
            return None
        files[path] = file_text
    delta = len(text) - len(earlier_text)
    moved = _moved_diagnostics(diagnostics, text, start, delta)
    kept_files = dict(stored_files)
    for path, (data, replacements) in changes.items():
        stored = with_replacements(stored_files[path], replacements)
        too_many = isinstance(stored, tuple) and len(stored[1]) > _MAX_REPLACEMENTS
        kept_files[path] = zlib.compress(data, 1) if too_many else stored
    if reuse.keep_packed(kept_files, moved):
        token = text[start : end + delta]
        spans = [
            (s, e, p, f) if s < start else (s + delta, e + delta, p, f)
            for s, e, p, f in record.spans
        ]
        spans[index] = (start, end + delta, place_index, field_index)
        operations = {**record.operations, place_index: pickle.dumps(edited, protocol=_PROTOCOL)}
        kept = replace(
            record,
            result=reuse.key,
            edits=_with_edit(record.edits, start, end, token),
            spans=spans,
            operations=operations,
        )
        cache.put_many(_KIND, {reuse.lineage: kept.packed()})
    return Stored(files, moved)


def _operation_class() -> type[Operation]:
    from specloom.ir import Operation

    return Operation


def _base(record: _Record) -> tuple[str, list[bytes]] | None:
    """The text the record describes (the base's with the record's edits made) and the
    pickled operations of the base; None when the base cannot be read."""
    data = cache.get_many(_BASE_KIND, [record.base]).get(record.base)
    if data is None:
        return None
    try:
        packed_text, packed_operations = marshal.loads(data)
        operations = marshal.loads(zlib.decompress(packed_operations))
    except (ValueError, EOFError, TypeError, zlib.error):
        return None
    text = cache.unpacked(packed_text)
    if text is None or not isinstance(operations, list):
        return None
    pieces, at = [], 0
    for start, end, new in record.edits:
        pieces += [text[at:start], new]
        at = end
    pieces.append(text[at:])
    return "".join(pieces), operations


def _with_edit(edits: list[Edit], start: int, end: int, token: str) -> list[Edit]:
    """`edits` of the base's text with the string from `start` to `end` of the text they
    make (a whole string, as each of them is) replaced by `token`."""
    shift = 0  # how much longer the edited text is than the base, up to here
    result: list[Edit] = []
    placed = False
    for base_start, base_end, new in edits:
        if not placed and base_start + shift >= start:
            placed = True
            if base_start + shift == start:  # that string, edited again
                result.append((base_start, base_end, token))
                shift += len(new) - (base_end - base_start)
                continue
            result.append((start - shift, end - shift, token))
        result.append((base_start, base_end, new))
        shift += len(new) - (base_end - base_start)
    if not placed:
        result.append((start - shift, end - shift, token))
    return result


def _edited_string(record: _Record, old: str, text: str) -> tuple[int, str] | None:
    """The index of the span of `record` holding every difference between `old`, the text
    it describes, and `text`, and the string written there now; None when no one span
    does."""
    first = _common_prefix(old, text)
    if first == len(old) == len(text):
        return None
    same_end = _common_suffix(old, text, min(len(old), len(text)) - first)
    last_old = len(old) - same_end  # the differences: old[first:last_old], text[first:...]
    index = bisect.bisect_right(record.spans, (first, len(old))) - 1
    if index < 0:
        return None
    start, end, _, _ = record.spans[index]
    # Inside the quotes; the closing one may be where an addition at the end begins.
    if not (start < first and last_old < end):
        return None
    new_end = end + len(text) - len(old)
    if text[start : start + 1] != '"':
        return None
    try:
        value, after = _SCAN_STRING(text, start + 1)
    except ValueError:
        return None
    return (index, value) if after == new_end else None


def _changes(
    record: _Record,
    place: _Place,
    operation: Operation,
    edited: Operation,
    field: str,
    stored_files: Mapping[str, StoredFile],
) -> dict[str, tuple[bytes, list[Replacement]]] | None:
    """The files the edit changes: the UTF-8 form of each one's new text, and the
    replacements that make it from the stored one; None when one of them is not as
    expected (then the run is made in full). Large files (`openapi.json`) are changed as
    bytes: as text, one holding an emoji takes four bytes a character."""
    from specloom.render.docstrings import docstring_source, operation_doc

    changes: dict[str, tuple[bytes, list[Replacement]]] = {}
    for path, server, count in (
        (place.client_module, False, 2),  # the synchronous and the asynchronous client
        (place.server_module, True, 1),
    ):
        if not path:
            continue
        data = stored_bytes(stored_files.get(path))
        if data is None:
            return None
        before = docstring_source(operation_doc(operation, server=server), _METHOD_INDENT)
        after = docstring_source(operation_doc(edited, server=server), _METHOD_INDENT)
        replacements = _docstring_replacements(
            data, operation.python_name, _utf8(before), _utf8(after), count
        )
        if replacements is None:
            return None
        changes[path] = _applied(data, replacements), replacements
    if record.spec_json:
        from specloom.indented_json import string_span

        data = stored_bytes(stored_files.get(record.spec_json))
        tokens = split_pointer(place.pointer)
        if data is None or tokens is None:
            return None
        span = string_span(data, [*tokens, field])
        if span is None:
            return None
        replacement = (*span, _utf8(_encode_string(getattr(edited, field))))
        changes[record.spec_json] = _applied(data, [replacement]), [replacement]
    return changes


def _applied(data: bytes, replacements: list[Replacement]) -> bytes:
    for start, end, new in replacements:
        data = replaced(data, start, end, new)
    return data


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _text(data: bytes) -> str | None:
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None


def _docstring_replacements(
    data: bytes, name: str, before: bytes, after: bytes, count: int
) -> list[Replacement] | None:
    """The replacements, in order, of the docstring `before` of each of the `count`
    methods `name` of the file `data` by `after`; None when there are not `count` such
    methods, each with that docstring."""
    definitions = re.compile(rb"^    (?:async )?def " + re.escape(_utf8(name)) + rb"\(", re.M)
    opening = b"\n" + b" " * _METHOD_INDENT + b'"""'
    old, new = opening + before + b'"""\n', opening + after + b'"""\n'
    replacements: list[Replacement] = []
    moved = 0  # each replacement is made in the text the ones before it left
    for match in definitions.finditer(data):
        at = data.find(opening, match.end())
        # The signature, however it is wrapped, holds no blank line and no docstring.
        if at < 0 or b"\n\n" in data[match.end() : at] or not data.startswith(old, at):
            return None
        replacements.append((at + moved, at + moved + len(old), new))
        moved += len(new) - len(old)
    return replacements if len(replacements) == count else None


def _moved_diagnostics(
    diagnostics: list[Diagnostic], text: str, start: int, delta: int
) -> list[Diagnostic]:
    """`diagnostics` with each column after offset `start`, on its line, moved by `delta`
    (a JSON string holds no line break: no line moves)."""
    if delta == 0:
        return diagnostics
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1

    def moved(place_line: int | None, place_column: int | None) -> int | None:
        if place_line == line and place_column is not None and place_column > column:
            return place_column + delta
        return place_column

    return [
        replace(
            diagnostic,
            column=moved(diagnostic.line, diagnostic.column),
            notes=tuple(replace(n, column=moved(n.line, n.column)) for n in diagnostic.notes),
        )
        for diagnostic in diagnostics
    ]


def _is_path_operation(tokens: list[str] | None) -> bool:
    """Whether `tokens` lead to an operation of a path item (not a webhook's, a callback's
    or one of `additionalOperations`)."""
    return (
        tokens is not None and len(tokens) == 3 and tokens[0] == "paths" and tokens[2] in _METHODS
    )


def _lookup(document: Any, tokens: list[str]) -> Any:
    node = document
    for token in tokens:
        if not isinstance(node, dict):
            return None
        node = node.get(token)
    return node


def _string_after_key(text: str, key_at: int) -> tuple[int, int] | None:
    """The span of the string value of the member whose key is at `key_at`."""
    try:
        _, position = _SCAN_STRING(text, key_at + 1)
        position = _skip_space(text, position)
        if not text.startswith(":", position):
            return None
        position = _skip_space(text, position + 1)
        if not text.startswith('"', position):
            return None
        _, end = _SCAN_STRING(text, position + 1)
    except (ValueError, IndexError):
        return None
    return position, end


def _decoded(text: str, span: tuple[int, int]) -> str | None:
    try:
        value, _ = _SCAN_STRING(text, span[0] + 1)
    except ValueError:
        return None
    return value


_SPACE = re.compile(r"[ \t\n\r]*")
# The C string scanner and writer `json` uses (not in the type stubs).
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = vars(json.decoder)["scanstring"]
_encode_string: Callable[[str], str] = vars(json.encoder)["encode_basestring"]


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return position if match is None else match.end()


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest start `a` and `b` share (compared a chunk at a time)."""
    length = min(len(a), len(b))
    low = 0
    while low < length:
        high = min(low + _CHUNK, length)
        if a[low:high] != b[low:high]:
            while high - low > 1:  # a[:low] == b[:low], a[:high] != b[:high]
                middle = (low + high) // 2
                if a[low:middle] == b[low:middle]:
                    low = middle
                else:
                    high = middle
            return low
        low = high
    return length


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest end `a` and `b` share, at most `limit`."""
    low = 0
    while low < limit:
        high = min(low + _CHUNK, limit)
        if a[len(a) - high : len(a) - low] != b[len(b) - high : len(b) - low]:
            while high - low > 1:
                middle = (low + high) // 2
                if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
                    low = middle
                else:
                    high = middle
            return low
        low = high
    return limit
