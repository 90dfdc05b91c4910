"""The spec written into a generated server is exactly what `json.dumps` writes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom.indented_json import dumps
from specloom.loader import load

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def reference(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinities included: json writes NaN, Infinity
    st.text(),
    st.dates(),  # YAML dates: `default=str`
    st.datetimes(),
)
keys = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(keys, children, max_size=5),
    ),
    max_leaves=40,
)


@given(values)
def test_any_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert dumps(value) == reference(value)


@pytest.mark.parametrize(
    "name",
    [
        "realworld/discourse.json",
        "realworld/apideck-lead.json",
        "realworld/ato-business-registries.json",
    ],
)
def test_real_specs_are_written_the_same(name: str) -> None:
    spec, diagnostics = load(FIXTURES / name)
    assert spec is not None, diagnostics
    document = spec.document
    assert dumps(document) == reference(document)


def test_empty_containers_and_nesting() -> None:
    value = {"a": {}, "b": [], "c": [{"d": [1, {"e": None}]}], 200: datetime.date(2024, 1, 2)}
    assert dumps(value) == reference(value)


def test_a_key_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        reference({(1, 2): [1]})
    with pytest.raises(TypeError):
        dumps({(1, 2): [1]})
