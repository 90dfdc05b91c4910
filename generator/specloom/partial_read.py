"""Reading a JSON spec in part, for a rebuild of one operation (`specloom.operation_edits`).

A rebuild needs the security schemes, the top-level fields, the components but for their
schemas, of `paths` only the path item holding the changed operation, and of the
component schemas those that path item reaches. The rest of `paths`, `webhooks`,
`x-webhooks` and `components/examples` are read as if they held less: `paths` as holding
that one path item, the others as empty objects. Of `components/schemas` every name is
read, each schema the path item reaches through a `$ref` or a discriminator's mapping
(and those reach, and each component extending one of them) as written, every other one
as an `Unread` placeholder (`specloom.unread_schemas`), which no part of the rebuild may
look into. On GitHub's spec that is all but 1% of the text left unparsed, and the
parser's and the validator's passes over every operation made over one.

What the rest of the document would have changed is checked where it could show: the
parser builds the last run's operation again in that reduced document, and it must be
what the full run built (its method name is unique among its service's, its types'
names are free among every class and type name); validation of the path item does not
read the others (a spec found valid has no operation id twice). Nothing here reads an
example object: neither the parser nor openapi-spec-validator's checks do.

A full run records where those parts stand in its text (`Parts`); a patch of the text
moves them (`shifted`). Each is checked again on reading; anything unexpected reads the
whole text.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Mapping
from typing import Any

import msgspec

from specloom.loading.pointers import lookup, split_fragment, split_pointer, to_pointer
from specloom.unread_schemas import Unread

__all__ = ["Parts", "located_parts", "read_in_part", "shifted", "wanted"]

_SCHEMAS = ["components", "schemas"]

UNREAD = (["components", "examples"], ["webhooks"], ["x-webhooks"])
"""The parts read as empty objects."""


class Parts(msgspec.Struct, frozen=True):
    """Where the parts a rebuild reads otherwise stand in a spec's JSON text."""

    unread: list[tuple[int, int, str]] = msgspec.field(default_factory=list)
    """The span of each object read as empty, with its pointer; sorted."""
    paths_at: int = -1
    """Where the value of `paths` starts; -1 when it is not known."""
    items: list[int] = msgspec.field(default_factory=list)
    """Where the value of each path item starts, sorted (in text order)."""
    schemas_at: int = -1
    """Where the value of `components/schemas` starts; -1 when it is not known."""
    schemas: list[tuple[str, int]] = msgspec.field(default_factory=list)
    """Each component schema's name and where its value starts, in text order."""

    def packed(self) -> tuple[Any, ...]:
        return self.unread, self.paths_at, self.items, self.schemas_at, self.schemas

    @classmethod
    def unpacked(cls, data: Any) -> Parts:
        try:
            unread, paths_at, items, schemas_at, schemas = data
            named = [(str(name), int(at)) for name, at in schemas]
            return cls(list(unread), int(paths_at), list(items), int(schemas_at), named)
        except (TypeError, ValueError):
            return cls()


def wanted(paths: list[str], schemas: list[str] | None = None) -> list[list[str]]:
    """The pointers (as tokens) whose offsets `located_parts` reads, for a document whose
    `paths` holds the path items `paths` and `components/schemas` the schemas `schemas`."""
    named = [[*_SCHEMAS, name] for name in schemas or []]
    return [*UNREAD, ["paths"], *(["paths", path] for path in paths), _SCHEMAS, *named]


def located_parts(
    text: str, paths: list[str], offsets: list[int], schemas: list[str] | None = None
) -> Parts:
    """`Parts` of the JSON `text`, whose `paths` holds the path items `paths` and
    `components/schemas` the schemas `schemas`, from the offsets `JsonPositions.offsets`
    found for `wanted(paths, schemas)`."""
    from specloom.loading.json_positions import member_value, value_end

    unread = []
    for tokens, offset in zip(UNREAD, offsets, strict=False):
        start = member_value(text, offset, tokens[-1])
        end = None if start is None or text[start] != "{" else value_end(text, start)
        if start is not None and end is not None:
            unread.append((start, end, to_pointer(tokens)))
    paths_at = member_value(text, offsets[len(UNREAD)], "paths")
    items = []
    after_paths = len(UNREAD) + 1 + len(paths)
    for path, offset in zip(paths, offsets[len(UNREAD) + 1 : after_paths], strict=True):
        start = member_value(text, offset, path)
        if start is not None and text.startswith("{", start):
            items.append(start)
    if paths_at is None or not text.startswith("{", paths_at) or len(items) != len(paths):
        return Parts(sorted(unread))
    schemas_at, named = _located_schemas(text, schemas or [], offsets[after_paths:])
    return Parts(sorted(unread), paths_at, sorted(items), schemas_at, named)


