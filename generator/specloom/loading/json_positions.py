"""Where a JSON pointer's value was written in JSON text, found by reading only what leads there.

Composing a YAML node tree of a large JSON spec only to place a few diagnostics costs
seconds (3.6 s for GitHub's 5.7 MB spec); walking the text instead costs at most one C-speed
decoding of the values skipped on the way (`json`'s own scanner).

Many pointers are best placed together (`JsonPositions.offsets`): one walk goes into each
value that leads to one of them and skips the rest, so the text is read once. Placed one
after the other, each object on the way is read on its own, skipping its members whole,
and a value deep down is read once per object that holds it (GitHub's 30 parse warnings:
0.48 s, against 0.09 s together).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from specloom.loading.pointers import array_index

__all__ = [
    "JsonPositions",
    "NotJson",
    "line_and_column",
    "lines_and_columns",
    "member_string",
    "member_value",
    "string_at",
    "value_end",
]

_DECODER = json.JSONDecoder()
_Wanted = dict[str, "_Wanted"]
"""The members to walk into, each with those to walk into below it."""
_Found = dict[tuple[str, ...], int]
"""Where the member at each path of tokens is: its key's offset, or an array item's."""
_SPACE = re.compile(r"[ \t\n\r]*")
# The C string scanner `json` uses (not in the type stubs).
_SCAN_STRING: Callable[[str, int], tuple[str, int]] = vars(json.decoder)["scanstring"]


class NotJson(ValueError):
    """The text is not JSON (YAML, say) where the walk needed it to be."""


class JsonPositions:
    """Offsets of values in one JSON text; each object or array on the way to a pointer
    is read once, on first use, so many lookups cost little more than one."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._members: dict[int, dict[str, tuple[int, int]]] = {}
        self._items: dict[int, list[int]] = {}

    def offset(self, tokens: Sequence[str]) -> int:
        """The offset of the deepest part of `tokens` found: the key of an object member,
        the start of an array item, or the start of the document (no token found)."""
        position = _skip_space(self._text, 0)
        mark = position
        for token in tokens:
            found = self._child(position, token)
            if found is None:
                break
            mark, position = found
        return mark

    def offsets(self, pointers: Sequence[Sequence[str]]) -> list[int]:
        """`offset` of each of `pointers` (token lists), from one walk of the text."""
        wanted: _Wanted = {}
        for tokens in pointers:
            branch = wanted
            for token in tokens:
                branch = branch.setdefault(token, {})
        start = _skip_space(self._text, 0)
        found: _Found = {}
        if wanted:
            self._walk(start, wanted, (), found)
        marks = []
        for tokens in pointers:
            mark = start
            for depth in range(1, len(tokens) + 1):
                at = found.get(tuple(tokens[:depth]))
                if at is None:
                    break
                mark = at
            marks.append(mark)
        return marks

    def _walk(self, position: int, wanted: _Wanted, path: tuple[str, ...], found: _Found) -> int:
        """Records in `found` where each wanted member of the value at `position` is (and
        each wanted member of those, recursively); returns where the value ends."""
        opener = self._text[position : position + 1]
        if not wanted or opener not in ("{", "["):
            return _after_value(self._text, position)
        if opener == "{":
            return self._scan_members(position, wanted, path, found)[1]
        return self._scan_items(position, wanted, path, found)[1]

    def _child(self, position: int, token: str) -> tuple[int, int] | None:
        """(where to point, where the value starts) of the member `token` of the value at
        `position`; None when there is no such member."""
        opener = self._text[position : position + 1]
        if opener == "{":
            return self._members_of(position).get(token)
        if opener == "[":
            items = self._items_of(position)
            index = array_index(token)
            if index is None or index >= len(items):
                return None
            return items[index], items[index]
        if opener in ('"', "-") or opener.isalnum():
            return None  # a scalar has no members
        raise NotJson(f"not JSON at offset {position}")

    def _members_of(self, position: int) -> dict[str, tuple[int, int]]:
        members = self._members.get(position)
        if members is None:
            members = self._scan_members(position, {}, (), {})[0]
        return members

    def _items_of(self, position: int) -> list[int]:
        items = self._items.get(position)
        if items is None:
            items = self._scan_items(position, {}, (), {})[0]
        return items

    def _scan_members(
        self, position: int, wanted: _Wanted, path: tuple[str, ...], found: _Found
    ) -> tuple[dict[str, tuple[int, int]], int]:
        """The members of the object at `position` (key -> (where its key is, where its
        value is)) and where the object ends; the wanted members are walked into."""
        members: dict[str, tuple[int, int]] = {}
        start, text = position, self._text
        position = _skip_space(text, position + 1)
        while text.startswith('"', position):
            key_at = position
            key, position = _decode_string(text, position)
            position = _skip_space(text, position)
            if not text.startswith(":", position):
                raise NotJson(f"no ':' at offset {position}")
            value_at = _skip_space(text, position + 1)
            below = wanted.get(key)
            if below is not None and key in members:
                _forget_below(found, (*path, key))  # written twice: `json.loads` keeps the last
            position = self._past(value_at, below, path, key, key_at, found)
            members[key] = (key_at, value_at)
            if not text.startswith(",", position):
                break
            position = _skip_space(text, position + 1)
        _expect(text, position, "}")
        self._members[start] = members
        return members, _skip_space(text, position + 1)

    def _past(
        self,
        position: int,
        below: _Wanted | None,
        path: tuple[str, ...],
        token: str,
        mark: int,
        found: _Found,
    ) -> int:
        """Where the value at `position` (the member `token` of the value at `path`) ends:
        skipped whole, or, when a pointer leads into it (`below`), walked into, `mark` (its
        key, or itself) recorded as where the member is."""
        if below is None:
            return _after_value(self._text, position)
        here = (*path, token)
        found[here] = mark
        return self._walk(position, below, here, found)

    def _scan_items(
        self, position: int, wanted: _Wanted, path: tuple[str, ...], found: _Found
    ) -> tuple[list[int], int]:
        """Where each item of the array at `position` is, and where the array ends; the
        wanted items are walked into."""
        by_index = {array_index(token): (token, below) for token, below in wanted.items()}
        items: list[int] = []
        start, text = position, self._text
        position = _skip_space(text, position + 1)
        while position < len(text) and not text.startswith("]", position):
            token, below = by_index.get(len(items), ("", None))
            items.append(position)
            position = self._past(position, below, path, token, position, found)
            if not text.startswith(",", position):
                break
            position = _skip_space(text, position + 1)
        _expect(text, position, "]")
        self._items[start] = items
        return items, _skip_space(text, position + 1)


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def lines_and_columns(text: str, offsets: Sequence[int]) -> list[tuple[int, int]]:
    """`line_and_column` of each of `offsets`, counting the text's lines once."""
    places: dict[int, tuple[int, int]] = {}
    line, counted = 1, 0
    for offset in sorted(set(offsets)):
        line += text.count("\n", counted, offset)
        counted = offset
        places[offset] = line, offset - (text.rfind("\n", 0, offset) + 1) + 1
    return [places[offset] for offset in offsets]


