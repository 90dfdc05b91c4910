"""The names an annotation or a default reads: the quick reading of simple expressions
finds what Python's parser finds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.render import imports

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
QUICK = imports.names_in.__wrapped__  # the reading itself, without its cache


def by_parse(source: str) -> frozenset[str]:
    tree = ast.parse(source.strip(), mode="eval")
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))


def read_by_names_in(monkeypatch: pytest.MonkeyPatch, spec: Path) -> set[str]:
    """Every expression whose names generating `spec` asks for."""
    asked: set[str] = set()
    quick = imports.names_in

    def recording(source: str) -> frozenset[str]:
        asked.add(source)
        return quick(source)

    for module in ("imports", "engine", "limits", "scaffold"):
        monkeypatch.setattr(f"specloom.render.{module}.names_in", recording, raising=False)
    generate(spec, GenerateConfig(package_name="pkg"), skip_validation=True)
    return asked


@pytest.mark.parametrize(
    "spec", ["petstore/petstore.yaml", "hostile/hostile.yaml", "security/mixed.yaml"]
)
def test_every_generated_expression_reads_as_the_parser_reads_it(
    monkeypatch: pytest.MonkeyPatch, spec: str
) -> None:
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    asked = read_by_names_in(monkeypatch, FIXTURES / spec)
    assert len(asked) > 3
    for source in asked:
        assert QUICK(source) == by_parse(source), source


names = st.sampled_from(["Pet", "list", "dict", "None", "True", "datetime", "x2", "match", "_"])
attributes = st.sampled_from(["date", "x2", "match", "_", "Pet"])


def expressions(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("{}[{}]".format, names, inner),
        st.builds("({} | {})".format, inner, inner),
        st.builds("{}.{}".format, inner, attributes),
        st.builds("{}({}, {})".format, names, inner, inner),
        st.builds("({} if {} else {})".format, inner, inner, inner),
        st.builds("(not {})".format, inner),
        st.builds("[{}, 1.5, 1e5]".format, inner),
    )


@given(st.recursive(names, expressions, max_leaves=8))
def test_any_simple_expression_reads_as_the_parser_reads_it(source: str) -> None:
    assert QUICK(source) == by_parse(source)
