"""Regenerating after a change inside one operation, by building that operation alone.

An edit of a spec most often touches one operation: a parameter added or made required,
a response or a body changed. The last full run of a JSON spec file leaves a record
(`specloom.doc_edits`): the spec's text, where each operation's object starts in it,
each operation's IR, and how the operations make up the services. When the next run's
text differs from that one only inside one operation's object, that operation is built
again, alone, against the component schemas named as a full parse names them (none
converted: `specloom.parser.api.components_named`); its service's modules are rendered
again, and so are the models modules of its own inline types when it defines them
otherwise (a property added to its inline request body), its object replaced in
`openapi.json`; every other file is the last run's.

That is the full run's output only where nothing else depends on the change, which is
checked, and the run is made in full otherwise:

- the operation's own: the same pointer, operation id, method, path, tags, method name
  and constant; the new text holds no `$ref` but into `components`, and the operation
  no discriminator or callback (their parts are walked by the loader and the parser
  beyond the operation);
- its building: built alone, the operation as it was gives the IR the last full run
  gave it (so building alone is faithful for what it uses), and as it is now it claims
  the same names and defines the same inline types, and neither says anything
  (a warning about an operation is placed in the text, which the edit moves); an inline
  type it defines otherwise keeps its name, kind, place and references, uses the same
  types, is what the last run defined before (built alone), sits in a models module
  holding only the operation's own types, and plays no part in request shapes;
- what other files read of it: its security (`server.py`, the README's examples) and
  what the server tells operations apart by; when its status responses or its response
  headers classes change what `server.py` imports, `server.py` is rendered again, and
  when the operation is, or becomes, the README's example (or another operation becomes
  it), the README, both from every operation the record keeps (unpickled: 0.04 s for
  GitHub's 845; the run is made in full if it lacks one, or if how fit an operation is
  to be the example depends on a model it returns that is not its own);
- validation (unless skipped) finds nothing in its path item: the JSON Schema phase, and
  the keyword walk of that path item alone (`path_item_check.path_item_is_clean`);
- the last run said nothing about the operation, nor about a component that only
  reaching it checks (a component parameter, response, body: one the operation may no
  longer reach); what it said about the path item's other operations stands.

The files and diagnostics are those of a full run, byte for byte (tested by comparing
the two on real specs, `scripts/patch_sweep.py --structural`).
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec.structs import replace

from specloom.config import GenerateConfig
from specloom.doc_edits import (
    Current,
    keep_rebuilt,
    moved_diagnostics,
    unpickled,
)
from specloom.earlier_files import EarlierFiles
from specloom.id_members import json_may_have_id
from specloom.loading.pointers import lookup, split_pointer
from specloom.outside_refs import refers_outside_components
from specloom.partial_read import read_in_part, shifted
from specloom.result_cache import (
    Reuse,
    Stored,
    StoredFile,
    StoredTexts,
    packed_result,
    spliced,
    with_replacements,
)
from specloom.unread_schemas import KnownComponents, UnreadSchema
from specloom.writing.texts import Pieces

if TYPE_CHECKING:
    from specloom.diagnostics import Diagnostic
    from specloom.ir import Api, Operation, Service, TypeDef
    from specloom.parser.api import Named
    from specloom.parser.context import Slot
    from specloom.render.engine import ModelsModule
    from specloom.render.usage import UsageExample
    from specloom.validation_standby import ValidatorStandby

__all__ = ["attempt", "patched"]

_BEYOND = frozenset({"discriminator", "callbacks"})
"""Keys whose values the loader or the parser read beyond the object holding them."""
_VARIABLE = re.compile(r"\{[^{}]*\}")
_DEPTH = 3
"""How deep an operation's object stands: `paths`, its path item, its method."""


class _Rebuilt(msgspec.Struct, frozen=True):
    """The operation built alone, and the inline types it defines otherwise than before
    (by name: as built alone before, and now)."""

    operation: Operation
    changed: dict[str, tuple[TypeDef, TypeDef]]


