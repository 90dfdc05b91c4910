"""Checks on a parsed document's values that no later stage could survive.

- YAML aliases let a few hundred bytes stand for billions of values (an alias
  bomb): every stage that walks the document would expand them. The expanded
  size is counted here, once per distinct value, and a document that expands
  far beyond what was written is refused; so is an alias that contains itself.
- Python refuses to print integers of more than 4,300 digits, and a lone UTF-16
  surrogate (`"\\ud800"` in JSON) cannot be written out as UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

from specloom.loading.pointers import to_pointer

MAX_INT_DIGITS = 4300
"""Python's default limit on converting an integer to text (`sys.get_int_max_str_digits`)."""
MAX_INT_BITS = int(MAX_INT_DIGITS * 3.32)
"""About the size of the largest integer with `MAX_INT_DIGITS` digits."""
_EXPANSION_FLOOR = 100_000
_EXPANSION_RATIO = 10
_SURROGATE = re.compile("[\ud800-\udfff]")

_Path = tuple[Any, str] | None
"""A place as a linked list `(parent place, key)`: no path is copied per value."""


class ValueProblem(Exception):
    """A value the generator cannot use; `pointer` says where (in the file as written)."""

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer


def check_values(content: Any) -> None:
    """Raise `ValueProblem` for an alias bomb, a self-containing alias, an integer too long
    to print, or a lone surrogate anywhere in `content`."""
    sizes: dict[int, int] = {}
    distinct = 0
    # An explicit stack: documents may nest deeper than Python's recursion limit.
    stack: list[tuple[Any, _Path, bool]] = [(content, None, False)]
    active: set[int] = set()
    while stack:
        value, path, done = stack.pop()
        if not isinstance(value, dict | list):
            _check_scalar(value, path)
            continue
        key = id(value)
        if done:
            active.discard(key)
            sizes[key] = 1 + sum(sizes.get(id(c), 1) for c in _children(value))
            continue
        if key in sizes:
            continue
        if key in active:
            raise ValueProblem("a YAML alias contains itself", _pointer(path))
        distinct += 1
        active.add(key)
        stack.append((value, path, True))
        for name, child in _members(value):
            if isinstance(name, str) and _SURROGATE.search(name):
                raise ValueProblem(_SURROGATE_MESSAGE, _pointer(path))
            if id(child) not in sizes:
                stack.append((child, (path, name), False))
    expanded = sizes.get(id(content), 1)
    if expanded > max(_EXPANSION_FLOOR, _EXPANSION_RATIO * distinct):
        raise ValueProblem(
            f"the YAML aliases expand {distinct:,} written values into {expanded:,}: "
            "a document that grows this much (an alias bomb) is refused"
        )


_SURROGATE_MESSAGE = "a string holds a lone UTF-16 surrogate (such as \\ud800), not text"


def _pointer(path: _Path) -> str:
    tokens: list[str] = []
    while path is not None:
        path, name = path
        tokens.append(name)
    return to_pointer(tokens[::-1])


def _check_scalar(value: Any, path: _Path) -> None:
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise ValueProblem(_SURROGATE_MESSAGE, _pointer(path))
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise ValueProblem(f"an integer has more than {MAX_INT_DIGITS:,} digits", _pointer(path))


def _members(value: dict[str, Any] | list[Any]) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(str(k), v) for k, v in value.items()]
    return [(str(i), v) for i, v in enumerate(value)]


def _children(value: dict[str, Any] | list[Any]) -> list[Any]:
    return list(value.values()) if isinstance(value, dict) else value
