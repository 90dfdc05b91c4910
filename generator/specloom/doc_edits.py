"""Regenerating after an edit of one operation's prose, by patching the last result.

The edit most often made to a spec is to its prose, and an operation's `summary` and
`description`, and the descriptions of its parameters, its request body and its
responses (those declaring no headers), reach at most three places: the docstrings of
its client methods (a response's: only if it is an error, under `Raises:`), of its
server handler, and the spec served as `openapi.json`. So the last full run of a spec
file (with the same options) leaves a record: the spec's text, where each of those
strings stands in it and which operations use it (a path item's or a component's
parameter or response serves several), the operations (their IR) and the modules holding
their docstrings. When the text of the next run differs from that one only inside one of
those strings, the earlier result is reused with the docstrings of the operations using
it composed anew (by the functions the templates call), that string replaced in
`openapi.json`, and the columns of the diagnostics after it on its line moved. Nothing
is loaded, validated, parsed, rendered or formatted: a description is a string wherever
it is, which no validation rule reads, and nothing else the parser builds depends on it.

The spec may be one JSON file or one YAML document. In YAML, where a string stands is
found by the parser's events (`loading.yaml_scalars`), and a new text is patched from
only when its events are the old one's but for the recorded strings' values (the same
digest) and its differences lie inside the one string, in both texts: a plain string
still (no anchor, no tag, not read as another type).

Anything else runs in full (and records itself for the next run): another change, a
change to two places, a spec whose references read other files, a string
also used where no record reaches (a webhook, a path item read through a `$ref`), a
parameter's description made blank (its title would stand in), a docstring not found
where expected, a response declaring headers (its description is also its headers
class's docstring), Swagger 2.0's shared `responses` and `parameters` (converted, they
stand at another pointer than in the text). The files and diagnostics are those of a
full run, byte for byte (tested by comparing the two on real specs).

The same record serves `specloom.operation_edits`, which builds one operation alone
after a change inside its object (a run this module declines, such as an edit of two
strings of one operation): for it the record also says where each operation's object
starts in a JSON text, and the base keeps how the operations make up the services
(`Layout`).
"""

from __future__ import annotations

import bisect
import marshal
import pickle
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec
from msgspec.structs import replace

from specloom import cache
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic
from specloom.earlier_files import EarlierFiles
from specloom.id_members import json_may_have_id
from specloom.loading.pointers import lookup, split_pointer, to_pointer
from specloom.outside_refs import refers_outside_components
from specloom.partial_read import Parts, located_parts, shifted, wanted
from specloom.result_cache import (
    Reuse,
    Stored,
    StoredTexts,
    packed_result,
    replaced_in_turn,
    with_replacements,
)
from specloom.unread_schemas import KnownComponents

if TYPE_CHECKING:
    from specloom.ir import Api, Operation
    from specloom.loading.loaded import LoadedSpec
    from specloom.render.engine import ModelsModule

__all__ = [
    "Current",
    "Layout",
    "Record",
    "current",
    "keep_rebuilt",
    "moved_diagnostics",
    "patched",
    "remember",
    "unpickled",
    "unpickled_operation",
]

T = TypeVar("T")

_KIND = "doc-edits"
_BASE_KIND = "doc-edits-base"
_FORMAT = 11
"""The layout of a stored record (`Record`), part of what is checked on reading one."""
_MAX_EDITS = 256
"""Strings edited since the last full run, at most; one more runs in full (and records
afresh)."""
_MAX_REPLACEMENTS = 8
"""Replacements a stored file is kept with, at most, before it is stored whole again."""
_SUMMARY = -2
_DESCRIPTION = -1
_BODY = -3
_FIRST_RESPONSE = -4
"""What a use of a string sets in its operation: its summary, its description, its
request body's description, a response's description (`_FIRST_RESPONSE - index`, by its
index in the operation's responses) or a parameter's (its index in the parameters)."""
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


class Place(msgspec.Struct, frozen=True):
    """An operation of a path item (recorded when it is the only one at its pointer),
    and where its docstrings land."""

    pointer: str
    client_module: str
    """The path of the generated file holding its client methods; empty without a client."""
    server_module: str
    """The path of the generated file holding its handler; empty without a server."""


_Use = tuple[int, int]
"""An operation (the index of its `Place`) and what of it a string sets (`_SUMMARY`,
`_DESCRIPTION` or a parameter's index)."""