class _Built(msgspec.Struct, frozen=True):
    """One operation built alone, and what building it did."""

    operation: Operation
    slots: list[Slot]
    claimed: frozenset[str]
    said: bool
    """Whether building it added a diagnostic."""


def patched(
    reuse: Reuse,
    found: Current | None,
    config: GenerateConfig,
    *,
    skip_validation: bool,
    output: Path | None = None,
    standby: ValidatorStandby | None = None,
) -> Stored | None:
    """The result of this run made from the last run's (`found`, as `doc_edits.current`
    found it), when the spec's text differs from its only inside one operation's object
    (see the module); None otherwise."""
    outcome = attempt(
        reuse, found, config, skip_validation=skip_validation, output=output, standby=standby
    )
    return outcome if isinstance(outcome, Stored) else None


def attempt(
    reuse: Reuse,
    found: Current | None,
    config: GenerateConfig,
    *,
    skip_validation: bool,
    output: Path | None = None,
    standby: ValidatorStandby | None = None,
) -> Stored | str:
    """`patched`, or why the run is made in full instead (`output`: the folder the last
    result was written to, whose files are read rather than decompressed where it holds
    them as written, `specloom.earlier_files`)."""
    text = reuse.spec_text
    if found is None or text is None:
        return "no record of the last run"
    if not found.record.starts or found.record.is_yaml:
        return "not a JSON spec's record"
    edited = _edited_operation(found, text)
    if edited is None:
        return "not a change inside one operation"
    if standby is not None and not skip_validation:
        standby.prepare()  # the validator imported aside while the edit is read and built
    edit = _read_edit(found, text, edited)
    if isinstance(edit, str):
        return edit
    finds_nothing = _validation(edit, skip_validation, standby)
    return _rebuild(reuse, found, text, edit, config, finds_nothing, output)


class _Edit(msgspec.Struct, frozen=True):
    """A change inside one operation's object, read: the operation's place and pointer,
    its object before and after, and the new document as a rebuild reads it."""

    place: int
    start: int
    """Where the operation's object starts, in both texts."""
    old_end: int
    """Where it ended in the last run's text."""
    delta: int
    """How much longer the new text is."""
    old_node: dict[str, Any]
    new_node: dict[str, Any]
    pointer: str
    tokens: list[str]
    document: dict[str, Any]
    """The new document, read in part (`specloom.partial_read`)."""
    may_have_id: bool
    """Whether the new document may hold a `$id` member (`specloom.validate.new_validator`)."""
    known: KnownComponents | None
    """What the last full run found of the component schemas (`Layout.known_components`)."""


def _read_edit(found: Current, text: str, edited: tuple[int, int, int]) -> _Edit | str:
    """The change `_edited_operation` found, read; or why it is not rebuilt."""
    place, start, old_end = edited
    delta = len(text) - len(found.text)
    old_node = _object(found.text[start:old_end])
    new_node = _object(text[start : old_end + delta])
    pointer = found.record.places[place].pointer
    tokens = split_pointer(pointer)
    if old_node is None or new_node is None or tokens is None:
        return "not an operation's object"
    # The rest of the text is the last run's: when it held no reference outside the
    # components, the operation's new object alone may.
    scanned = text if found.record.refers_outside else text[start : old_end + delta]
    if _reaches_beyond(new_node) or refers_outside_components(scanned):
        return "read beyond the operation"
    parts = shifted(found.record.parts, (start, old_end), delta)
    known = found.layout.known_components
    subtypes = None if known is None else known.subtypes
    document = read_in_part(text, parts, tokens, start, subtypes, old_node) or _object(text)
    if document is None or lookup(document, tokens) != new_node or not _is_openapi3(document):
        return "not the operation's object in an OpenAPI 3 document"
    # The rest of the text is the last run's: when it held no `$id`, the new object alone may.
    may_have_id = found.record.may_have_id or json_may_have_id(text[start : old_end + delta])
    return _Edit(
        place,
        start,
        old_end,
        delta,
        old_node,
        new_node,
        pointer,
        tokens,
        document,
        may_have_id,
        known,
    )


