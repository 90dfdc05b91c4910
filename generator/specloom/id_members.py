"""Whether a JSON spec's text may hold a `$id` member.

A `$id` moves what a schema's pointers are relative to, so validation checks every
schema of a document that has one (`specloom.quiet_schemas`). It is told from the text,
as written, so that a key written with escapes (`"\\u0024id"`) is found too; a full run's
record keeps the answer (`specloom.doc_edits`), and a rebuild of one operation looks in
that operation's new object alone.
"""

from __future__ import annotations

import re

__all__ = ["json_may_have_id"]


def json_may_have_id(text: str) -> bool:
    """Whether the JSON `text` may hold a `$id` member: a string saying `$id`, however its
    characters are escaped (False spares the walk over the document looking for one).

    A string written without escapes is found by a search that starts at the rarer `$`
    (a third of the time of `_ID_STRING` through GitHub's 6 MB), one written with some
    around each escape (a few in most specs), not through the whole text."""
    for match in _PLAIN_ID.finditer(text):
        if text[match.start() - 1 : match.start()] == '"':
            return True
    for count, escape in enumerate(_ESCAPE.finditer(text)):
        if count == _FEW_ESCAPES:  # a text written all escaped: one pass through it
            return _ID_STRING.search(text) is not None
        at = escape.start()
        if _ID_STRING.search(text, max(0, at - _ID_LENGTH), at + _ID_LENGTH):
            return True
    return False


_ID_STRING = re.compile(r'"(?:\$|\\u0024)(?:i|\\u0069)(?:d|\\u0064)"', re.IGNORECASE)
_PLAIN_ID = re.compile(r'\$[iI][dD]"')
"""`_ID_STRING` written without escapes, but for its opening quote."""
_ESCAPE = re.compile(r"\\[uU]")
_ID_LENGTH = len('"\\u0024\\u0069\\u0064"')
"""The longest `_ID_STRING` can be written (each letter escaped)."""
_FEW_ESCAPES = 1000
