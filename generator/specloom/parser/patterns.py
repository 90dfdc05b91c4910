"""Which `pattern`s generated models can enforce."""

from __future__ import annotations

import re
import warnings

from pydantic_core import SchemaError, SchemaValidator, core_schema


def pattern_problem(pattern: object) -> str | None:
    """Why `pattern` cannot be emitted as a pydantic `Field(pattern=...)`, or None when it can.

    It must compile in Python's `re` and in pydantic's default (Rust) regex engine, which
    has no look-around or back-references; a generated model would fail at import otherwise.
    """
    if not isinstance(pattern, str):
        return "is not a string"
    try:
        with warnings.catch_warnings():
            # e.g. "Possible nested set": valid today, only a note about future syntax.
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return f"is not a valid Python regular expression ({exc})"
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError:
        return (
            "uses features pydantic's regex engine does not support (look-around, back-references)"
        )
    return None
