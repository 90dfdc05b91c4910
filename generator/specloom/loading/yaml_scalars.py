"""Where the string scalars of a YAML text stand, and what else the text says, from the
YAML parser's events (libyaml's when PyYAML has it: no document is built).

`specloom.doc_edits` patches a regeneration after an edit of one description. For a
YAML spec it needs where each description stands in the text (`Scalars.spans`), and a
proof that a new text says the same as the old one but inside one of them: the
`Scalars.digest` of each, a hash of every event of the text (what each node is, its
anchor, tag and style, every other scalar's value) but the values of the scalars at the
pointers it was asked about. Two texts with the same digest differ at most in those
values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import yaml

from specloom.loading.yaml_rules import CoreSchemaResolver

_STR = "tag:yaml.org,2002:str"


@dataclass
class Scalars:
    """What one walk of a YAML text's events found."""

    digest: bytes
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    """By pointer (of those asked about): where the scalar stands, as character offsets."""
    values: dict[str, str] = field(default_factory=dict)
    """By pointer (of those asked about): the string the scalar says; absent when it is not
    a plain string (an anchor on it, a tag, a plain scalar read as another type)."""


class NotYaml(Exception):
    """The text is not one YAML document the walk can follow."""


def scalars(text: str, pointers: Collection[str]) -> Scalars:
    """The scalars of `text` at `pointers` (JSON pointers, as the loader reads keys: the
    text written) and the digest of the rest; raises `NotYaml` when the text is not one
    YAML document."""
    wanted = frozenset(pointers)
    # Every start of a pointer asked about, to a `/`: below a collection whose pointer is
    # none of them, no pointer is made.
    prefixes = frozenset(
        pointer[:at]
        for pointer in wanted
        for at, character in enumerate(pointer)
        if character == "/"
    )
    found = Scalars(b"")
    resolver: Any = CoreSchemaResolver()  # PyYAML's stubs leave `resolve` untyped
    digest = hashlib.blake2b(digest_size=16)
    parts: list[str] = []
    # Per open collection: its pointer (None when no pointer asked about is below it),
    # whether it is a mapping, and the key it is at (None: a key comes next; `_NOT_A_KEY`)
    # or the index of its next item.
    stack: list[list[Any]] = []
    documents = 0
    loader = _loader()(text)
    append = parts.append
    scalar, alias = yaml.ScalarEvent, yaml.AliasEvent
    try:
        while (event := loader.get_event()) is not None:
            kind = type(event)
            if kind is scalar or kind is alias:
                frame = stack[-1] if stack else None
                # Most of a spec is below no pointer asked about: no pointer made there.
                pointer = None if frame is not None and frame[0] is None else _placed(frame)
                value = event.value if kind is scalar else None
                if value is None:
                    append(f"A{event.anchor}")
                elif pointer is not None and pointer in wanted:
                    _found(found, pointer, event, resolver)
                    append(f"s{event.anchor}\x1f{event.tag}")
                elif event.anchor is None and event.tag is None:
                    append(f"S{event.style or ''}{len(value)}")
                    append(value)
                else:
                    append(f"T{event.style or ''}{len(value)}\x1f{event.anchor}")
                    append(f"{event.tag}\x1f{value}")
                if frame is not None:
                    if not frame[1]:
                        frame[2] += 1
                    elif frame[2] is None:  # a key
                        frame[2] = _NOT_A_KEY if value is None else value
                    else:
                        frame[2] = None
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                pointer = _placed(stack[-1] if stack else None)
                parts.append(f"{kind.__name__}\x1f{event.anchor}\x1f{event.tag}")
                below = pointer if pointer is not None and pointer in prefixes else None
                mapping = kind is yaml.MappingStartEvent
                stack.append([below, mapping, None if mapping else 0])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                parts.append(kind.__name__)
                stack.pop()
                if stack:
                    frame = stack[-1]
                    if not frame[1]:
                        frame[2] += 1
                    else:
                        frame[2] = _NOT_A_KEY if frame[2] is None else None
            else:
                documents += kind is yaml.DocumentStartEvent
                parts.append(kind.__name__)
            if len(parts) > _CHUNK:
                _hash(digest, parts)
    except yaml.YAMLError as exc:
        raise NotYaml(str(exc)) from None
    if documents != 1:
        raise NotYaml(f"{documents} documents")
    _hash(digest, parts)
    found.digest = digest.digest()
    return found


def _placed(frame: list[Any] | None) -> str | None:
    """The pointer of the node that comes next in the collection `frame` describes (the
    document's root: none); None for a key, and below a key that is not a scalar or a
    collection no pointer asked about is in."""
    if frame is None:
        return ""
    parent, mapping, at = frame
    if parent is None:
        return None
    if mapping:
        if at is None or at is _NOT_A_KEY:
            return None
        return f"{parent}/{at.replace('~', '~0').replace('/', '~1')}"
    return f"{parent}/{at}"


def _found(found: Scalars, pointer: str, event: Any, resolver: Any) -> None:
    start, end = event.start_mark, event.end_mark
    if start is None or end is None:
        raise NotYaml("a scalar without its place")
    found.spans[pointer] = (start.index, end.index)
    if event.tag is not None or event.anchor is not None:
        return
    # A plain scalar's style is None, or "" from libyaml's parser.
    if event.style or resolver.resolve(yaml.ScalarNode, event.value, _PLAIN) == _STR:
        found.values[pointer] = event.value


def _hash(digest: Any, parts: list[str]) -> None:
    parts.append("")
    digest.update("\x1e".join(parts).encode("utf-8", "surrogatepass"))
    parts.clear()


_CHUNK = 20_000
"""Parts of the digest joined and hashed at once."""
_PLAIN = (True, False)


class _NotAKey(str):
    """A key that is not a scalar: what is below it has no pointer."""


_NOT_A_KEY = _NotAKey("")


def _loader() -> Any:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)