def _validation(
    edit: _Edit, skip_validation: bool, standby: ValidatorStandby | None
) -> Callable[[], bool]:
    """Whether validation finds nothing in the edited path item, when called: asked of
    `standby` now (answered while the operation is built), else validated then."""
    from specloom.validation_standby import finds_nothing

    if skip_validation:
        return _unvalidated
    path = edit.tokens[1]
    if standby is not None:
        standby.ask(edit.document, path, edit.may_have_id)

    def answer() -> bool:
        told = None if standby is None else standby.answer()
        if told is not None:
            return told
        return finds_nothing(edit.document, path, edit.may_have_id)

    return answer


def _rebuild(
    reuse: Reuse,
    found: Current,
    text: str,
    edit: _Edit,
    config: GenerateConfig,
    finds_nothing: Callable[[], bool],
    output: Path | None,
) -> Stored | str:
    """The result with the operation `edit` of the spec's `text` changed built again, or
    why the run is made in full instead; `finds_nothing` tells whether validation finds
    nothing in its path item."""
    place, start, old_end, delta = edit.place, edit.start, edit.old_end, edit.delta
    pointer, tokens, document, known = edit.pointer, edit.tokens, edit.document, edit.known
    earlier = packed_result(found.record.result)
    old = found.operation(place)
    if earlier is None or old is None:
        return "the last result is not stored"
    stored_files, diagnostics = earlier.files, earlier.diagnostics
    # About the operation itself: said again or not by the new one. About the rest of its
    # path item: said of another operation's parts, which the change leaves as they are
    # (validation, finding nothing in the path item below, found nothing there either).
    if _said_inside(diagnostics, pointer):
        return "the last run said something about the operation"
    if any(_reached_from_paths(d.pointer) for d in diagnostics):
        return "the last run said something about a part operations reach"
    rebuilt = _rebuilt(document, pointer, edit.old_node, old, found.layout.request_shapes, known)
    if isinstance(rebuilt, str):
        return rebuilt
    new = rebuilt.operation
    models = _models_modules(found, place, rebuilt.changed)
    if isinstance(models, str):
        return models
    owned, remade = models
    elsewhere = _same_for_the_rest(found, place, old, new)
    if isinstance(elsewhere, str):
        return elsewhere
    service = _service(found, place, new)
    if service is None:
        return "its service is not recorded"
    example = _example(found, place, old, new, owned)
    if isinstance(example, str):
        return example
    whole = None
    if (elsewhere and config.with_server) or example.shown_anew:
        whole = _whole_api(found, place, new)
        if whole is None:
            return "server.py or the README reads the change, and an operation is not recorded"
    readme = None
    if example.shown_anew and whole is not None:
        readme = _readme_example(found, whole, example.place, place, owned, config)
        if readme is None:
            return "the README's example returns a model the record does not keep"
    server = whole if elsewhere and config.with_server else None
    changes = _changes(
        found,
        service,
        remade,
        server,
        readme,
        config,
        EarlierFiles(stored_files, output, earlier.digests),
        tokens,
        edit.new_node,
    )
    if changes is None:
        return "a changed file is not where it was"
    if not finds_nothing():
        return "validation may find something"
    moved = moved_diagnostics(diagnostics, found.text, text, (start, old_end), delta)
    if moved is None:
        return "a diagnostic inside the operation"
    kept_files = dict(stored_files)
    kept_files.update(changes.stored)
    digests = reuse.keep_packed(kept_files, moved, earlier)
    if digests is not None:
        keep_rebuilt(
            reuse,
            found,
            place,
            (start, old_end),
            new,
            owned,
            example.fit,
            example.place,
            edit.may_have_id,
        )
    return Stored(StoredTexts(stored_files, changes.data), moved, digests)