def string_at(text: str, position: int) -> tuple[str, int] | None:
    """The JSON string whose opening quote is at `position`, and where it ends (past its
    closing quote); None when no string starts there."""
    if not text.startswith('"', position):
        return None
    try:
        return _SCAN_STRING(text, position + 1)
    except ValueError:
        return None


def member_value(text: str, key_at: int, key: str) -> int | None:
    """Where the value of the member `key` whose key is at `key_at` (as `offsets` finds
    it) starts; None when that is not such a member."""
    found = string_at(text, key_at)
    if found is None or found[0] != key:
        return None
    position = _skip_space(text, found[1])
    if not text.startswith(":", position):
        return None
    return _skip_space(text, position + 1)


def value_end(text: str, start: int) -> int | None:
    """Where the JSON value starting at `start` ends; None when none starts there."""
    try:
        return _DECODER.raw_decode(text, start)[1]
    except (ValueError, RecursionError):
        return None


def member_string(text: str, key_at: int, key: str) -> tuple[int, int, str] | None:
    """The string value of the member `key` whose key is at `key_at` (as `offsets` finds
    it): where it starts and ends, and what it says; None when that is not such a member."""
    start = member_value(text, key_at, key)
    if start is None:
        return None
    value = string_at(text, start)
    return None if value is None else (start, value[1], value[0])


def _forget_below(found: _Found, path: tuple[str, ...]) -> None:
    for place in [place for place in found if place[: len(path)] == path]:
        del found[place]


def _expect(text: str, position: int, closing: str) -> None:
    if not text.startswith(closing, position):
        raise NotJson(f"expected {closing!r} at offset {position}")


def _decode_string(text: str, position: int) -> tuple[str, int]:
    try:
        return _SCAN_STRING(text, position + 1)
    except ValueError as exc:
        raise NotJson(str(exc)) from exc


def _after_value(text: str, position: int) -> int:
    try:
        _, end = _DECODER.raw_decode(text, position)
    except ValueError as exc:
        raise NotJson(str(exc)) from exc
    return _skip_space(text, end)


def _skip_space(text: str, position: int) -> int:
    match = _SPACE.match(text, position)
    return position if match is None else match.end()
