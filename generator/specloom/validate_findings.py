"""Which validator findings the generator works around, and how it says so.

openapi-spec-validator reports some problems that do not stop generation: a `pattern`
that Python's `re` cannot compile (JSON Schema patterns are ECMA-262, with classes such as
`\\p{L}` that pydantic's regex engine knows), and a `default` that does not match its
schema (the parser drops it). Those become warnings that say what happens instead;
`--strict` still fails on them. Every other finding stays an error.
"""

from __future__ import annotations

from typing import Any

SKIP_VALIDATION_HINT = "(`--skip-validation` generates without validating)"
"""Ends the message of a validation error that stops generation."""


def workaround(error: Any, pointer: str) -> str | None:
    """What the generator does instead of failing on `error` (a jsonschema
    `ValidationError` found at `pointer`), or None when it is a real error."""
    if error.validator == "format" and error.validator_value == "regex":
        return (
            "Python's re cannot compile this pattern; the generated code checks it with "
            "pydantic's regex engine where that engine can, and says so where it cannot"
        )
    last = pointer.rsplit("/", 1)[-1]
    if last == "default":
        return "the default is not used"
    if last in ("example", "examples"):
        return "the example is ignored"
    return None
