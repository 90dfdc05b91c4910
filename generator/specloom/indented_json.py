"""`json.dumps(value, indent=2, ensure_ascii=False, default=str)`, the same text, faster.

orjson writes it in compiled code (0.03 s for GitHub's spec, 0.06 s more to decode it),
the same bytes but for a few values, and those are looked for before its text is used (a
walk of the document in Python, 0.07 s): floats it writes otherwise (`0.00001` for `1e-05`,
`1.5e-7` for `1.5e-07`, `null` for NaN and the infinities, as values or as keys), and what
it refuses (integers beyond 64 bits, strings with lone surrogates, deeper nesting than
it writes). A document with any of them is written by the writer below.

The writer below: the standard library writes indented JSON in Python, one generator per
container, half a second for GitHub's 11 MB spec (written into every generated server as
`openapi.json`).
Only its compact writer is compiled, and that writer puts one separator between all items
at every depth. A container whose members are all scalars is where most of a spec's
values are, and its indented form is its compact form with the separator `",\\n"` and the
indentation of its depth: the compiled writer writes those, and only the containers above
them are walked here.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from functools import cache
from json import encoder as _stdlib
from typing import Any

import orjson

from specloom.loading.pointers import array_index

__all__ = ["dumps", "dumps_at", "string_span", "string_text", "value_span"]

_INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_encode_string: Callable[[str], str] = _stdlib.encode_basestring
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
"""A JSON string (its escapes are `\\` and one more character, or more: `\\uXXXX`)."""
_make_writer: Callable[..., Callable[[Any, int], list[str]]] | None = getattr(
    _stdlib, "c_make_encoder", None
)


# datetimes go to `default=str` as in `json.dumps` (orjson would write an ISO form)
_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME
_KEYS_WRITTEN_ALIKE = frozenset({str, int, bool, type(None)})


def dumps(value: Any) -> str:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False, default=str)` writes it,
    for a value made of what a loaded document holds: dicts, lists, strings, numbers,
    booleans, None, and values written by `str` (dates)."""
    text = _orjson_text(value)
    if text is not None:
        return text
    return _stdlib_text(value)


def string_text(value: str) -> str:
    """`value` as `dumps` writes a string: quoted, escaped, non-ASCII as it is."""
    return _encode_string(value)


def dumps_at(value: Any, depth: int) -> str:
    """`value` as `dumps` writes it where it stands `depth` containers deep in a document
    (its lines after the first indented by that depth: a string holds no line break)."""
    return dumps(value).replace("\n", "\n" + _INDENT * depth)


def value_span(data: bytes, tokens: list[str]) -> tuple[int, int] | None:
    """Where the object or array at `tokens` stands in the UTF-8 form of a text written by
    `dumps` (see `string_span`), from its opening bracket to past its closing one; None
    when there is none there."""
    start = _value_start(data, tokens)
    if start is None or not data.startswith((b"{", b"["), start):
        return None
    if data.startswith((b"{}", b"[]"), start):
        return start, start + 2
    closing = b"\n" + (_INDENT * len(tokens)).encode() + data[start : start + 1].translate(_CLOSE)
    end = data.find(closing, start)
    return None if end < 0 else (start, end + len(closing))


_CLOSE = bytes.maketrans(b"{[", b"}]")


def string_span(data: bytes, tokens: list[str]) -> tuple[int, int] | None:
    """Where the string value at `tokens` (member names and item indices from the root)
    stands in the UTF-8 form of a text written by `dumps`: from its opening quote to past
    its closing one; None when there is none there. A member is found by its key at its
    depth's indentation, which no deeper or shallower line and no string (newlines in one
    are escapes) can hold; an item by counting the lines its array's items start."""
    start = _value_start(data, tokens)
    string = None if start is None else _STRING.match(data, start)
    return None if string is None else (string.start(), string.end())


def _value_start(data: bytes, tokens: list[str]) -> int | None:
    """Where the value at `tokens` starts in `data` (see `string_span`)."""
    start, end = 0, len(data)
    for depth, token in enumerate(tokens, start=1):
        indent = (_INDENT * depth).encode()
        if data.startswith(b"{", start):
            key = b"\n" + indent + _encode_string(token).encode("utf-8", "surrogatepass") + b": "
            found = data.find(key, start, end)
            if found < 0:
                return None
            start = found + len(key)
        elif data.startswith(b"[", start) and (index := array_index(token)) is not None:
            item = _item_start(data, start, end, indent, index)
            if item is None:
                return None
            start = item
        else:
            return None
        # A container ends on the first line at its own depth: its closing bracket.
        closing = b"]" if data.startswith(b"[", start) else b"}"
        end = data.find(b"\n" + indent + closing, start)
        end = len(data) if end < 0 else end
    return start