def _edited_operation(found: Current, text: str) -> tuple[int, int, int] | None:
    """The place of the operation whose object, in the last run's text, holds every
    difference from `text`, with where that object starts and ends; None when none does."""
    from specloom.doc_edits import common_prefix, common_suffix
    from specloom.loading.json_positions import value_end

    old = found.text
    first = common_prefix(old, text)
    if first == len(old) == len(text):
        return None
    same_end = common_suffix(old, text, min(len(old), len(text)) - first)
    starts = found.record.starts
    index = bisect.bisect_right(starts, first, key=lambda start: start[0]) - 1
    if index < 0:
        return None
    start, place = starts[index]
    end = value_end(old, start)
    # Inside the braces: a change of the opening or closing one is not the object's alone.
    if end is None or not (start < first and len(old) - same_end < end):
        return None
    return place, start, end


def _object(text: str) -> dict[str, Any] | None:
    """The JSON object `text` holds, read as the loader reads it; None when it is not one
    (or holds what the loader refuses: an integer too long, a lone surrogate)."""
    from specloom.loading.json_text import NotLoadable, read_json_text

    try:
        value = read_json_text(text)
    except NotLoadable:
        return None
    return value if isinstance(value, dict) else None


def _reaches_beyond(node: Any) -> bool:
    """Whether an operation's object holds a key read beyond it (`_BEYOND`)."""
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if not _BEYOND.isdisjoint(value):
                return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _is_openapi3(document: dict[str, Any]) -> bool:
    version = document.get("openapi")
    return "swagger" not in document and isinstance(version, str) and version.startswith("3.")


def _rebuilt(
    document: dict[str, Any],
    pointer: str,
    old_node: dict[str, Any],
    old: Operation,
    request_shapes: list[tuple[str, str]],
    known: KnownComponents | None = None,
) -> _Rebuilt | str:
    """The operation at `pointer` of `document` built alone and finished as a full parse
    finishes it, when building alone is faithful (see the module); else why not.
    `known`: what the last full run found of the component schemas, which names those
    left unread (`specloom.unread_schemas`)."""
    from specloom.parser.api import components_named
    from specloom.parser.shapes import with_request_body

    renamed = dict(request_shapes)

    def finished(operation: Operation) -> Operation:
        named = replace(
            operation,
            constant_name=old.constant_name,
            server_shadowed_by=old.server_shadowed_by,
        )
        return with_request_body(named, renamed)

    try:
        before_named = components_named(document, known)
        now_named = components_named(document, known)
    except (UnreadSchema, KeyError):  # a schema left unread, or not the one recorded
        return "naming the components reads a schema not read"
    index = next((i for i, raw in enumerate(now_named.operations) if raw.pointer == pointer), None)
    if index is None:
        return "not an operation the parser finds"
    raw = before_named.operations[index]
    before_named.operations[index] = replace(raw, spec=old_node)
    before, now = _built(before_named, index), _built(now_named, index)
    if before is None or now is None:
        return "not built alone"
    if before.said or now.said:
        return "building it says something"
    if finished(before.operation) != old:
        return "built alone, it was not what the last run built"
    if now.claimed != before.claimed or len(now.slots) != len(before.slots):
        return "it defines other types"
    changed: dict[str, tuple[TypeDef, TypeDef]] = {}
    for was, slot in zip(before.slots, now.slots, strict=True):
        if was.definition is None or slot.definition is None:
            return "a type it defines could not be built"
        if _slot_place(was) != _slot_place(slot) or _references(was.definition) != (
            _references(slot.definition)
        ):
            return "it defines other types"
        if was.definition != slot.definition:
            changed[slot.name] = (was.definition, slot.definition)
    return _Rebuilt(finished(now.operation), changed)


def _references(definition: TypeDef) -> object:
    """What a definition says it refers to (an enum refers to nothing)."""
    return getattr(definition, "references", None)


def _slot_place(slot: Slot) -> tuple[object, ...]:
    """What of a type places it among the others (its module, its emission order)."""
    return (slot.name, slot.wire_name, slot.pointer, slot.eager, type(slot.definition))