class Record(msgspec.Struct, frozen=True):
    """What the last run of a spec file left for the next one to patch from.

    The spec's text and the operations (pickled) are those of the last full run, kept
    apart (`_BASE_KIND`: under `base`, the text under `_text_key(base)`) and written
    once; the record says what changed since: the text's replacements, each patched
    operation."""

    result: str
    """The result cache's key of the last run's files and diagnostics."""
    base: str
    edits: list[Edit]
    """The strings edited since: replacements of the base's text, sorted, apart."""
    spans: list[tuple[int, int, int]]
    """Where each patchable string stands in the last run's text (from its opening quote
    to past its closing one), with its index in `strings`; sorted."""
    strings: list[tuple[str, list[_Use]]]
    """Each patchable string's JSON pointer, and every use of it."""
    places: list[Place]
    spec_json: str
    """The path of the generated `openapi.json`; empty when there is none."""
    operations: dict[int, bytes] = msgspec.field(default_factory=dict)
    """The operations patched since the base, pickled, by the index of their place."""
    yaml_values: list[str] = msgspec.field(default_factory=list)
    """For a YAML spec, each string's value (by its index in `strings`); empty for JSON."""
    yaml_digest: bytes = b""
    """For a YAML spec, the `yaml_scalars.Scalars.digest` of its text, the strings'
    values left out (what an edit of one of them leaves as it is). Found, with `spans`,
    by the first patch: a full run does not walk the text's events for a patch that may
    never come (on GitHub's spec as YAML that walk takes as long as 0.8 s)."""
    starts: list[tuple[int, int]] = msgspec.field(default_factory=list)
    """Where each operation's object starts in the last run's text, with the index of
    its place; sorted (JSON only: `specloom.operation_edits` rebuilds one operation)."""
    owned: dict[int, bytes] = msgspec.field(default_factory=dict)
    """The models modules of the operations rebuilt since the base, as `Layout.owned`
    keeps them, by the index of their place."""
    ranks: dict[int, tuple[bool, bool, bool, bool]] = msgspec.field(default_factory=dict)
    """`Layout.ranks` of the operations rebuilt since the base."""
    status_classes: dict[int, tuple[str, ...]] = msgspec.field(default_factory=dict)
    """`Layout.status_classes` of the operations rebuilt since the base."""
    example: int | None = None
    """The place of the README's example, when a rebuild since the base moved it."""
    parts: Parts = msgspec.field(default_factory=Parts)
    """Where the parts of the last run's JSON text that a rebuild of one operation reads
    otherwise stand (`specloom.partial_read`)."""
    refers_outside: bool = True
    """Whether the last run's JSON text may hold a `$ref` leading anywhere but into its
    components (`specloom.outside_refs`); a rebuild then searches the whole new text, else
    the changed operation's object alone (the rest is the last run's text: an edit of a
    string cannot make a key)."""
    may_have_id: bool = True
    """Whether the last run's JSON text may hold a `$id` member (`specloom.id_members`),
    which validation of a rebuilt operation's path item is told rather than searching
    the whole text; a rebuild looks in the operation's new object alone."""

    @property
    def is_yaml(self) -> bool:
        return bool(self.yaml_values)

    def packed(self) -> bytes:
        places = [(p.pointer, p.client_module, p.server_module) for p in self.places]
        record = (self.result, self.base, self.edits, self.spans, self.strings, places)
        rest = (
            self.spec_json,
            self.operations,
            self.yaml_values,
            self.yaml_digest,
            self.starts,
            self.owned,
            self.ranks,
            self.status_classes,
            self.example,
            self.parts.packed(),
            self.refers_outside,
            self.may_have_id,
        )
        return marshal.dumps((_FORMAT, *record, *rest), 4)

    @classmethod
    def unpacked(cls, data: bytes) -> Record | None:
        try:
            form, result, base, edits, spans, strings, places, *rest = marshal.loads(data)
            if form != _FORMAT:
                return None
            spec_json, operations, yaml_values, yaml_digest, starts, owned, *rebuilt = rest
            ranks, status_classes, example, parts, refers_outside, may_have_id = rebuilt
            return cls(
                result,
                base,
                edits,
                spans,
                strings,
                [Place(*place) for place in places],
                spec_json,
                operations,
                yaml_values,
                yaml_digest,
                starts,
                owned,
                ranks,
                status_classes,
                example,
                Parts.unpacked(parts),
                bool(refers_outside),
                bool(may_have_id),
            )
        except (ValueError, EOFError, TypeError):
            return None


class Layout(msgspec.Struct, frozen=True):
    """How the last full run's operations make up its services, for rebuilding one
    service's modules (`specloom.operation_edits`); kept with the base, written once."""

    services: list[tuple[bytes, list[int] | None]]
    """Each service without its operations (pickled), with the places of its operations
    in order; None when one of them has no place."""
    api: bytes
    """The `Api` without types, services and spec (pickled): its title and security
    schemes, which the service modules read."""
    example: int
    """The place of the README's example operation; -1 when it has none."""
    request_shapes: list[tuple[str, str]]
    """`Api.request_shapes`: the request shape of each type that has one."""
    ranks: list[tuple[bool, bool, bool, bool]]
    """By place: how fit the operation is to be the README's example (`usage.rank`)."""
    status_classes: list[tuple[str, ...]]
    """By place: `Operation.status_classes`, which `server.py` imports all of."""
    owned: list[bytes]
    """By place: the models modules holding only the operation's own inline types
    (`render.engine.ModelsModule`s, pickled; empty when none)."""
    type_names: list[str]
    """Every generated type's name."""
    webhooks: bytes
    """`Api.webhooks` (pickled), which `server.py` also reads."""
    answers: dict[str, str | None]
    """What the README's example handler answers when it returns each component model
    (`usage.model_answer`), by the model's name: which operation is the example, and
    what it shows, depend on it."""
    known: tuple[Any, ...] = ()
    """`KnownComponents.packed()` of the spec's component schemas, which a rebuild
    names by without reading most of them (`specloom.partial_read`); empty when not
    kept (a YAML spec)."""

    @property
    def known_components(self) -> KnownComponents | None:
        return KnownComponents.unpacked(self.known) if self.known else None

    def packed(self) -> tuple[Any, ...]:
        return (
            self.services,
            self.api,
            self.example,
            self.request_shapes,
            self.ranks,
            self.status_classes,
            self.owned,
            self.type_names,
            self.webhooks,
            self.answers,
            self.known,
        )


