"""Where a JSON pointer's value was written in JSON text, found by reading only what leads there.

Composing a YAML node tree of a large JSON spec only to place a few diagnostics costs
seconds (3.6 s for GitHub's 5.7 MB spec); walking the text instead costs at most one C-speed
decoding of the values skipped on the way (`json`'s own scanner).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

__all__ = ["JsonPositions", "NotJson", "line_and_column"]

_DECODER = json.JSONDecoder()
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

    def _child(self, position: int, token: str) -> tuple[int, int] | None:
        """(where to point, where the value starts) of the member `token` of the value at
        `position`; None when there is no such member."""
        opener = self._text[position : position + 1]
        if opener == "{":
            return self._members_of(position).get(token)
        if opener == "[":
            items = self._items_of(position)
            index = int(token) if token.isdigit() else len(items)
            return (items[index], items[index]) if index < len(items) else None
        if opener in ('"', "-") or opener.isalnum():
            return None  # a scalar has no members
        raise NotJson(f"not JSON at offset {position}")

    def _members_of(self, position: int) -> dict[str, tuple[int, int]]:
        members = self._members.get(position)
        if members is None:
            members, start = {}, position
            text = self._text
            position = _skip_space(text, position + 1)
            while text.startswith('"', position):
                key_at = position
                key, position = _decode_string(text, position)
                position = _skip_space(text, position)
                if not text.startswith(":", position):
                    raise NotJson(f"no ':' at offset {position}")
                value_at = _skip_space(text, position + 1)
                members[key] = (key_at, value_at)  # the last one, as `json.loads` keeps
                position = _after_value(text, value_at)
                if not text.startswith(",", position):
                    break
                position = _skip_space(text, position + 1)
            _expect(text, position, "}")
            self._members[start] = members
        return members

    def _items_of(self, position: int) -> list[int]:
        items = self._items.get(position)
        if items is None:
            items, start = [], position
            text = self._text
            position = _skip_space(text, position + 1)
            while position < len(text) and not text.startswith("]", position):
                items.append(position)
                position = _after_value(text, position)
                if not text.startswith(",", position):
                    break
                position = _skip_space(text, position + 1)
            _expect(text, position, "]")
            self._items[start] = items
        return items


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of `offset` in `text`."""
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


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