def _built(named: Named, index: int) -> _Built | None:
    from specloom.parser.api import build_one

    ctx = named.ctx
    slots, said, taken = len(ctx.slots), len(ctx.diagnostics), ctx.type_names.taken()
    try:
        operation = build_one(named, index)
    except Exception:  # a full run reports it
        return None
    if operation is None:
        return None
    claimed = ctx.type_names.taken() - taken
    return _Built(operation, ctx.slots[slots:], claimed, len(ctx.diagnostics) > said)


def _same_for_the_rest(found: Current, place: int, old: Operation, new: Operation) -> str | bool:
    """Why a file but its service's modules, `server.py` and `openapi.json` may read
    otherwise of `new` than of `old` (see the module); else whether `server.py` does."""
    from specloom.parser.overlaps import selector

    if _identity(old) != _identity(new):
        return "its names or its place changed"
    if old.security != new.security:
        return "its security changed"
    layout = found.layout
    server = _headers_classes(old) != _headers_classes(new)
    if old.status_classes != new.status_classes:
        others = {
            name
            for index in range(len(layout.status_classes))
            if index != place
            for name in found.status_classes(index)
        }
        server = server or others | set(old.status_classes) != others | set(new.status_classes)
    if _shares_a_route(found, place) and (
        selector(old, {}) != selector(new, {}) or _path_types(old) != _path_types(new)
    ):
        return "what tells it from an operation on the same route changed"
    return server


def _identity(operation: Operation) -> tuple[object, ...]:
    o = operation
    return (o.python_name, o.operation_id, o.constant_name, o.method, o.path, o.tag, o.tags)


def _headers_classes(operation: Operation) -> list[str]:
    return [response.headers_class for response in operation.responses if response.headers_class]


def _path_types(operation: Operation) -> list[str]:
    return [p.value_annotation for p in operation.parameters if p.location == "path"]


def _shares_a_route(found: Current, place: int) -> bool:
    """Whether another operation has the method and path shape of the one at `place`
    (`/files/{id}` and `/files/{name}` alike), which the server tells apart by request."""
    places = found.record.places

    def route(pointer: str) -> tuple[str, str]:
        tokens = split_pointer(pointer) or ["", "", ""]
        path = tokens[1].split("?", 1)[0].split("#", 1)[0]
        return tokens[2], _VARIABLE.sub("{}", path)

    mine = route(places[place].pointer)
    return any(route(p.pointer) == mine for index, p in enumerate(places) if index != place)


class _Example(msgspec.Struct, frozen=True):
    """The README's example after a rebuild, and the rebuilt operation's fitness."""

    place: int
    shown_anew: bool
    """Whether the README shows another example, or the rebuilt operation: rendered again."""
    fit: tuple[bool, bool, bool, bool]
    """How fit the rebuilt operation is to be the example (`usage.rank`)."""


def _example(
    found: Current, place: int, old: Operation, new: Operation, owned: list[ModelsModule]
) -> _Example | str:
    """The README's example after `old` at `place` is rebuilt as `new`, or why it cannot
    be told (how fit an operation returning a model is depends on that model, kept only
    when it is one of the operation's own, `owned`)."""
    from specloom.render.usage import rank

    if found.example < 0:
        return "the README's example is not recorded"
    if _answers_alike(old, new):
        now = rank(new, {})
        fit = (now[0], now[1], found.rank(place)[2], now[3])  # the models' part as it was
    else:
        answers = _returned_answer(found, new, owned)
        if answers is None:
            return "it returns another model, which the README's example choice reads"
        fit = rank(new, answers)
    ranks = [
        fit if index == place else found.rank(index) for index in range(len(found.layout.ranks))
    ]
    example = min(range(len(ranks)), key=lambda index: (ranks[index], index))
    return _Example(example, example != found.example or example == place, fit)