def _owned(places: list[Place], made: Sequence[ModelsModule]) -> list[bytes]:
    """By place, the models modules of `made` whose every type is the operation's own
    (defined inline in it), pickled."""
    place_of = {place.pointer: index for index, place in enumerate(places)}
    by_place: dict[int, list[ModelsModule]] = {}
    for models_module in made:
        owners = {_owner(definition.pointer) for definition in models_module.definitions}
        owner = owners.pop() if len(owners) == 1 else None
        if owner is not None and owner in place_of:
            by_place.setdefault(place_of[owner], []).append(models_module)
    return [
        pickle.dumps(by_place[index], protocol=_PROTOCOL) if index in by_place else b""
        for index in range(len(places))
    ]


def _owner(pointer: str) -> str | None:
    """The pointer of the path operation a type defined at `pointer` is inline in."""
    tokens = pointer.split("/", 4)
    if len(tokens) < 5 or tokens[1] != "paths" or tokens[3] not in _METHODS:
        return None
    return "/".join(tokens[:4])


def _skeleton(api: Api) -> bytes:
    bare = replace(api, types=(), services=(), webhooks=(), spec_json="", request_shapes=())
    return pickle.dumps(bare, protocol=_PROTOCOL)


def _component_answers(api: Api, answers: Mapping[str, str | None]) -> dict[str, str | None]:
    """`answers` (`usage.answers_of`) of the component models alone: a rebuild changes
    no component, and finds its operation's own models again."""
    components = {t.name for t in api.types if t.pointer.startswith("/components/")}
    return {name: answer for name, answer in answers.items() if name in components}


def _example_place(api: Api, package: str, places: list[Place]) -> int:
    from specloom.render.usage import usage_example

    example = usage_example(api, package)
    if example is None:
        return -1
    pointer = example.operation.pointer
    return next((index for index, place in enumerate(places) if place.pointer == pointer), -1)


def remember(
    reuse: Reuse,
    spec: LoadedSpec,
    api: Api,
    files: Mapping[str, str],
    config: GenerateConfig,
    made: Sequence[ModelsModule] = (),
) -> None:
    """Record a full run's result for patching the next one (see the module's docstring);
    nothing when it cannot be patched from: the result was not stored, the spec is not
    one file (JSON, or one YAML document)."""
    if reuse.key is None or reuse.lineage is None or reuse.spec_text is None:
        return
    read = spec.read_from or {}
    text = reuse.spec_text
    if len(read) != 1 or next(iter(read.values())) != text:
        return
    package = config.package_name
    pointers: dict[str, int] = {}
    for operation in _every_operation(api):
        pointers[operation.pointer] = pointers.get(operation.pointer, 0) + 1
    from specloom.render.usage import answers_of, rank

    answers = answers_of(api)
    places: list[Place] = []
    operations: list[bytes] = []
    ranks: list[tuple[bool, bool, bool, bool]] = []
    status_classes: list[tuple[str, ...]] = []
    services: list[tuple[bytes, list[int] | None]] = []
    """Each service without its operations (pickled), and their places (None when one
    of them has none)."""
    found: dict[str, tuple[str, list[_Use]]] = {}
    """By its pointer: a string of the document and its uses."""
    shared: dict[str, int] = {}
    """By its pointer: the id of a parameter's description, used wherever it is read."""
    for service in api.services:
        client = f"{package}/_client/{service.module_name}.py" if config.with_client else ""
        server = f"{package}/_server/{service.module_name}.py" if config.with_server else ""
        service_places: list[int] | None = []
        for operation in service.operations:
            tokens = split_pointer(operation.pointer)
            if tokens is None or pointers[operation.pointer] != 1 or not _is_path_operation(tokens):
                service_places = None
                continue
            node = lookup(spec.document, tokens)
            if not isinstance(node, dict):
                service_places = None
                continue
            # The operation's own: read from its object alone, as they are (even empty).
            held = [
                (f"{operation.pointer}/{name}", node[name], what)
                for name, what in (("summary", _SUMMARY), ("description", _DESCRIPTION))
                if isinstance(node.get(name), str) and node[name] == getattr(operation, name)
            ]
            # Its parameters', request body's and responses', which other operations may
            # read too: the very strings.
            described = _descriptions(spec.document, tokens, node)
            for value, what in _described_parts(operation):
                pointer = described.get(id(value))
                if pointer is not None:
                    held.append((pointer, value, what))
                    shared[pointer] = id(value)
            place = len(places)
            if service_places is not None:
                service_places.append(place)
            places.append(Place(operation.pointer, client, server))
            operations.append(pickle.dumps(operation, protocol=_PROTOCOL))
            ranks.append(rank(operation, answers))
            status_classes.append(operation.status_classes)
            for pointer, value, what in held:
                found.setdefault(pointer, (value, []))[1].append((place, what))
        shell = pickle.dumps(replace(service, operations=()), protocol=_PROTOCOL)
        services.append((shell, service_places))
    # A shared description is patched only where every use of it is: the same object
    # read anywhere else (a webhook, an operation not recorded, a response's headers'
    # class) leaves it to full runs.
    counts: dict[int, int] = {}
    for operation in _every_operation(api):
        for value in _read_descriptions(operation):
            counts[id(value)] = counts.get(id(value), 0) + 1
    kept = [
        (value, pointer, uses)
        for pointer, (value, uses) in found.items()
        if pointer not in shared or counts.get(shared[pointer]) == len(uses)
    ]
    yaml_values: list[str] = []
    starts: list[tuple[int, int]] = []
    parts = Parts()
    known: tuple[Any, ...] = ()
    refers_outside = may_have_id = True
    if text.lstrip().startswith("{"):
        refers_outside = refers_outside_components(text)
        may_have_id = json_may_have_id(text)
        paths = spec.document.get("paths")
        path_keys = [str(path) for path in paths] if isinstance(paths, dict) else []
        schemas = _component_schemas(spec.document)
        operation_pointers = [place.pointer for place in places]
        located = _in_json(text, kept, operation_pointers, path_keys, schemas)
        if located is None:
            return
        spans, strings, starts, parts = located
        from specloom.parser.api import known_components  # the parser: imported already

        known = known_components(spec.document).packed()
    elif _ODD_LINE_BREAKS.search(text) or not kept:
        return  # lines counted as YAML counts them would not be `\n`-separated ones
    else:  # found by the first patch (`_walked`)
        spans, strings = [], [(pointer, uses) for _, pointer, uses in kept]
        yaml_values = [value for value, _, _ in kept]
    base = cache.key_of(reuse.key, _BASE_KIND)
    example = _example_place(api, package, places)
    layout = Layout(
        services,
        _skeleton(api),
        example,
        list(api.request_shapes),
        ranks,
        status_classes,
        _owned(places, made),
        [definition.name for definition in api.types],
        pickle.dumps(api.webhooks, protocol=_PROTOCOL),
        _component_answers(api, answers),
        known,
    )
    # Not compressed: every patch reads it first, and a full run writes it. On GitHub's
    # spec (its text 6 MB, its operations and layout 2.5 MB), compressing them cost each
    # patch 6 ms to read them and the full run 14 ms. The text is its own entry, not
    # marshalled with the rest: each copy of it costs a patch 3-8 ms.
    stored_base = {
        base: marshal.dumps((operations, layout.packed())),
        _text_key(base): text.encode("utf-8", "surrogatepass"),
    }
    spec_json = f"{package}/openapi.json" if f"{package}/openapi.json" in files else ""
    record = Record(
        reuse.key,
        base,
        [],
        sorted(spans),
        strings,
        places,
        spec_json,
        yaml_values=yaml_values,
        starts=sorted(starts),
        parts=parts,
        refers_outside=refers_outside,
        may_have_id=may_have_id,
    )
    cache.put_many(_BASE_KIND, stored_base)
    cache.put_many(_KIND, {reuse.lineage: record.packed()})


