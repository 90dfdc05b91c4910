"""The spec written into a generated server is exactly what `json.dumps` writes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from specloom import indented_json
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


def test_a_yaml_spec_with_dates_and_numbers_is_written_the_same() -> None:
    spec, diagnostics = load(FIXTURES / "loader/yaml_quirks.yaml")
    assert spec is not None, diagnostics
    assert dumps(spec.document) == reference(spec.document)


class Number(float):
    pass


class Pair(tuple[int, int]):
    pass


@pytest.mark.parametrize(
    "value",
    [
        {"a": [1e-05, 1.5e-07, 0.0001, -3e-9, 2.5e-10, 0.0, -0.0, 1e16, 1e-300]},
        {"minimum": float("nan"), "maximum": float("inf"), "x": [float("-inf")]},
        {1e-05: "small key", 200: "an integer key"},
        {float("nan"): 1, 1.5: 2, True: 3, None: 4},
        {"big": 2**64, "negative": -(2**63) - 1},
        {"surrogate": "\ud800 alone"},
        {"subclass": Number(1.5), "pair": Pair((1, 2))},
        {"when": datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc)},
        {"text": 'é \u2028 \x7f \x1f \x00 \b \t " \\ /'},
    ],
)
def test_values_the_fast_writer_would_write_otherwise_are_written_as_json_dumps_does(
    value: Any,
) -> None:
    assert dumps(value) == reference(value)


def test_nesting_deeper_than_the_fast_writer_goes_is_written() -> None:
    value: list[Any] = []
    innermost = value
    for _ in range(400):
        innermost.append([])
        innermost = innermost[0]
    assert dumps(value) == reference(value)


def test_a_plain_spec_takes_the_fast_writer() -> None:
    spec, diagnostics = load(FIXTURES / "realworld/discourse.json")
    assert spec is not None, diagnostics
    assert indented_json._orjson_text(spec.document) == reference(spec.document)


def test_empty_containers_and_nesting() -> None:
    value = {"a": {}, "b": [], "c": [{"d": [1, {"e": None}]}], 200: datetime.date(2024, 1, 2)}
    assert dumps(value) == reference(value)


def test_a_key_json_cannot_write_is_refused_as_json_refuses_it() -> None:
    with pytest.raises(TypeError):
        reference({(1, 2): [1]})
    with pytest.raises(TypeError):
        dumps({(1, 2): [1]})


NESTED: dict[str, Any] = {
    "info": {"paths": {"/p": {"get": {"summary": "not this one"}}}},
    "paths": {
        "/p": {
            "get": {"summary": 'say "hi" \\ é ✓\n', "tags": ["summary"], "x": {"summary": "deep"}},
            "put": {},
        },
        "/q": {"get": {"description": "other"}},
    },
}


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["paths", "/p", "get", "summary"], 'say "hi" \\ é ✓\n'),
        (["info", "paths", "/p", "get", "summary"], "not this one"),
        (["paths", "/p", "get", "x", "summary"], "deep"),
        (["paths", "/q", "get", "description"], "other"),
        (["paths", "/p", "put", "summary"], None),  # an empty object
        (["paths", "/q", "get", "summary"], None),  # not there, though a sibling has one
        (["paths", "/p", "get", "tags"], None),  # not a string
    ],
)
def test_string_span_finds_the_string_at_its_members(
    tokens: list[str], expected: str | None
) -> None:
    data = dumps(NESTED).encode()
    span = indented_json.string_span(data, tokens)
    if expected is None:
        assert span is None
    else:
        assert span is not None
        assert json.loads(data[span[0] : span[1]]) == expected


def test_a_part_of_the_text_is_found_and_written_as_the_whole_writes_it() -> None:
    loaded, _ = load(FIXTURES / "realworld/discourse.json")
    assert loaded is not None
    document = loaded.document
    data = dumps(document).encode("utf-8")
    path = next(iter(document["paths"]))
    for tokens in (["paths", path], ["paths", path, next(iter(document["paths"][path]))], ["info"]):
        span = indented_json.value_span(data, tokens)
        assert span is not None
        value: Any = document
        for token in tokens:
            value = value[token]
        assert data[span[0] : span[1]].decode("utf-8") == indented_json.dumps_at(value, len(tokens))
    empty = dumps({"a": {}, "b": [], "c": {"d": 1}}).encode()
    assert indented_json.value_span(empty, ["a"]) == (empty.index(b"{}"), empty.index(b"{}") + 2)
    assert indented_json.value_span(empty, ["b"]) == (empty.index(b"[]"), empty.index(b"[]") + 2)
    assert indented_json.value_span(empty, ["nowhere"]) is None
    assert indented_json.value_span(empty, ["c", "d"]) is None  # a number, not a container
