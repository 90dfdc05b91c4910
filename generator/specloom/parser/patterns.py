"""Which `pattern`s generated models can enforce, and with which regex engine."""

from __future__ import annotations

import re
import warnings

import msgspec


class KeptPattern(msgspec.Struct, frozen=True):
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
    rust_pattern = rust_class_syntax(pattern)
    rust_problem = _rust_problem(rust_pattern)
    if rust_problem is None:
        return KeptPattern(rust_pattern, python_regex=False)
    # The same escapes keep re from warning about "possible nested sets" where the
    # generated module compiles it.
    re_problem = python_problem(rust_pattern)
    if re_problem is None:
        return KeptPattern(rust_pattern, python_regex=True)
    return (
        f"compiles neither in pydantic's regex engine ({rust_problem}) "
        f"nor in Python's re ({re_problem})"
    )


_DELIMITED = re.compile(r"/(?P<body>.+)/(?P<flags>[imsxu]*)", re.DOTALL)
_INLINE_FLAGS = "imsx"
"""The delimiter flags both regex engines read inline (`(?i)`); `u` is their default."""


def delimited_reading(pattern: str) -> str | None:
    """The regex a pattern written with a PHP or JavaScript regex's delimiters stands for
    (`/^SAP[0-9]{9}$/i` -> `(?i)^SAP[0-9]{9}$`), when it has that form and no string can
    match it as written: its body begins with `^` or ends with `$`, so the `/` beside
    the anchor can never match, and it has no top-level `|` that another branch could
    match by. None for every other pattern, which is kept as written."""
    found = _DELIMITED.fullmatch(pattern)
    if found is None:
        return None
    body, flags = found.group("body"), found.group("flags")
    if len(set(flags)) != len(flags):
        return None
    anchored = body.startswith("^") or _ends_with_anchor(body)
    if not anchored or _has_top_level_branch(body):
        return None
    inline = "".join(flag for flag in _INLINE_FLAGS if flag in flags)
    return f"(?{inline}){body}" if inline else body


def _ends_with_anchor(body: str) -> bool:
    """Whether `body` ends with an unescaped `$` (an even run of backslashes before it)."""
    if not body.endswith("$"):
        return False
    backslashes = len(body) - 1 - len(body[:-1].rstrip("\\"))
    return backslashes % 2 == 0


def _has_top_level_branch(body: str) -> bool:
    """Whether `body` has a `|` outside every group and character class."""
    depth = 0
    in_class = False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if body.startswith("]", index + 1) or body.startswith("^]", index + 1):
                index += 2 if body[index + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


_RUST_CLASS_OPERATORS = ("&&", "--", "~~")


def rust_class_syntax(pattern: str) -> str:
    """`pattern` (ECMA-262) with what pydantic's regex engine reads differently inside a
    character class escaped: ECMA-262 reads `[` and `&&`, `--`, `~~` there as characters,
    that engine as a nested class and set operations (`[a-z[0-9]]` is the class `[a-z[0-9]`
    then `]` in JSON Schema; unescaped, that engine would take it for one nested class).
    Patterns without such a character come back as they are."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            pair = pattern[index : index + 2]
            if pair in _RUST_CLASS_OPERATORS:
                out.append(f"\\{pair[0]}\\{pair[1]}")
                index += 2
                continue
            if char == "[":
                out.append("\\[")
            else:
                out.append(char)
                in_class = char != "]"
            index += 1
            continue
        out.append(char)
        if char == "[":
            in_class = True
            # `]` right after `[` or `[^` is a character there, not the end of the class.
            lead = 2 if pattern.startswith("^]", index + 1) else 1
            if pattern.startswith("]", index + lead) or lead == 2:
                out.append(pattern[index + 1 : index + lead + 1])
                index += lead
        index += 1
    return "".join(out)


def _rust_problem(pattern: str) -> str | None:
    # Imported here: pydantic_core's import (10 ms) is paid only by a spec with patterns.
    from pydantic_core import SchemaError, SchemaValidator, core_schema

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


def python_problem(pattern: str) -> str | None:
    """Why Python's `re` cannot compile `pattern`, None when it can."""
    try:
        with warnings.catch_warnings():
            # e.g. "Possible nested set": valid today, only a note about future syntax.
            warnings.simplefilter("ignore")
            re.compile(pattern)
    except (re.error, RecursionError, OverflowError) as exc:
        return str(exc)
    return None