_Located = tuple[
    list[tuple[int, int, int]], list[tuple[str, list[_Use]]], list[tuple[int, int]], Parts
]
"""The spans of the strings found (with their index), the strings, where the operations'
objects start (with their index), and where the parts a rebuild reads otherwise stand."""


def _component_schemas(document: dict[str, Any]) -> list[str]:
    """The names of `document`'s component schemas (none when they are not an object)."""
    components = document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return [str(name) for name in schemas] if isinstance(schemas, dict) else []


def _in_json(
    text: str,
    kept: list[tuple[str, str, list[_Use]]],
    operations: list[str],
    paths: list[str],
    schemas: list[str],
) -> _Located | None:
    """Where each of `kept` (value, pointer, uses) stands in the JSON `text`, those found
    saying their value, where the object of each of `operations` (pointers) starts, and
    the `Parts` of the text (its `paths` holding the path items `paths`, its component
    schemas `schemas`); None when the text is not JSON."""
    from specloom.loading.json_positions import (
        JsonPositions,
        NotJson,
        member_string,
        member_value,
    )

    pointers = [split_pointer(p) or [] for _, p, _ in kept]
    pointers += [split_pointer(pointer) or [] for pointer in operations]
    try:  # one walk for all
        offsets = JsonPositions(text).offsets([*pointers, *wanted(paths, schemas)])
    except NotJson:
        return None
    parts = located_parts(text, paths, offsets[len(pointers) :], schemas)
    spans = []
    strings: list[tuple[str, list[_Use]]] = []
    for (value, pointer, uses), offset in zip(kept, offsets[: len(kept)], strict=True):
        member = member_string(text, offset, pointer.rsplit("/", 1)[1])
        if member is not None and member[2] == value:
            spans.append((member[0], member[1], len(strings)))
            strings.append((pointer, uses))
    starts = []
    operation_offsets = zip(pointers[len(kept) :], offsets[len(kept) : len(pointers)], strict=True)
    for place, (tokens, offset) in enumerate(operation_offsets):
        start = member_value(text, offset, tokens[-1]) if tokens else None
        if start is not None and text.startswith("{", start):
            starts.append((start, place))
    return spans, strings, starts, parts