def _located_schemas(
    text: str, schemas: list[str], offsets: list[int]
) -> tuple[int, list[tuple[str, int]]]:
    """Where `components/schemas` starts and each of its schemas `schemas` (in text
    order); (-1, []) when one is not found where it should be."""
    from specloom.loading.json_positions import member_value

    if not offsets:
        return -1, []
    schemas_at = member_value(text, offsets[0], "schemas")
    if schemas_at is None or not text.startswith("{", schemas_at):
        return -1, []
    named = []
    for name, offset in zip(schemas, offsets[1:], strict=True):
        start = member_value(text, offset, name)
        if start is None or start <= schemas_at:
            return -1, []
        named.append((name, start))
    named.sort(key=lambda member: member[1])
    return schemas_at, named


def shifted(parts: Parts, replaced: tuple[int, int], delta: int) -> Parts:
    """`parts` of a text in which the stretch `replaced` was replaced by one `delta`
    characters longer; a part the stretch overlaps is no longer known."""
    start, end = replaced

    def moved(at: int) -> int:
        return at if at < start else at + delta

    unread = [(moved(s), moved(e), p) for s, e, p in parts.unread if e <= start or s >= end]
    if parts.paths_at < 0 or any(start <= at < end for at in [parts.paths_at, *parts.items]):
        return Parts(unread)
    paths_at, items = moved(parts.paths_at), [moved(at) for at in parts.items]
    schema_starts = [parts.schemas_at, *(at for _, at in parts.schemas)]
    if parts.schemas_at < 0 or any(start <= at < end for at in schema_starts):
        return Parts(unread, paths_at, items)
    schemas = [(name, moved(at)) for name, at in parts.schemas]
    return Parts(unread, paths_at, items, moved(parts.schemas_at), schemas)


def read_in_part(
    text: str,
    parts: Parts,
    tokens: list[str],
    at: int,
    subtypes: Mapping[str, tuple[str, ...]] | None = None,
    also: Any = None,
) -> dict[str, Any] | None:
    """The document of the JSON `text` as a rebuild of the operation at `tokens` (`paths`,
    its path, its method), whose object starts at `at`, reads it (see the module); None
    when `parts` do not fit the text (the caller then reads it whole). The component
    schemas are read in part when `subtypes` (`KnownComponents.subtypes` of the text) is
    given, else whole: those the document reaches, and those `also` reaches (the
    operation's object as the last run had it, which the rebuild builds again)."""
    from specloom.loading.json_text import NotLoadable, read_json_text

    if len(tokens) != 3 or tokens[0] != "paths":
        return None
    kept = _kept_item(text, parts, tokens[1], at)
    if kept is None:
        return None
    schemas = None if subtypes is None else _schemas_emptied(text, parts)
    replacements = sorted([kept, *((s, e, "{}") for s, e, _ in parts.unread)])
    if schemas is not None:
        replacements = sorted([*replacements, schemas])
    pieces, done = [], 0
    for start, end, new in replacements:
        if not done <= start < end <= len(text):
            return None
        pieces += [text[done:start], new]
        done = end
    pieces.append(text[done:])
    try:
        document = read_json_text("".join(pieces))
    except NotLoadable:
        return None
    if not isinstance(document, dict):
        return None
    paths = document.get("paths")
    if not isinstance(paths, dict) or list(paths) != [tokens[1]]:
        return None
    for _, _, pointer in parts.unread:
        if lookup(document, split_pointer(pointer) or []) != {}:
            return None
    if schemas is not None and subtypes is not None:
        read = _schemas_reached(text, parts, [document, also], subtypes)
        components = document.get("components")
        if read is None or not isinstance(components, dict) or components.get("schemas") != {}:
            return None
        components["schemas"] = {
            name: read[name] if name in read else Unread(name) for name, _ in parts.schemas
        }
    return document


def _schemas_emptied(text: str, parts: Parts) -> tuple[int, int, str] | None:
    """The replacement of `components/schemas`'s value by an empty object; None when
    `parts` do not say where it ends."""
    from specloom.loading.json_positions import value_end

    if parts.schemas_at < 0 or not text.startswith("{", parts.schemas_at):
        return None
    if not parts.schemas:
        return None
    last_end = value_end(text, parts.schemas[-1][1])
    closing = None if last_end is None else _first_not_space(text, last_end)
    if closing is None or not text.startswith("}", closing):
        return None
    return parts.schemas_at, closing + 1, "{}"


