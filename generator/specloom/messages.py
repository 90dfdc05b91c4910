"""Validation errors in words a person can act on, instead of JSON Schema's own.

jsonschema says `'strin' is not one of ['array', 'boolean', ...]`, `{...} is not valid under
any of the given schemas` and `'respones' does not match any of the regexes: '^x-'`. This
module turns each such error into a one-line reason about the key the user wrote
(`unknown type 'strin'`, `'in' must be one of path, query, header, cookie, not 'body'`,
`unknown key 'respones'`) and, where there is one, a hint (`did you mean 'responses'?`).
Errors it does not recognise keep jsonschema's message, shortened.
"""

from __future__ import annotations

import difflib
import re
import reprlib
from collections.abc import Iterable, Sequence
from typing import Any

ValidationError = Any
"""A `jsonschema.exceptions.ValidationError` (jsonschema ships no type hints)."""

MESSAGE_LIMIT = 300

_SHORT = reprlib.Repr()
_SHORT.maxlevel = 2
_SHORT.maxdict = 4
_SHORT.maxlist = 4
_SHORT.maxstring = 60
_SHORT.maxother = 60

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}


def humanize(error: ValidationError, place: Sequence[str] = ()) -> tuple[str, str]:
    """(message, hint) for one jsonschema error; the hint is empty when there is none.

    `place` is the pointer's tokens, naming the key when the error itself does not."""
    validator = error.validator
    key = _key(error) or (place[-1] if place and not place[-1].isdigit() else None)
    if validator in ("enum", "const"):
        return _not_allowed(key, error.instance, _allowed(error))
    if validator == "type":
        return _wrong_type(key, error.instance, error.validator_value)
    if validator == "required":
        return _missing(error)
    if validator in ("additionalProperties", "patternProperties", "unevaluatedProperties"):
        unknown = _unknown_key(error)
        if unknown is not None:
            return unknown
    if validator in ("oneOf", "anyOf"):
        alternatives = _alternatives(error)
        if alternatives is not None:
            return alternatives
    return shorten(error), ""


def shorten(error: ValidationError) -> str:
    """jsonschema's message, with a long value abbreviated."""
    message = str(error.message)
    if len(message) <= MESSAGE_LIMIT:
        return message
    full = repr(error.instance)
    if message.startswith(full):
        message = _SHORT.repr(error.instance) + message[len(full) :]
    if len(message) > MESSAGE_LIMIT:
        message = message[: MESSAGE_LIMIT - 3] + "..."
    return message


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`did you mean 'x'?` for the closest of `choices`, or empty."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else ""


def _key(error: ValidationError) -> str | None:
    path = list(error.absolute_path)
    return str(path[-1]) if path and isinstance(path[-1], str) else None


def _allowed(error: ValidationError) -> list[Any]:
    if error.validator == "const":
        return [error.validator_value]
    return list(error.validator_value)


def _not_allowed(key: str | None, value: Any, allowed: Sequence[Any]) -> tuple[str, str]:
    listed = ", ".join(str(choice) for choice in allowed)
    hint = did_you_mean(value, map(str, allowed)) if isinstance(value, str) else ""
    if key == "type":
        return f"unknown type {_shown(value)}", hint or f"a type is one of {listed}"
    if key is None:
        return f"{_shown(value)} is not allowed here: use one of {listed}", hint
    if len(allowed) == 1:
        return f"{key!r} must be {_shown(allowed[0])} here, not {_shown(value)}", hint
    return f"{key!r} must be one of {listed}, not {_shown(value)}", hint


def _wrong_type(key: str | None, value: Any, expected: Any) -> tuple[str, str]:
    names = [expected] if isinstance(expected, str) else list(expected)
    wanted = " or ".join(_JSON_TYPES.get(name, name) for name in names)
    subject = f"{key!r}" if key is not None else "the value"
    message = f"{subject} must be {wanted}, not {_kind(value)} ({_shown(value)})"
    hint = ""
    if "string" in names and isinstance(value, (int, float, bool)) and not isinstance(value, str):
        hint = f'quote it in YAML to make it a string: "{_yaml_scalar(value)}"'
    return message, hint


def _missing(error: ValidationError) -> tuple[str, str]:
    present = set(error.instance) if isinstance(error.instance, dict) else set()
    missing = [name for name in error.validator_value if name not in present]
    if not missing:
        return shorten(error), ""
    name = missing[0]
    where = _key(error)
    owner = f" in {where!r}" if where is not None else ""
    typo = next((key for key in present if did_you_mean(key, [name])), None)
    hint = f"{typo!r} is there: did you mean {name!r}?" if typo is not None else ""
    if not hint and name == "description":
        hint = "any text will do, e.g. description: OK"
    return f"required key {name!r} is missing{owner}", hint


def _unknown_key(error: ValidationError) -> tuple[str, str] | None:
    if not isinstance(error.instance, dict) or not isinstance(error.schema, dict):
        return None
    known = set(error.schema.get("properties", {}))
    patterns = set(error.schema.get("patternProperties", {}))
    extensions = patterns == {"^x-"}
    unknown = [
        key
        for key in error.instance
        if key not in known and not any(re.search(p, key) for p in patterns)
    ]
    if not unknown:
        return None
    key = unknown[0]
    hint = did_you_mean(key, known)
    if not hint and extensions:
        hint = "only extensions starting with 'x-' may be added here"
    elif not hint and known:
        hint = "known keys: " + ", ".join(sorted(known))
    more = f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""
    return f"unknown key {key!r}{more}", hint


def _alternatives(error: ValidationError) -> tuple[str, str] | None:
    """A `oneOf`/`anyOf` whose alternatives each fail on the same key's value (a
    Parameter's `in`): one message listing every value the alternatives allow."""
    failures = [e for e in error.context if e.validator in ("enum", "const")]
    keys = {tuple(e.relative_path) for e in failures}
    if not failures or len(keys) != 1:
        return None
    allowed: list[Any] = []
    for failure in failures:
        allowed += [choice for choice in _allowed(failure) if choice not in allowed]
    (path,) = keys
    key = str(path[-1]) if path else _key(error)
    value = failures[0].instance
    return _not_allowed(key, value, allowed)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "null"
    return type(value).__name__


def _shown(value: Any) -> str:
    return _SHORT.repr(value)


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