def _walked(record: Record, text: str) -> Record | None:
    """`record` of a YAML spec with the spans of its strings in `text` (the text it
    describes) and the digest of that text's events, the strings' values left out; a
    string found not saying its value (an anchor or a tag on it) gets no span. None when
    the text is not one YAML document."""
    from specloom.loading.yaml_scalars import NotYaml, scalars

    try:
        found = scalars(text, {pointer for pointer, _ in record.strings})
    except NotYaml:
        return None
    spans = []
    for index, ((pointer, _), value) in enumerate(
        zip(record.strings, record.yaml_values, strict=True)
    ):
        span = found.spans.get(pointer)
        if span is not None and found.values.get(pointer) == value:
            spans.append((*span, index))
    return replace(record, spans=sorted(spans), yaml_digest=found.digest)


_ODD_LINE_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
"""Line breaks of YAML that do not end with `\n` (lines are counted by `\n`)."""


def _every_operation(api: Api) -> list[Operation]:
    return [op for service in (*api.services, *api.webhooks) for op in service.operations]


def _described_parts(operation: Operation) -> list[tuple[str, int]]:
    """The descriptions of `operation`'s parts that only its docstrings read, with what
    each sets (`_Use`): its parameters', its request body's, and its responses' but those
    declaring headers (their description is also their headers class's docstring)."""
    parts = [(parameter.description, index) for index, parameter in enumerate(operation.parameters)]
    if operation.body is not None:
        parts.append((operation.body.description, _BODY))
    parts += [
        (response.description, _FIRST_RESPONSE - index)
        for index, response in enumerate(operation.responses)
        if not response.headers
    ]
    return parts


def _read_descriptions(operation: Operation) -> list[str]:
    """Every description of `operation`'s parts (its parameters', its body's, its
    responses' and their headers')."""
    read = [parameter.description for parameter in operation.parameters]
    if operation.body is not None:
        read.append(operation.body.description)
    for response in operation.responses:
        read.append(response.description)
        read += [header.description for header in response.headers]
    return read


def _descriptions(document: Any, tokens: list[str], node: dict[str, Any]) -> dict[int, str]:
    """The pointer of the description of each parameter the operation `node` at `tokens`
    declares, its path item declares or either references, of its request body and of
    each of its responses, by the description's id; a blank one (a title may stand in)
    or one object in two places left out."""
    found: dict[int, str] = {}
    ambiguous: set[int] = set()
    operation = to_pointer(tokens)
    places: list[tuple[str, object]] = []
    item = lookup(document, tokens[:-1])
    for owner, listed in ((operation, node), (to_pointer(tokens[:-1]), item)):
        parameters = listed.get("parameters") if isinstance(listed, dict) else None
        for index, parameter in enumerate(parameters if isinstance(parameters, list) else []):
            places.append((f"{owner}/parameters/{index}", parameter))
    places.append((f"{operation}/requestBody", node.get("requestBody")))
    responses = node.get("responses")
    for status, response in responses.items() if isinstance(responses, dict) else ():
        places.append((to_pointer([*tokens, "responses", status]), response))
    for pointer, part in places:
        reference = part.get("$ref") if isinstance(part, dict) else None
        if isinstance(reference, str):
            target = split_pointer(reference[1:]) if reference.startswith("#") else None
            if target is None:
                continue
            part, pointer = lookup(document, target), to_pointer(target)
        value = part.get("description") if isinstance(part, dict) else None
        described = f"{pointer}/description"
        usable = isinstance(value, str) and bool(value.strip())
        if usable and found.setdefault(id(value), described) != described:
            ambiguous.add(id(value))
    return {key: pointer for key, pointer in found.items() if key not in ambiguous}


class Current(msgspec.Struct, frozen=True):
    """The record of the last run of a spec file, with what its base holds."""

    record: Record
    text: str
    """The text the record describes: the last run's spec."""
    operations: list[bytes]
    """The pickled operations of the last full run, by place (`Record.operations` holds
    those patched since)."""
    layout: Layout

    def operation(self, place: int) -> Operation | None:
        """The operation at `place` as the last run made it."""
        return unpickled_operation(self.record.operations.get(place) or self.operations[place])

    def rank(self, place: int) -> tuple[bool, bool, bool, bool]:
        """How fit the operation at `place` is to be the README's example (`usage.rank`)."""
        one, two, three, four = self.record.ranks.get(place, self.layout.ranks[place])
        return one, two, three, four

    def status_classes(self, place: int) -> tuple[str, ...]:
        return tuple(self.record.status_classes.get(place, self.layout.status_classes[place]))

    @property
    def example(self) -> int:
        """The place of the README's example operation; -1 when it is not recorded."""
        return self.layout.example if self.record.example is None else self.record.example

    def owned(self, place: int) -> list[ModelsModule] | None:
        """The models modules of the operation at `place`'s own types, as the last run
        made them (`Layout.owned`); None when they cannot be read."""
        pickled = self.record.owned.get(place, self.layout.owned[place])
        return unpickled(pickled, list) if pickled else []


def current(reuse: Reuse) -> Current | None:
    """The record of the last run of this spec file with the same options; None when there
    is none (or it cannot be read, or it has been patched from too often)."""
    if reuse.lineage is None or reuse.spec_text is None or reuse.key is None:
        return None
    data = cache.get_many(_KIND, [reuse.lineage]).get(reuse.lineage)
    record = None if data is None else Record.unpacked(data)
    if record is None or len(record.edits) >= _MAX_EDITS:
        return None
    return _base(record)


