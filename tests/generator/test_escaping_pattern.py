"""`docstring_body` escapes with one pattern: the same characters the per-character rule picks."""

from __future__ import annotations

import sys

from specloom.escaping import _UNSAFE, _is_unsafe_in_source, docstring_body


def test_the_pattern_matches_exactly_the_unsafe_characters_but_newline_and_tab() -> None:
    differing = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if (_UNSAFE.fullmatch(chr(code)) is not None)
        != (_is_unsafe_in_source(chr(code)) and chr(code) not in "\n\t")
    ]
    assert differing == []


def test_quotes_backslashes_and_controls_are_escaped_once() -> None:
    assert docstring_body(' a "b" \\c \x00\u2028\ttab\r\nline ') == (
        'a \\"b\\" \\\\c \\x00\\u2028\ttab\nline'
    )
