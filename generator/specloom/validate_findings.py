"""Which validator findings the generator works around, and how it says so.

openapi-spec-validator reports some problems that do not stop generation: a `default`
written as the text of a value of its type (read as that value, `default_text`), a
`default` or `example` that does not match its schema otherwise, or any part of one that
does not (the parser drops it), an `enum` that lists a value twice (kept once), and an
`allOf` schema whose `required` names a property no part declares (not required), and a
query string written into a path key (`/search?query={query}`, read as query
parameters), and an unknown key at the document's top level (ignored; elsewhere an
unknown key may be a misspelt keyword, and stays an error). Those become warnings that
say what happens instead; `--strict` still fails on them. Every other finding stays an
error. (Its other such finding, a `pattern` Python's `re` cannot compile, is left to the
parser, which reports every such pattern and how it is enforced: JSON Schema patterns are
ECMA-262, with classes such as `\\p{L}` that pydantic's regex engine knows.)
"""

from __future__ import annotations

import re
from typing import Any

from specloom.default_text import NOT_READ, read_as
from specloom.escaping import python_literal
from specloom.path_keys import query_string_terms, url_path

SKIP_VALIDATION_HINT = "generate without validating: `--skip-validation`"
"""Ends the hint of a validation error that stops generation."""


def workaround(error: Any, pointer: str) -> str | None:
    """What the generator does instead of failing on `error` (a jsonschema
    `ValidationError` found at `pointer`), or None when it is a real error."""
    value_keyword = _value_keyword(pointer)
    if value_keyword == "default":
        read = _read_default(error, pointer)
        if read is not NOT_READ:
            return f"the generator reads it as {python_literal(read)}"
        return "the generator drops this default (the field or parameter gets none)"
    if value_keyword in ("example", "examples"):
        return "the generator ignores this example"
    if pointer.rsplit("/", 1)[-1] == "enum" and getattr(error, "validator", None) == "uniqueItems":
        return "the generator keeps each value once"
    if type(error).__name__ == "ExtraParametersError" and str(
        getattr(error, "message", "")
    ).startswith(_UNDECLARED_REQUIRED):
        return "the generator does not require the names no part of the schema declares"
    if pointer in ("", "/") and getattr(error, "validator", None) in _UNKNOWN_KEY_CHECKS:
        # Beside the document's own keys, nothing the generator reads changes meaning.
        return "the generator ignores keys it does not know at the document's top level"
    if type(error).__name__ == "UnresolvableParameterError" and _in_query_string(
        str(getattr(error, "message", ""))
    ):
        return "the generator reads the path key's query string as query parameters"
    return None


def _read_default(error: Any, pointer: str) -> object:
    """The value a `default` of the wrong type is read as (`default_text`), when the
    finding is about the whole default's type and that value is one its schema's `enum`
    (if any) allows; else `NOT_READ`."""
    if getattr(error, "validator", None) != "type" or value_place(pointer) != pointer:
        return NOT_READ
    schema = getattr(error, "schema", None)
    read = read_as(getattr(error, "instance", None), schema)
    if read is NOT_READ:
        return NOT_READ
    enum = schema.get("enum") if isinstance(schema, dict) else None
    if isinstance(enum, list) and not any(type(v) is type(read) and v == read for v in enum):
        return NOT_READ
    return read


_UNRESOLVED = re.compile(r"Path parameter '(?P<name>.*)' for '.*' operation in '(?P<path>.*)'")


def _in_query_string(message: str) -> bool:
    """Whether an unresolved path parameter is a `{variable}` of a query string written
    into the path key (`/search?query={query}`), which the parser reads as a query parameter."""
    found = _UNRESOLVED.match(message)
    if found is None:
        return False
    variable, path = "{" + found["name"] + "}", found["path"]
    terms = query_string_terms(path)
    return variable not in url_path(path) and any(value == variable for _, value in terms)


_UNKNOWN_KEY_CHECKS = frozenset({"additionalProperties", "unevaluatedProperties"})

_UNDECLARED_REQUIRED = "Required list has not defined properties"
"""openapi-spec-validator's own check of an `allOf` schema (JSON Schema allows it)."""

_VALUE_KEYWORDS = frozenset({"default", "example", "examples"})
_NAMING_KEYWORDS = frozenset({"properties", "patternProperties"})


def _value_keyword(pointer: str) -> str | None:
    place = value_place(pointer)
    return None if place is None else place.rsplit("/", 1)[-1]


def value_place(pointer: str) -> str | None:
    """The pointer of the outermost `default`/`example`/`examples` keyword on `pointer` (a
    finding anywhere inside such a value is about the value), skipping properties named so."""
    segments = pointer.split("/")
    for index, segment in enumerate(segments):
        if segment in _VALUE_KEYWORDS and (
            index == 0 or segments[index - 1] not in _NAMING_KEYWORDS
        ):
            return "/".join(segments[: index + 1])
    return None