def patched(
    reuse: Reuse, found_current: Current | None, output: Path | None = None
) -> Stored | None:
    """The result of this run made from the last run's (`found_current`, as `current`
    found it), when the spec's text differs from its only inside one operation's summary
    or description; None otherwise. `output` is the folder the last result was written
    to: files it holds as written are read there (`specloom.earlier_files`)."""
    if found_current is None or reuse.spec_text is None or reuse.key is None:
        return None
    record = found_current.record
    earlier_text, earlier_operations = found_current.text, found_current.operations
    text = reuse.spec_text
    if record.is_yaml and not record.yaml_digest:
        walked = _walked(record, earlier_text)
        if walked is None:
            return None
        record = walked
    if record.is_yaml:
        found = _edited_scalar(record, earlier_text, text)
    else:
        found = _edited_string(record, earlier_text, text)
    if found is None:
        return None
    index, new_value = found
    start, end, string = record.spans[index]
    pointer, uses = record.strings[string]
    if not new_value.strip() and any(what not in (_SUMMARY, _DESCRIPTION) for _, what in uses):
        return None  # a blank description of a part: a title may stand in, a note go
    earlier = packed_result(record.result)
    if earlier is None or len(earlier_operations) != len(record.places):
        return None
    stored_files, diagnostics = earlier.files, earlier.diagnostics
    before: dict[int, Operation] = {}
    for place, _ in uses:
        operation = found_current.operation(place)
        if operation is None:
            return None
        before[place] = operation
    after: dict[int, Operation] = dict(before)
    for place, what in uses:
        edited = _edited(after[place], what, new_value)
        if edited is None:
            return None
        after[place] = edited
    earlier_files = EarlierFiles(stored_files, output, earlier.digests)
    changes = _changes(record, before, after, pointer, new_value, earlier_files)
    if changes is None:
        return None
    delta = len(text) - len(earlier_text)
    moved = moved_diagnostics(diagnostics, earlier_text, text, (start, end), delta)
    if moved is None:
        return None
    kept_files = dict(stored_files)
    for path, (data, replacements) in changes.items():
        stored = with_replacements(stored_files[path], replacements)
        too_many = isinstance(stored, tuple) and len(stored[1]) > _MAX_REPLACEMENTS
        kept_files[path] = zlib.compress(data, 1) if too_many else stored
    digests = reuse.keep_packed(kept_files, moved, earlier)
    edits = with_edit(record.edits, start, end, text[start : end + delta])
    if digests is not None and edits is not None and reuse.lineage is not None:
        spans = [(s, e, i) if s < start else (s + delta, e + delta, i) for s, e, i in record.spans]
        spans[index] = (start, end + delta, string)
        patched_operations = {
            place: pickle.dumps(operation, protocol=_PROTOCOL) for place, operation in after.items()
        }
        yaml_values = list(record.yaml_values)
        if yaml_values:
            yaml_values[string] = new_value
        kept = replace(
            record,
            result=reuse.key,
            edits=edits,
            spans=spans,
            operations={**record.operations, **patched_operations},
            yaml_values=yaml_values,
            starts=_shifted_starts(record.starts, start, delta),
            parts=shifted(record.parts, (start, end), delta),
        )
        cache.put_many(_KIND, {reuse.lineage: kept.packed()})
    files = StoredTexts(stored_files, {path: data for path, (data, _) in changes.items()})
    return Stored(files, moved, digests)


def keep_rebuilt(
    reuse: Reuse,
    found: Current,
    place: int,
    span: tuple[int, int],
    operation: Operation,
    owned: list[ModelsModule],
    rank: tuple[bool, bool, bool, bool],
    example: int,
    may_have_id: bool,
) -> None:
    """Record the result of this run, `found`'s with the object of the operation at
    `place` replaced (from `span`'s start to its end in `found.text`), and `operation`,
    the models modules of its own types (`owned`, each of them) and its `rank` made from
    it, the README's example now at place `example`, and whether the new text may hold
    a `$id` (`may_have_id`, as the rebuild told validation): the strings inside it and
    those it used can no longer be patched."""
    text = reuse.spec_text
    record = found.record
    if text is None or reuse.key is None or reuse.lineage is None:
        return
    start, end = span
    delta = len(text) - len(found.text)
    new_object = text[start : end + delta]
    edits = with_edit(record.edits, start, end, new_object)
    if edits is None:
        return
    unusable = {
        index
        for index, (_, uses) in enumerate(record.strings)
        if any(user == place for user, _ in uses)
    }
    spans = [
        (s, e, i) if s < start else (s + delta, e + delta, i)
        for s, e, i in record.spans
        if i not in unusable and not start <= s < end
    ]
    kept = replace(
        record,
        result=reuse.key,
        edits=edits,
        spans=spans,
        operations={**record.operations, place: pickle.dumps(operation, protocol=_PROTOCOL)},
        starts=_shifted_starts(record.starts, start, delta),
        parts=shifted(record.parts, span, delta),
        owned={**record.owned, place: pickle.dumps(owned, protocol=_PROTOCOL) if owned else b""},
        ranks={**record.ranks, place: rank},
        status_classes={**record.status_classes, place: operation.status_classes},
        example=example,
        may_have_id=may_have_id,
    )
    cache.put_many(_KIND, {reuse.lineage: kept.packed()})


