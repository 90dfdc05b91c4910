"""Which validator findings the generator works around, and how it says so.

openapi-spec-validator reports some problems that do not stop generation: a `default` or
`example` that does not match its schema (the parser drops it). Those become warnings that
say what happens instead; `--strict` still fails on them. Every other finding stays an
error. (Its other such finding, a `pattern` Python's `re` cannot compile, is left to the
parser, which reports every such pattern and how it is enforced: JSON Schema patterns are
ECMA-262, with classes such as `\\p{L}` that pydantic's regex engine knows.)
"""

from __future__ import annotations

from typing import Any

SKIP_VALIDATION_HINT = "generate without validating: `--skip-validation`"
"""Ends the hint of a validation error that stops generation."""


def workaround(error: Any, pointer: str) -> str | None:
    """What the generator does instead of failing on `error` (a jsonschema
    `ValidationError` found at `pointer`), or None when it is a real error."""
    last = pointer.rsplit("/", 1)[-1]
    if last == "default":
        return "the generator drops this default (the field or parameter gets none)"
    if last in ("example", "examples"):
        return "the generator ignores this example"
    return None
