"""The one escaping path: any spec text becomes source that reads back as the same value."""

from __future__ import annotations

import ast
import inspect
from typing import Any

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specloom.escaping import docstring_body, plain_text, python_literal

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=500)
@given(JSON)
def test_literals_read_back_as_the_same_value(value: Any) -> None:
    assert ast.literal_eval(python_literal(value)) == value


@settings(max_examples=500)
@given(st.text())
def test_string_literals_are_single_expressions_black_leaves_alone(text: str) -> None:
    source = f"x = {python_literal(text)}\n"
    tree = ast.parse(source)
    assert len(tree.body) == 1
    assert black.format_str(source, mode=black.Mode()) == source


@settings(max_examples=500)
@given(st.text())
def test_docstrings_read_back_as_the_text(text: str) -> None:
    source = f'def f() -> None:\n    """{docstring_body(text)}"""\n'
    namespace: dict[str, Any] = {}
    exec(compile(source, "<generated>", "exec"), namespace)
    tree = ast.parse(source)
    assert len(tree.body) == 1, "the docstring must not end early"
    expected = text.strip().replace("\r\n", "\n")
    assert namespace["f"].__doc__ == expected or inspect.cleandoc(
        namespace["f"].__doc__
    ) == inspect.cleandoc(expected)


@pytest.mark.parametrize(
    "hostile",
    ['"""; import os; """', 'ends with a quote"', "back\\", "{{ 7 * 7 }}{% raw %}", "\u2028\r\x00"],
)
def test_hostile_docstrings_cannot_escape(hostile: str) -> None:
    source = f'"""{docstring_body(hostile)}"""\nVALUE = 1\n'
    tree = ast.parse(source)
    assert [type(node).__name__ for node in tree.body] == ["Expr", "Assign"]


def test_non_finite_floats_are_expressions() -> None:
    assert python_literal(float("inf")) == 'float("inf")'
    with pytest.raises(TypeError):
        python_literal(object())


def test_plain_text_keeps_prose_and_shows_control_characters() -> None:
    assert plain_text("  Line one\r\nline\ttwo \x00 \u2028 {{ x }}  ") == (
        "Line one\nline\ttwo \\x00 \\u2028 {{ x }}"
    )
