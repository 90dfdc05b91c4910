"""The one path by which spec text becomes generated source.

Spec strings reach generated code in exactly two forms: as Python literals
(`python_literal`) and as docstring bodies (`docstring_body`); prose files get
`plain_text`. Both are built
so that no content -- quotes, backslashes, newlines, Jinja syntax, control
characters -- can end the literal early or change what the code does, and so
that the value Python reads back is the spec's value.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any


def python_literal(value: Any) -> str:
    """Python source that evaluates to `value` (a JSON value: str, int, float, bool, None,
    list or dict of those)."""
    if value is None or isinstance(value, bool | int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(python_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        items = (f"{python_literal(str(k))}: {python_literal(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _string_literal(text: str) -> str:
    # repr() always yields a valid single-line literal that reads back to the same string.
    # Re-quote it the way black would, so formatting never has to touch it: double quotes
    # unless that takes more backslashes than single quotes.
    literal = repr(text)
    quote = '"' if text.count('"') <= text.count("'") else "'"
    if literal[0] == quote:
        return literal
    # repr chose single quotes, escaping `'` only when the text also holds `"`.
    body = literal[1:-1].replace("\\'", "'").replace('"', '\\"')
    return f'"{body}"'


def docstring_body(text: str) -> str:
    """`text` made safe to stand between triple double quotes.

    Backslashes and quotes are escaped, so the docstring's value is `text`
    (trimmed of surrounding whitespace); control characters other than newline
    and tab are written as escapes.
    """
    text = text.strip().replace("\r\n", "\n")
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return _UNSAFE.sub(lambda match: _escape_char(match.group()), text)


def plain_text(text: str) -> str:
    """`text` for prose files (the generated README): trimmed, with line breaks normalised and
    control characters other than newline and tab written as visible escapes."""
    text = text.strip().replace("\r\n", "\n")
    return "".join(
        _escape_char(char) if char not in "\n\t" and _is_unsafe_in_source(char) else char
        for char in text
    )


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff]")
"""The characters `_is_unsafe_in_source` accepts except newline and tab: categories Cc, Zl,
Zp, Cs and the BOM, as one pattern (a regular expression is far faster than a loop)."""


def _is_unsafe_in_source(char: str) -> bool:
    # Control and separator characters that Python's tokenizer or editors treat as
    # line breaks (\r, \x0b, \x0c, \x1c-\x1e, \x85, U+2028, U+2029) or that are invisible.
    category = unicodedata.category(char)
    return category in {"Cc", "Zl", "Zp", "Cs"} or char == "\ufeff"


def _escape_char(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"