def _schemas_reached(
    text: str, parts: Parts, values: list[Any], subtypes: Mapping[str, tuple[str, ...]]
) -> dict[str, Any] | None:
    """Each component schema `values` (the document read with `components/schemas`
    empty, and the like) reach, read from `text`, by name: those they name, those these
    name, and each one extending a schema read (`subtypes`); None when one cannot be
    read where `parts` say it is."""
    from specloom.loading.json_positions import value_end
    from specloom.loading.json_text import NotLoadable, read_json_text

    starts = dict(parts.schemas)
    read: dict[str, Any] = {}
    waiting = [name for name in _schemas_named(values) if name in starts]
    while waiting:
        name = waiting.pop()
        if name in read:
            continue
        start = starts[name]
        end = value_end(text, start)
        if end is None:
            return None
        try:
            read[name] = schema = read_json_text(text[start:end])
        except NotLoadable:
            return None
        named = [*_schemas_named(schema), *subtypes.get(name, ())]
        waiting += [other for other in named if other in starts and other not in read]
    return read


def _schemas_named(value: Any) -> list[str]:
    """The component schemas `value` names: through a `$ref` into them, or as a
    discriminator's mapping names one (a `$ref`, or the schema's name alone)."""
    found: list[str] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            reference = node.get("$ref")
            if isinstance(reference, str) and reference.startswith("#"):
                tokens = split_fragment(reference[1:]) or []
                if len(tokens) >= 3 and tokens[:2] == _SCHEMAS:
                    found.append(tokens[2])
            mapping = node.get("mapping")
            if isinstance(mapping, dict):  # a discriminator's, or a member so named
                found += [target for target in mapping.values() if isinstance(target, str)]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def _kept_item(text: str, parts: Parts, path: str, at: int) -> tuple[int, int, str] | None:
    """The replacement of `paths`'s value by an object holding only the path item `path`,
    which holds the object starting at `at`; None when `parts` do not say where they are."""
    from specloom.loading.json_positions import value_end

    if parts.paths_at < 0 or not parts.items or not text.startswith("{", parts.paths_at):
        return None
    index = bisect.bisect_right(parts.items, at) - 1
    if index < 0 or _key_before(text, parts.items[index]) != path:
        return None
    item_start = parts.items[index]
    item_end = value_end(text, item_start)
    last_end = value_end(text, parts.items[-1])
    if item_end is None or last_end is None:
        return None
    closing = _first_not_space(text, last_end)
    if not text.startswith("}", closing):
        return None
    kept = "{" + json.dumps(path) + ":" + text[item_start:item_end] + "}"
    return parts.paths_at, closing + 1, kept


def _key_before(text: str, value_at: int) -> str | None:
    """The key of the member whose value starts at `value_at`; None when there is none
    (or it is written longer than `_LONGEST_KEY`)."""
    colon = _last_not_space(text, value_at)
    if colon < 0 or text[colon] != ":":
        return None
    closing = _last_not_space(text, colon)
    if closing < 0 or text[closing] != '"':
        return None
    opening = text.rfind('"', max(0, closing - _LONGEST_KEY), closing)
    while opening > 0 and _escaped(text, opening):
        opening = text.rfind('"', max(0, closing - _LONGEST_KEY), opening)
    if opening < 0:
        return None
    try:
        key, after = _DECODER.raw_decode(text, opening)
    except ValueError:
        return None
    return key if after == closing + 1 and isinstance(key, str) else None


def _first_not_space(text: str, at: int) -> int:
    """The position of the first character from `at` on that is not JSON white space."""
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _last_not_space(text: str, before: int) -> int:
    """The position of the last character before `before` that is not JSON white space."""
    at = before - 1
    while at >= 0 and text[at] in " \t\r\n":
        at -= 1
    return at


def _escaped(text: str, quote: int) -> bool:
    """Whether the `"` at `quote` is escaped (an odd run of backslashes before it)."""
    at = quote - 1
    while at >= 0 and text[at] == "\\":
        at -= 1
    return (quote - 1 - at) % 2 == 1


_DECODER = json.JSONDecoder()
_LONGEST_KEY = 65_536
"""The longest a path item's key is looked for (written, escapes included)."""
