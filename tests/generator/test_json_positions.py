"""Locating pointers in JSON text directly gives the place the YAML node tree gives."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specloom.loading.json_positions import (
    JsonPositions,
    NotJson,
    line_and_column,
    lines_and_columns,
)
from specloom.loading.locator import Locator
from specloom.loading.pointers import split_pointer
from specloom.loading.sources import SourceDocument

REALWORLD = Path(__file__).resolve().parents[2] / "fixtures/realworld"


def pointers(value: Any, prefix: str = "") -> Iterator[str]:
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            escaped = key.replace("~", "~0").replace("/", "~1")
            yield from pointers(child, f"{prefix}/{escaped}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from pointers(child, f"{prefix}/{index}")


def via_yaml(document: SourceDocument, pointer: str) -> tuple[int | None, int | None]:
    locator = Locator(document, {}, {})
    locator._json[document.location] = None  # as for a YAML document
    return locator.position(document, pointer)


@pytest.mark.parametrize("name", ["apideck-lead.json", "discourse.json"])
def test_every_pointer_of_a_real_json_spec_is_where_yaml_places_it(name: str) -> None:
    text = (REALWORLD / name).read_text(encoding="utf-8")
    document = SourceDocument(name, name, text, json.loads(text))
    locator = Locator(document, {}, {})
    every = list(pointers(document.content))
    assert len(every) > 1000
    for pointer in [*every[::7], "/paths/~1nowhere/get", "/info/title/deeper", "/tags/999"]:
        assert locator.position(document, pointer) == via_yaml(document, pointer), pointer


@pytest.mark.parametrize("name", ["apideck-lead.json", "discourse.json"])
def test_pointers_placed_together_are_where_each_alone_is(name: str) -> None:
    text = (REALWORLD / name).read_text(encoding="utf-8")
    every = [split_pointer(pointer) for pointer in pointers(json.loads(text))]
    chosen = [tokens for tokens in every[::5] if tokens is not None]
    chosen += [["paths", "/nowhere", "get"], ["info", "title", "deeper"], ["tags", "999"], []]
    alone = JsonPositions(text)
    assert JsonPositions(text).offsets(chosen) == [alone.offset(tokens) for tokens in chosen]
    places = lines_and_columns(text, JsonPositions(text).offsets(chosen))
    assert places == [line_and_column(text, alone.offset(tokens)) for tokens in chosen]


@pytest.mark.parametrize(
    "tokens",
    [["a", "b", "1", "c"], ["a", "b", "7"], ["a", "b", "01"], ["a", "b", "\u00b2"], ["a2", "x"]],
)
def test_one_pointer_placed_with_others_or_alone_lands_alike(tokens: list[str]) -> None:
    text = '{\n  "a": {"b": [10, {"c": 1}]},\n  "a2": 2\n}'
    others = [["a", "b", "0"], ["a2"], tokens]
    assert JsonPositions(text).offsets(others)[-1] == JsonPositions(text).offset(tokens)


def test_pointers_placed_together_into_a_key_written_twice_use_the_last() -> None:
    text = '{"a": {"b": {"c": 1}, "d": 2}, "a": {"b": 3}}'
    together = JsonPositions(text).offsets([["a", "b", "c"], ["a", "d"], ["a", "b"]])
    second_a = text.rindex('"a"')
    assert together == [text.index('"b"', second_a), second_a, text.index('"b"', second_a)]
    alone = JsonPositions(text)
    assert together == [alone.offset(t) for t in (["a", "b", "c"], ["a", "d"], ["a", "b"])]


def test_a_missing_member_points_at_the_deepest_part_found() -> None:
    text = '{\n  "a": {"b": [10, {"c": 1}]},\n  "a2": 2\n}'
    positions = JsonPositions(text)
    assert line_and_column(text, positions.offset(["a", "b", "1", "c"])) == (2, 20)
    assert line_and_column(text, positions.offset(["a", "b", "7"])) == (2, 9)
    assert line_and_column(text, positions.offset(["a2", "x"])) == (3, 3)
    assert line_and_column(text, positions.offset([])) == (1, 1)


def test_a_key_written_twice_points_at_the_one_json_keeps() -> None:
    text = '{"a": 1, "a": 2}'
    assert JsonPositions(text).offset(["a"]) == text.rindex('"a"')


def test_yaml_flow_text_is_not_taken_for_json() -> None:
    with pytest.raises(NotJson):
        JsonPositions("{a: 1}").offset(["a"])
    with pytest.raises(NotJson):
        JsonPositions("{a: 1}").offsets([["a"]])
    document = SourceDocument("spec.yaml", "spec.yaml", "{a: {b: 1}}", {"a": {"b": 1}})
    assert Locator(document, {}, {}).position(document, "/a/b") == (1, 6)


def test_pointers_placed_together_in_yaml_flow_text_are_found_in_its_node_tree() -> None:
    document = SourceDocument("spec.yaml", "spec.yaml", "{a: {b: 1}, c: [2]}", {})
    assert Locator(document, {}, {}).positions(document, ["/a/b", "/c/0", "nope"]) == [
        (1, 6),
        (1, 17),
        (None, None),
    ]


def test_member_string_reads_a_members_string_value_only_under_its_key() -> None:
    from specloom.loading.json_positions import member_string, string_at

    text = '{"summary" : "say \\"hi\\"", "count": 3, "description":"é"}'
    (summary_at, count_at, description_at) = JsonPositions(text).offsets(
        [["summary"], ["count"], ["description"]]
    )
    span = member_string(text, summary_at, "summary")
    assert span is not None
    assert span[2] == 'say "hi"'
    assert text[span[0] : span[1]] == '"say \\"hi\\""'
    assert member_string(text, summary_at, "description") is None  # another key
    assert member_string(text, count_at, "count") is None  # not a string
    assert member_string(text, description_at, "description") == (len(text) - 4, len(text) - 1, "é")
    assert string_at(text, 0) is None
