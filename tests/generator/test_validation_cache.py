"""Validation findings reused per path item: the same diagnostics as validating afresh."""

from __future__ import annotations

import copy
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from specloom import path_item_check, validation_cache
from specloom import validate as validation
from specloom.diagnostics import Diagnostic
from specloom.loader import load
from specloom.validate import validate
from specloom.validation_cache import validate_reusing


def operation(operation_id: str, *parameters: dict[str, Any]) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": list(parameters),
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
            }
        },
    }


def path_parameter(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pets", "version": "1"},
        "paths": {
            "/pets": {"get": operation("listPets")},
            "/pets/{id}": {"get": operation("getPet", path_parameter("id"))},
            "/owners": {"get": operation("listOwners", {"$ref": "#/components/parameters/Limit"})},
            "/stores": {"get": operation("listStores")},
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                }
            },
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            },
        },
    }


def diagnostics_of(tmp_path: Path, spec: dict[str, Any]) -> tuple[list[Diagnostic], ...]:
    """What validating `spec` reports with the cache (twice) and without it."""
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec, indent=1), encoding="utf-8")
    loaded, _ = load(path)
    assert loaded is not None
    return validate_reusing(loaded), validate_reusing(loaded), validate(loaded)


def assert_same_as_afresh(tmp_path: Path, spec: dict[str, Any]) -> list[Diagnostic]:
    reusing, again, afresh = diagnostics_of(tmp_path, spec)
    assert reusing == afresh
    assert again == afresh
    return afresh


def test_an_unchanged_document_is_not_walked_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = document()
    spec["paths"]["/pets"]["get"]["parameters"] = [path_parameter("nowhere")]
    found = assert_same_as_afresh(tmp_path, spec)
    assert [d.pointer for d in found] == ["/paths/~1pets/get"]

    def refuse(*args: object) -> None:
        raise AssertionError("walked again")

    monkeypatch.setattr(validation_cache, "walk_all", refuse)
    monkeypatch.setattr(path_item_check, "collect", refuse)
    path = tmp_path / "openapi.json"
    loaded, _ = load(path)
    assert loaded is not None
    assert validate_reusing(loaded) == found


def test_only_the_changed_path_item_is_walked_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = document()
    assert assert_same_as_afresh(tmp_path, spec) == []
    walked: list[str] = []

    def counting(spec: Any, checks: Any, found: Any) -> None:
        walked.append(checks.gi_frame.f_locals["url"])
        validation.collect(spec, checks, found)

    def refuse(*args: object) -> None:
        raise AssertionError("the whole document walked")

    monkeypatch.setattr(path_item_check, "collect", counting)
    monkeypatch.setattr(validation_cache, "walk_all", refuse)
    spec["paths"]["/stores"]["get"]["description"] = "Every store."
    spec["paths"]["/stores"]["get"]["parameters"] = [path_parameter("store")]
    found = assert_same_as_afresh(tmp_path, spec)
    assert walked == ["/stores"]  # the second run with the cache finds it there too
    assert [d.pointer for d in found] == ["/paths/~1stores/get"]
    assert "was not resolved" in found[0].message


def test_an_edit_that_repeats_an_operation_id_reports_the_later_use(
    cache_dir: Path, tmp_path: Path
) -> None:
    spec = document()
    assert_same_as_afresh(tmp_path, spec)
    # The later path item is unchanged, but its id is now the second use.
    spec["paths"]["/pets"]["get"]["operationId"] = "listStores"
    found = assert_same_as_afresh(tmp_path, spec)
    assert [d.pointer for d in found] == ["/paths/~1stores/get/operationId"]
    spec["paths"]["/pets"]["get"]["operationId"] = "listPets"
    assert assert_same_as_afresh(tmp_path, spec) == []


def test_renaming_an_operation_walks_only_its_path_item_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = document()
    spec["paths"]["/owners"]["post"] = operation("listPets")  # the second use of an id
    found = assert_same_as_afresh(tmp_path, spec)
    assert [d.pointer for d in found] == ["/paths/~1owners/post/operationId"]
    walked: list[str] = []

    def counting(spec: Any, checks: Any, found: Any) -> None:
        walked.append(checks.gi_frame.f_locals["url"])
        validation.collect(spec, checks, found)

    monkeypatch.setattr(path_item_check, "collect", counting)
    # The items after it keep their keys: none of their ids is the renamed one.
    spec["paths"]["/pets/{id}"]["get"]["operationId"] = "fetchPet"
    assert [d.pointer for d in assert_same_as_afresh(tmp_path, spec)] == [
        "/paths/~1owners/post/operationId"
    ]
    assert walked == ["/pets/{id}"]
    # Renaming the first use makes the later one the first: that item is walked again.
    spec["paths"]["/pets"]["get"]["operationId"] = "allPets"
    assert assert_same_as_afresh(tmp_path, spec) == []
    assert walked == ["/pets/{id}", "/pets", "/owners"]


