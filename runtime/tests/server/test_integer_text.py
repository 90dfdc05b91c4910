"""An integer parameter's text: read as the pattern `-?[0-9]+` says, whichever way is taken."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from specloom_runtime.server._scalars import MAX_DIGITS, NotAScalar, convert

_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)


def expected(text: str) -> object:
    if len(text) > MAX_DIGITS or not _INTEGER.fullmatch(text):
        return ("not a number", text)
    return int(text)


def read(text: str) -> object:
    value = convert(text, "int")
    return ("not a number", value.text) if isinstance(value, NotAScalar) else value


def test_edge_cases_read_as_the_pattern_says() -> None:
    superscript_two, arabic_indic_twelve = "\u00b2", "\u0661\u0662"  # digits, not ASCII
    edge_cases = ["0", "7", "007", "-1", "", "-", "+1", "1_000", " 1", "1 ", "1.0"]
    for text in [*edge_cases, superscript_two, arabic_indic_twelve]:
        assert read(text) == expected(text), text
    assert read("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    assert isinstance(convert("9" * (MAX_DIGITS + 1), "int"), NotAScalar)


@given(st.text(alphabet=st.sampled_from("0123456789-+_ .e\u00b2\u0661\u0660x"), max_size=12))
def test_any_text_reads_as_the_pattern_says(text: str) -> None:
    assert read(text) == expected(text)