def _answers_alike(old: Operation, new: Operation) -> bool:
    """Whether the README's example would answer `new` as it answered `old` (its handler
    returns the same model, when it returns one: `usage.rank` reads no more of it)."""
    returned = new.client_return.strip()
    if returned != old.client_return.strip():
        return False
    return (returned in _words(old.server_return)) == (returned in _words(new.server_return))


def _words(annotation: str) -> list[str]:
    return annotation.replace("|", " ").split()


def _returned_answer(
    found: Current, operation: Operation, owned: list[ModelsModule]
) -> dict[str, str | None] | None:
    """What the README's example reads when `operation` is the example: the answer
    (`usage.model_answer`) of the model it returns, one of its own (`owned`) or a
    component (as the last full run found it: unchanged since); nothing when it returns
    no generated type (`bytes`, `str`); None when it returns another."""
    from specloom.ir import ModelDef
    from specloom.render.usage import model_answer

    returned = operation.client_return.strip()
    if returned == "None" or returned.startswith("list["):
        return {}
    for models_module in owned:
        for definition in models_module.definitions:
            if definition.name == returned and isinstance(definition, ModelDef):
                return {returned: model_answer(definition)}
    answers = found.layout.answers
    if returned in answers:
        return {returned: answers[returned]}
    return None if returned in found.layout.type_names else {}


def _unvalidated() -> bool:
    """The answer when validation is skipped: nothing to find."""
    return True


def _readme_example(
    found: Current,
    whole: Api,
    example: int,
    place: int,
    owned: list[ModelsModule],
    config: GenerateConfig,
) -> tuple[Api, UsageExample] | None:
    """The README's example at place `example` of `whole` (the rebuilt operation's own
    models as `owned` now holds them), with the Api it is shown from."""
    from specloom.render.usage import example_of

    pointer = found.record.places[example].pointer
    for service in whole.services:
        for operation in service.operations:
            if operation.pointer != pointer:
                continue
            answers = _returned_answer(
                found, operation, owned if example == place else found.owned(example) or []
            )
            if answers is None:
                return None
            return whole, example_of(service, operation, answers, config.package_name)
    return None


def _whole_api(found: Current, place: int, new: Operation) -> Api | None:
    """The last run's `Api` but its types, with `new` at `place`, as `server.py` reads
    it; None when an operation of it is not recorded (or cannot be read)."""
    from specloom.ir import Api, Service

    api = unpickled(found.layout.api, Api)
    webhooks = unpickled(found.layout.webhooks, tuple)
    if api is None or webhooks is None:
        return None
    services = []
    for shell, places in found.layout.services:
        service = unpickled(shell, Service)
        if places is None or service is None:
            return None
        operations = [new if each == place else found.operation(each) for each in places]
        if None in operations:
            return None
        services.append(replace(service, operations=tuple(o for o in operations if o)))
    return replace(api, services=tuple(services), webhooks=webhooks)


def _service(found: Current, place: int, new: Operation) -> Service | None:
    """The service of the operation at `place`, with `new` in its place."""
    from specloom.ir import Service

    for shell, places in found.layout.services:
        if places is None or place not in places:
            continue
        operations = []
        for each in places:
            operation = new if each == place else found.operation(each)
            if operation is None:
                return None
            operations.append(operation)
        service = unpickled(shell, Service)
        return None if service is None else replace(service, operations=tuple(operations))
    return None


class _Changes(msgspec.Struct, frozen=True):
    data: dict[str, bytes | Pieces]
    """The new UTF-8 form of each file changed (`openapi.json` in pieces: its old bytes
    around the operation's new ones)."""
    stored: dict[str, StoredFile]
    """How the result cache keeps each of them."""