def _item_start(data: bytes, start: int, end: int, indent: bytes, index: int) -> int | None:
    """Where item `index` of the array at `start` (ending by `end`) begins: items start
    the lines at their depth that do not close one."""
    starts = re.compile(b"\n" + re.escape(indent) + b"(?=[^ }\\]])")
    for number, line in enumerate(starts.finditer(data, start, end)):
        if number == index:
            return line.end()
    return None


def _orjson_text(value: Any) -> str | None:
    """`value` written by orjson, or None where its text would differ from `json.dumps`."""
    try:
        written = orjson.dumps(value, default=str, option=_ORJSON_OPTIONS)
        keys_too = False
    except TypeError:  # keys that are not strings, or what orjson refuses
        try:
            written = orjson.dumps(
                value, default=str, option=_ORJSON_OPTIONS | orjson.OPT_NON_STR_KEYS
            )
        except TypeError:
            return None
        keys_too = True
    if _holds_what_orjson_writes_otherwise(value, keys_too):
        return None
    return written.decode()


def _holds_what_orjson_writes_otherwise(value: Any, keys_too: bool) -> bool:
    """Whether `value` holds what orjson writes unlike `json.dumps`: a float not finite or
    nonzero below 1e-4, a subclass of float or of a container; with `keys_too`, a key other
    than a string, an integer, a boolean or None (`json.dumps` refuses a date key that
    orjson writes, and writes float keys as it writes floats)."""
    pending: list[Any] = [value]
    pop = pending.pop
    extend = pending.extend
    while pending:
        member = pop()
        kind = type(member)
        if kind is str:
            continue
        if kind is dict:
            if keys_too and not all(type(key) in _KEYS_WRITTEN_ALIKE for key in member):
                return True
            extend(member.values())
        elif kind is list or kind is tuple:
            extend(member)
        elif kind is float:
            if not math.isfinite(member) or (member != 0.0 and abs(member) < 1e-4):
                return True
        elif isinstance(member, dict | list | tuple | float):
            return True  # a subclass: orjson writes a named tuple with `default=str`
    return False


def _stdlib_text(value: Any) -> str:
    if _make_writer is None:  # an interpreter without the compiled writer
        return json.dumps(value, indent=2, ensure_ascii=False, default=str)
    parts: list[str] = []
    _write(value, 0, parts)
    return "".join(parts)


@cache
def _flat_writer(depth: int) -> Callable[[Any, int], list[str]]:
    """The compiled writer of a container at `depth` whose members are all scalars."""
    assert _make_writer is not None
    writer = _make_writer(
        None, str, _stdlib.encode_basestring, None, ": ", ",\n" + _INDENT * (depth + 1),
        False, False, True,
    )  # fmt: skip
    return writer


def _write(value: Any, depth: int, parts: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            parts.append("{}")
        elif any(isinstance(member, _CONTAINERS) for member in value.values()):
            _write_dict(value, depth, parts)
        else:
            parts.append(_flat(value, depth))
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
        elif any(isinstance(member, _CONTAINERS) for member in value):
            _write_list(value, depth, parts)
        else:
            parts.append(_flat(value, depth))
    else:  # a scalar, or a value JSON has no type for (`default=str` makes it a string)
        parts.extend(_flat_writer(depth)(value, depth))


def _flat(container: dict[Any, Any] | list[Any] | tuple[Any, ...], depth: int) -> str:
    compact = "".join(_flat_writer(depth)(container, depth))
    inner = _INDENT * (depth + 1)
    return f"{compact[0]}\n{inner}{compact[1:-1]}\n{_INDENT * depth}{compact[-1]}"


def _write_dict(value: dict[Any, Any], depth: int, parts: list[str]) -> None:
    inner = _INDENT * (depth + 1)
    separator = "{\n"
    for key, member in value.items():
        name = _encode_string(key) if type(key) is str else _key(key)
        if type(member) is str:  # most members: written here, without a call
            parts.append(f"{separator}{inner}{name}: {_encode_string(member)}")
        else:
            parts.append(f"{separator}{inner}{name}: ")
            _write(member, depth + 1, parts)
        separator = ",\n"
    parts.append(f"\n{_INDENT * depth}}}")


def _write_list(value: list[Any] | tuple[Any, ...], depth: int, parts: list[str]) -> None:
    inner = _INDENT * (depth + 1)
    separator = "[\n"
    for member in value:
        parts.append(separator + inner)
        _write(member, depth + 1, parts)
        separator = ",\n"
    parts.append(f"\n{_INDENT * depth}]")


def _key(key: Any) -> str:
    """A member name as JSON writes it: keys that are not strings become strings, as in
    `json.dumps` (numbers, `true`, `false`, `null`); any other key is a `TypeError`."""
    if isinstance(key, str):
        text = key
    elif isinstance(key, float) or key is True or key is False or key is None:
        text = json.dumps(key)
    elif isinstance(key, int):
        text = int.__repr__(key)
    else:
        raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
    return _encode_string(text)