def test_a_changed_item_is_walked_knowing_which_of_its_ids_came_before(
    cache_dir: Path, tmp_path: Path
) -> None:
    spec = document()
    assert_same_as_afresh(tmp_path, spec)
    spec["paths"]["/stores"]["post"] = operation("getPet")  # an id of an earlier item
    spec["paths"]["/stores"]["put"] = operation("putStore")
    spec["paths"]["/stores"]["delete"] = operation("putStore")  # one of its own
    found = assert_same_as_afresh(tmp_path, spec)
    assert sorted(d.pointer for d in found) == [
        "/paths/~1stores/delete/operationId",
        "/paths/~1stores/post/operationId",
    ]


def test_an_edit_in_a_shared_component_schema(cache_dir: Path, tmp_path: Path) -> None:
    spec = document()
    assert_same_as_afresh(tmp_path, spec)
    spec["components"]["schemas"]["Pet"]["properties"]["age"]["default"] = "old"
    found = assert_same_as_afresh(tmp_path, spec)
    assert [d.pointer for d in found] == ["/components/schemas/Pet/properties/age/default"]


def test_a_finding_in_a_component_only_reached_from_a_path_item(
    cache_dir: Path, tmp_path: Path
) -> None:
    spec = document()
    spec["components"]["parameters"]["Limit"]["schema"]["default"] = "ten"
    found = assert_same_as_afresh(tmp_path, spec)
    assert [d.pointer for d in found] == ["/components/parameters/Limit/schema/default"]
    # No longer referenced: a fresh validation does not check it at all.
    spec["paths"]["/owners"]["get"]["parameters"] = []
    assert assert_same_as_afresh(tmp_path, spec) == []


def test_an_edit_that_breaks_the_document_structure(cache_dir: Path, tmp_path: Path) -> None:
    spec = document()
    assert_same_as_afresh(tmp_path, spec)
    broken = copy.deepcopy(spec)
    broken["paths"]["/stores"]["get"]["responses"] = "none"
    assert assert_same_as_afresh(tmp_path, broken) != []
    assert assert_same_as_afresh(tmp_path, spec) == []


def test_a_damaged_cache_gives_the_same_findings(cache_dir: Path, tmp_path: Path) -> None:
    spec = document()
    spec["paths"]["/pets"]["get"]["parameters"] = [path_parameter("nowhere")]
    expected = assert_same_as_afresh(tmp_path, spec)
    with sqlite3.connect(cache_dir / "cache.sqlite3") as connection:
        connection.execute("UPDATE entries SET value = ? WHERE kind = 'validation'", (b"[[1",))
    assert assert_same_as_afresh(tmp_path, spec) == expected
    (cache_dir / "cache.sqlite3").write_bytes(b"not a database" * 100)
    assert assert_same_as_afresh(tmp_path, spec) == expected


def test_without_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SPECLOOM_NO_CACHE", "1")
    spec = document()
    spec["paths"]["/pets"]["get"]["parameters"] = [path_parameter("nowhere")]
    assert len(assert_same_as_afresh(tmp_path, spec)) == 1
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    "ids",
    [
        ["a", "b", "a"],
        [1, True, 1.0, "1"],
        [None, None, "x"],
        [{"not": "hashable"}, {"not": "hashable"}, ["a"], "a", ["a"]],
    ],
)
def test_operation_ids_answer_as_the_validators_list_does(ids: list[Any]) -> None:
    registry = validation.OperationIds()
    plain: list[Any] = []
    for operation_id in ids:
        assert (operation_id in registry) == (operation_id in plain)
        registry.append(operation_id)
        plain.append(operation_id)
    assert registry == plain
    assert validation.OperationIds(ids) == plain
    for probe in [*ids, "z", 2, {"other": 1}, [None]]:
        assert (probe in registry) == (probe in plain)


def test_a_path_with_a_fragment_is_walked_alone(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS specs tell operations apart by `#Action=...` in the path: such a path item is
    walked alone too, not as the fragment of another."""
    spec = document()
    spec["paths"]["/#Action=List"] = {"get": operation("listActions")}
    assert assert_same_as_afresh(tmp_path, spec) == []
    walked: list[str] = []

    def counting(spec: Any, checks: Any, found: Any) -> None:
        walked.append(checks.gi_frame.f_locals["url"])
        validation.collect(spec, checks, found)

    monkeypatch.setattr(path_item_check, "collect", counting)
    spec["paths"]["/#Action=List"]["get"]["parameters"] = [path_parameter("action")]
    found = assert_same_as_afresh(tmp_path, spec)
    assert walked == ["/#Action=List"]
    assert [d.pointer for d in found] == ["/paths/~1#Action=List/get"]


def test_a_path_item_is_clean_when_validation_finds_nothing_in_it(tmp_path: Path) -> None:
    spec = document()
    spec["x-unknown"] = True  # found outside the path item: not its own
    spec["paths"]["/pets"]["get"]["parameters"] = [path_parameter("nowhere")]
    spec["paths"]["/stores"]["get"]["responses"] = "not responses"
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    loaded, _ = load(path)
    assert loaded is not None
    assert path_item_check.path_item_is_clean(loaded, "/pets/{id}")
    assert not path_item_check.path_item_is_clean(loaded, "/pets")  # the second phase
    assert not path_item_check.path_item_is_clean(loaded, "/stores")  # the first phase
    assert not path_item_check.path_item_is_clean(loaded, "/nowhere")