def _models_modules(
    found: Current, place: int, changed: dict[str, tuple[TypeDef, TypeDef]]
) -> tuple[list[ModelsModule], list[ModelsModule]] | str:
    """The models modules of the operation at `place`'s own types with those it now
    defines otherwise, and those of them to render again; or why they cannot be: each
    must be in a
    module holding only the operation's own types, as the last run defined it (as
    built alone before), use the same types (the modules' layout stays) and play no part
    in request shapes (`readOnly`/`writeOnly`)."""
    owned = found.owned(place)
    if owned is None:
        return "the record cannot be read"
    if not changed:
        return owned, []
    from specloom.ir import ModelDef, References
    from specloom.naming import FILE_CONTENT
    from specloom.render.engine import types_used

    layout = found.layout
    shaped = {name for pair in layout.request_shapes for name in pair}
    known = frozenset([*layout.type_names, FILE_CONTENT])
    made: list[ModelsModule] = []
    after: list[ModelsModule] = []
    left = dict(changed)
    for models_module in owned:
        definitions = list(models_module.definitions)
        for index, definition in enumerate(definitions):
            pair = left.pop(definition.name, None)
            if pair is None:
                continue
            was, now = pair
            if was != definition:
                return "built alone, a type it defines was not what the last run built"
            refers = _references(now)
            if definition.name in shaped or (
                isinstance(refers, References) and shaped.intersection(refers.types)
            ):
                return "a type it defines has a request shape"
            if isinstance(now, ModelDef) and any(f.read_only or f.write_only for f in now.fields):
                return "a type it defines has read-only or write-only properties"
            if types_used(now, known) != types_used(definition, known):
                return "a type it defines uses other types"
            definitions[index] = now
        if definitions != list(models_module.definitions):
            models_module = replace(models_module, definitions=tuple(definitions))
            made.append(models_module)
        after.append(models_module)
    if left:
        return "a type it defines shares its module with others"
    return after, made


def _changes(
    found: Current,
    service: Service,
    models: list[ModelsModule],
    server: Api | None,
    readme: tuple[Api, UsageExample] | None,
    config: GenerateConfig,
    earlier: EarlierFiles,
    tokens: list[str],
    node: dict[str, Any],
) -> _Changes | None:
    """The files that change: the service's modules, `models`, `server.py` (from the
    whole `server` Api, when given) and the README (showing its example, when given)
    rendered again, and the operation's object replaced in `openapi.json`; None when one
    is not where the last run put it."""
    from specloom.ir import Api
    from specloom.render.engine import (
        render_models_module,
        render_readme,
        render_server_module,
        render_service,
    )
    from specloom.render.format import format_files

    api = unpickled(found.layout.api, Api)
    if api is None:
        return None
    rendered = render_service(api, service, config)
    for models_module in models:
        rendered.update(render_models_module(api, models_module, config))
    if server is not None:
        rendered.update(render_server_module(server, config))
    if readme is not None:
        rendered.update(render_readme(*readme, config))
    files = format_files(rendered, config.formatter)
    data: dict[str, bytes | Pieces] = {}
    stored: dict[str, StoredFile] = {}
    for path, text in files.items():
        before = earlier.data(path)
        now = text.encode("utf-8", "surrogatepass")
        if before is None:
            return None
        if now != before:
            data[path], stored[path] = now, zlib.compress(now, 1)
    spec_json = found.record.spec_json
    if spec_json:
        from specloom.indented_json import dumps_at, value_span

        before = earlier.data(spec_json)
        span = None if before is None else value_span(before, tokens)
        if before is None or span is None:
            return None
        written = dumps_at(node, _DEPTH).encode("utf-8", "surrogatepass")
        replacement = [(span[0], span[1], written)]
        data[spec_json] = spliced(before, span[0], span[1], written)
        stored[spec_json] = with_replacements(earlier.stored[spec_json], replacement)
    return _Changes(data, stored)


def _reached_from_paths(pointer: str) -> bool:
    """Whether a diagnostic at `pointer` may come from an operation reaching that part (a
    component parameter, response, body...: checked where an operation uses it)."""
    return pointer.startswith("/components/") and not pointer.startswith("/components/schemas/")


def _said_inside(diagnostics: list[Diagnostic], pointer: str) -> bool:
    """Whether a diagnostic is placed at `pointer` or inside it."""
    return any(d.pointer == pointer or d.pointer.startswith(pointer + "/") for d in diagnostics)
