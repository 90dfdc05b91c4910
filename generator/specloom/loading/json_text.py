"""Reading a JSON spec's text as loading reads it: integers of bounded length, and no
lone surrogate (which no UTF-8 file can hold) among its strings."""

from __future__ import annotations

import json
import re
from typing import Any

from specloom.loading.values import MAX_INT_DIGITS, ValueProblem, check_values

__all__ = ["HugeInteger", "NotLoadable", "has_lone_surrogate_escape", "json_int", "read_json_text"]

SURROGATE_ESCAPE = re.compile(r"\\u[dD]([89a-fA-F])[0-9a-fA-F]{2}")
"""A `\\uD800`-`\\uDFFF` escape (group 1: its third digit, 8-B for a high surrogate)."""


def has_lone_surrogate_escape(json_text: str) -> bool:
    """Whether an escape in `json_text` decodes to a lone surrogate. JSON joins a high
    escape and the low one right after it into one character (as `json.dumps` writes an
    emoji), and `\\\\ud800` is a backslash and text, no escape. Only the surrogate escapes
    are looked at (most texts have none, or a few emoji), not every backslash."""
    paired_until = -1
    for match in SURROGATE_ESCAPE.finditer(json_text):
        start = match.start()
        if start < paired_until or _escaped_backslash(json_text, start):
            continue
        if match[1] not in "89abAB":
            return True  # a low escape after no high one
        after = SURROGATE_ESCAPE.match(json_text, match.end())
        if after is None or after[1] in "89abAB":
            return True  # a high escape with no low one after it
        paired_until = after.end()
    return False


def _escaped_backslash(text: str, at: int) -> bool:
    """Whether the backslash at `at` is the second of an escaped pair (`\\\\`): an odd
    number of backslashes right before it."""
    before = at
    while before > 0 and text[before - 1] == "\\":
        before -= 1
    return (at - before) % 2 == 1


class HugeInteger(ValueError):
    pass


class NotLoadable(Exception):
    """A JSON text that loading refuses (see `read_json_text`)."""


def read_json_text(text: str) -> Any:
    """The value of the JSON `text` as loading reads a JSON spec; raises `NotLoadable`
    when loading would refuse it (not JSON, an integer too long, a lone surrogate)."""
    try:
        content = json.loads(text, parse_int=json_int)
        if has_lone_surrogate_escape(text):
            check_values(content)
    except (ValueError, ValueProblem, RecursionError) as exc:  # JSONDecodeError is one
        raise NotLoadable(str(exc)) from exc
    return content


def json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise HugeInteger
    return int(text)
