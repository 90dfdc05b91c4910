"""Which `pattern`s generated models can enforce, and with which regex engine."""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass

from pydantic_core import SchemaError, SchemaValidator, core_schema


@dataclass(frozen=True)
class KeptPattern:
    """A pattern a generated model enforces."""

    pattern: str
    python_regex: bool
    """True when only Python's `re` compiles it (look-around, back-references): it is then
    emitted compiled, `pattern=re.compile(...)`, which makes pydantic use `re` for it.
    Otherwise pydantic's default Rust engine enforces it, which knows the ECMA-262 classes
    JSON Schema allows (`\\p{L}`) and Python's `re` does not."""


def check_pattern(pattern: object) -> KeptPattern | str:
    """How `pattern` can be enforced, or why it cannot (a phrase after "pattern ...")."""
    if not isinstance(pattern, str):
        return "is not a string"
    rust_problem = _rust_problem(pattern)
    if rust_problem is None:
        return KeptPattern(pattern, python_regex=False)
    python_problem = _python_problem(pattern)
    if python_problem is None:
        return KeptPattern(pattern, python_regex=True)
    return (
        f"compiles neither in pydantic's regex engine ({rust_problem}) "
        f"nor in Python's re ({python_problem})"
    )


def _rust_problem(pattern: str) -> str | None:
    try:
        SchemaValidator(core_schema.str_schema(pattern=pattern))
    except SchemaError as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        reasons = [
            line.removeprefix("error:").strip() for line in lines if line.startswith("error:")
        ]
        return reasons[-1] if reasons else (lines[-1] if lines else "invalid")
    except (RecursionError, OverflowError) as exc:
        return type(exc).__name__
    return None


def _python_problem(pattern: str) -> str | None:
    try:
        with warnings.catch_warnings():
            # e.g. "Possible nested set": valid today, only a note about future syntax.
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None