def _shifted_starts(starts: list[tuple[int, int]], at: int, delta: int) -> list[tuple[int, int]]:
    """`starts` of the text before a replacement at `at`, `delta` characters longer, as
    they stand after it."""
    return [(start + delta, place) if start > at else (start, place) for start, place in starts]


def unpickled_operation(pickled: bytes) -> Operation | None:
    from specloom.ir import Operation

    return unpickled(pickled, Operation)


def unpickled(pickled: bytes, kind: type[T]) -> T | None:
    """The `kind` value `pickled` holds; None when it holds no such value (an entry not
    as written: the run is made in full)."""
    try:
        value = pickle.loads(pickled)
    except Exception:
        return None
    return value if isinstance(value, kind) else None


def _edited(operation: Operation, what: int, value: str) -> Operation | None:
    """`operation` with `value` as what `what` names."""
    if what == _SUMMARY:
        return replace(operation, summary=value)
    if what == _DESCRIPTION:
        return replace(operation, description=value)
    if what == _BODY:
        body = operation.body
        return None if body is None else replace(operation, body=replace(body, description=value))
    if what <= _FIRST_RESPONSE:
        index = _FIRST_RESPONSE - what
        if index >= len(operation.responses):
            return None
        responses = list(operation.responses)
        responses[index] = replace(responses[index], description=value)
        return replace(operation, responses=tuple(responses))
    if not 0 <= what < len(operation.parameters):
        return None
    parameters = list(operation.parameters)
    parameters[what] = replace(parameters[what], description=value)
    return replace(operation, parameters=tuple(parameters))


def _base(record: Record) -> Current | None:
    """`record` with the text it describes (the base's with the record's edits made) and
    what the base keeps; None when the base cannot be read."""
    text_key = _text_key(record.base)
    found = cache.get_many(_BASE_KIND, [record.base, text_key])
    data, packed_text = found.get(record.base), found.get(text_key)
    if data is None or packed_text is None:
        return None
    try:
        operations, packed_layout = marshal.loads(data)
        layout = Layout(*packed_layout)
    except (ValueError, EOFError, TypeError):
        return None
    text = _text_of(packed_text, record.edits)
    if text is None or not isinstance(operations, list):
        return None
    return Current(record, text, operations, layout)


def _text_key(base: str) -> str:
    """The key of the base's text, beside `base` (its operations and layout)."""
    return cache.key_of(base, "text")


def _text_of(data: object, edits: list[Edit]) -> str | None:
    """The base's text as `remember` stores it (`data`), with `edits` made; None when
    `data` is not such a text."""
    if not isinstance(data, bytes):
        return None
    if edits and data.isascii() and all(new.isascii() for _, _, new in edits):
        # A character is a byte: the edits are made in the bytes, copied once.
        in_bytes = [(start, end, new.encode("ascii")) for start, end, new in edits]
        return b"".join(_pieces(memoryview(data), in_bytes)).decode("ascii")
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    return "".join(_pieces(text, edits)) if edits else text


def _pieces(base: Sequence[Any], edits: Sequence[tuple[int, int, Any]]) -> list[Any]:
    """`base` cut around `edits` (in its positions, in order), each edit's new piece in
    place of what it replaces: the pieces to join."""
    pieces, at = [], 0
    for start, end, new in edits:
        pieces += [base[at:start], new]
        at = end
    pieces.append(base[at:])
    return pieces


def with_edit(edits: list[Edit], start: int, end: int, token: str) -> list[Edit] | None:
    """`edits` of the base's text with the text they make replaced from `start` to `end`
    by `token`; the edits inside that stretch are taken into the new one (a string edited
    again, an operation holding edited strings); None when one overlaps it in part."""
    shift = 0  # how much longer the edited text is than the base, up to here
    inside = 0  # how much longer the edits inside the stretch made it
    result: list[Edit] = []
    placed = False
    for base_start, base_end, new in edits:
        now_start, now_end = base_start + shift + inside, base_start + shift + inside + len(new)
        grows = len(new) - (base_end - base_start)
        if now_end <= start:
            result.append((base_start, base_end, new))
            shift += grows
        elif start <= now_start and now_end <= end:
            inside += grows
        elif now_start >= end:
            if not placed:
                result.append((start - shift, end - shift - inside, token))
                placed = True
            result.append((base_start, base_end, new))
        else:
            return None
    if not placed:
        result.append((start - shift, end - shift - inside, token))
    return result


def _edited_string(record: Record, old: str, text: str) -> tuple[int, str] | None:
    """The index of the span of `record` holding every difference between `old`, the text
    it describes, and the JSON `text`, and the string written there now; None when no
    one span does."""
    region = _differences(record, old, text)
    if region is None:
        return None
    index, first, last_old, _ = region
    start, end, _ = record.spans[index]
    # Inside the quotes; the closing one may be where an addition at the end begins.
    if not (start < first and last_old < end):
        return None
    from specloom.loading.json_positions import string_at

    found = string_at(text, start)
    return (index, found[0]) if found and found[1] == end + len(text) - len(old) else None


