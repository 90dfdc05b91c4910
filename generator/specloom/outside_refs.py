"""Whether a JSON spec's text may hold a `$ref` leading anywhere but into its components.

A rebuild of one operation (`specloom.operation_edits`) relies on nothing else reading
that operation: a reference into `paths`, or into another file, could. The text is
searched as written, so that a key written with escapes (`"\\u0024ref"`) is found too.
"""

from __future__ import annotations

import re

__all__ = ["refers_outside_components"]

_OUTSIDE = re.compile(r'"\$ref"\s*:\s*"(?!#/components/)')
"""A reference that may lead into `paths` (or another file): a part of the spec other
than the operation may then read the operation."""
_ESCAPED_REF = re.compile(r'"(?:\$|\\u0024)(?:r|\\u0072)(?:e|\\u0065)(?:f|\\u0066)"', re.IGNORECASE)
"""A `$ref` key however it is escaped: one written otherwise than `"$ref"` hides from
`_OUTSIDE`."""
_ESCAPED_REF_LENGTH = len('"\\u0024\\u0072\\u0065\\u0066"')
"""The longest a `$ref` key can be written (each letter escaped)."""
_FEW_ESCAPES = 1000
_ESCAPE = re.compile(r"\\u")


def refers_outside_components(text: str) -> bool:
    """Whether the JSON `text` may hold a `$ref` to anything but a component."""
    if _OUTSIDE.search(text):
        return True
    # A key written with an escape holds one within its length of the escape: looked for
    # around each escape (a few in most specs), not through the whole text.
    for count, escape in enumerate(_ESCAPE.finditer(text)):
        if count == _FEW_ESCAPES:  # a text written all escaped: one pass through it
            return any("\\" in m.group() for m in _ESCAPED_REF.finditer(text))
        at = escape.start()
        near = text[max(0, at - _ESCAPED_REF_LENGTH) : at + _ESCAPED_REF_LENGTH]
        if any("\\" in m.group() for m in _ESCAPED_REF.finditer(near)):
            return True
    return False