def _edited_scalar(record: Record, old: str, text: str) -> tuple[int, str] | None:
    """As `_edited_string`, for a YAML text: the differences lie inside one recorded
    scalar, in both texts, and the new text's events are the old one's but that scalar's
    value (the same digest); its new value a plain string."""
    from specloom.loading.yaml_scalars import NotYaml, scalars

    region = _differences(record, old, text)
    if region is None:
        return None
    index, first, last_old, last_new = region
    start, end, string = record.spans[index]
    if not (start <= first and last_old <= end) or _ODD_LINE_BREAKS.search(text, first):
        return None
    pointer = record.strings[string][0]
    try:
        found = scalars(text, {recorded for recorded, _ in record.strings})
    except NotYaml:
        return None
    value, span = found.values.get(pointer), found.spans.get(pointer)
    if found.digest != record.yaml_digest or value is None or span is None:
        return None
    # The same scalar, from the same place, holding every difference (a block scalar's
    # span may end past the line break that ended a plain one: the record keeps the old
    # span, moved by the edit, as it does for JSON).
    if span[0] != start or last_new > span[1]:
        return None
    return index, value


def _differences(record: Record, old: str, text: str) -> tuple[int, int, int, int] | None:
    """Where `old`, the text `record` describes, and `text` differ: the index of the last
    span of `record` starting at or before the first difference, that difference's
    offset, and where the differences end in `old` and in `text`; None when the texts are
    the same or no span starts before."""
    first = common_prefix(old, text)
    if first == len(old) == len(text):
        return None
    same_end = common_suffix(old, text, min(len(old), len(text)) - first)
    index = bisect.bisect_right(record.spans, (first, len(old))) - 1
    if index < 0:
        return None
    return index, first, len(old) - same_end, len(text) - same_end


def moved_diagnostics(
    diagnostics: list[Diagnostic], old: str, text: str, span: tuple[int, int], delta: int
) -> list[Diagnostic] | None:
    """`diagnostics` placed in `old` moved to where the same places are in `text`, which
    is `old` with the string from `span`'s start to its end replaced, `delta` characters
    longer (a JSON string holds no line break; a YAML one may: lines move too); None
    when one of them is inside the string, past its start."""
    if not diagnostics:
        return diagnostics
    start, end = span
    first = _line_and_column(old, start)
    last = _line_and_column(old, end)
    now_last = _line_and_column(text, end + delta)
    inside = False

    def moved(line: int | None, column: int | None) -> tuple[int | None, int | None]:
        nonlocal inside
        if line is None or column is None or (line, column) <= first:
            return line, column
        if (line, column) < last:
            inside = True
            return line, column
        if line == last[0]:  # on the line the span ends on: after its end
            return now_last[0], now_last[1] + column - last[1]
        return line + now_last[0] - last[0], column

    result = []
    for diagnostic in diagnostics:
        line, column = moved(diagnostic.line, diagnostic.column)
        notes = []
        for note in diagnostic.notes:
            note_line, note_column = moved(note.line, note.column)
            notes.append(replace(note, line=note_line, column=note_column))
        result.append(replace(diagnostic, line=line, column=column, notes=tuple(notes)))
    return None if inside else result


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _changes(
    record: Record,
    before: Mapping[int, Operation],
    after: Mapping[int, Operation],
    pointer: str,
    value: str,
    earlier: EarlierFiles,
) -> dict[str, tuple[bytes, list[Replacement]]] | None:
    """The files the edit changes: the UTF-8 form of each one's new text, and the
    replacements that make it from the stored one, in order; None when one of them is
    not as expected (then the run is made in full). Large files (`openapi.json`) are
    changed as bytes: as text, one holding an emoji takes four bytes a character."""
    from specloom.render.docstrings import docstring_source, operation_doc

    changes: dict[str, tuple[bytes, list[Replacement]]] = {}

    def current(path: str) -> bytes | None:
        return changes[path][0] if path in changes else earlier.data(path)

    for place_index, old in before.items():
        new = after[place_index]
        place = record.places[place_index]
        for path, server, count in (
            (place.client_module, False, 2),  # the synchronous and the asynchronous client
            (place.server_module, True, 1),
        ):
            data = current(path) if path else b""
            if not path:
                continue
            if data is None:
                return None
            was = docstring_source(operation_doc(old, server=server), _METHOD_INDENT)
            now = docstring_source(operation_doc(new, server=server), _METHOD_INDENT)
            if was == now:  # a success response's description: in no docstring
                continue
            replacements = _docstring_replacements(
                data, old.python_name, _utf8(was), _utf8(now), count
            )
            if replacements is None:
                return None
            made = changes[path][1] if path in changes else []
            changes[path] = replaced_in_turn(data, replacements), [*made, *replacements]
    if record.spec_json:
        from specloom.indented_json import string_span, string_text

        data = current(record.spec_json)
        tokens = split_pointer(pointer)
        span = None if data is None or tokens is None else string_span(data, tokens)
        if data is None or span is None:
            return None
        replacement = (*span, _utf8(string_text(value)))
        changes[record.spec_json] = replaced_in_turn(data, [replacement]), [replacement]
    return changes


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


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


def _is_path_operation(tokens: list[str] | None) -> bool:
    """Whether `tokens` lead to an operation of a path item (not a webhook's, a callback's
    or one of `additionalOperations`)."""
    return (
        tokens is not None and len(tokens) == 3 and tokens[0] == "paths" and tokens[2] in _METHODS
    )


def common_prefix(a: str, b: str) -> int:
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


def common_suffix(a: str, b: str, limit: int) -> int:
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
