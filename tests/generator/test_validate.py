"""Validation: every problem, once, with its pointer, file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from specloom.diagnostics import Diagnostic, Level
from specloom.loader import LoadedSpec, load
from specloom.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
INVALID_SPEC = FIXTURES / "invalid/invalid_spec.yaml"


def loaded(path: Path) -> LoadedSpec:
    spec, diagnostics = load(path)
    assert spec is not None
    assert [d for d in diagnostics if d.level is Level.ERROR] == []
    return spec


def with_version(tmp_path: Path, version: str, source: Path = INVALID_SPEC) -> LoadedSpec:
    text = source.read_text(encoding="utf-8").replace("openapi: 3.0.3", f"openapi: {version}")
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return loaded(path)


def summary(diagnostics: list[Diagnostic]) -> list[tuple[str, int | None, str]]:
    return [(d.pointer, d.line, d.message) for d in diagnostics]


@pytest.mark.parametrize(
    "path",
    [
        "petstore/petstore.yaml",
        "loader/multi/openapi.yaml",
        "loader/yaml_quirks.yaml",
        "loader/json/openapi.json",
    ],
)
def test_valid_specs_have_no_problems(path: str) -> None:
    assert validate(loaded(FIXTURES / path)) == []


EXPECTED_30 = [
    (
        "/components/schemas/Pet/properties/name/type",
        32,
        "unknown type 'strnig'",
    ),
    ("/info", 2, "required key 'version' is missing in 'info'"),
    (
        "/paths/~1pets/get/operationId",
        16,
        "Operation ID 'getPet' for 'get' in '/pets' is not unique",
    ),
    (
        "/paths/~1pets/get/parameters/0/schema/default",
        22,
        "'default' must be an integer, not a string ('many'): the generator drops this default "
        "(the field or parameter gets none)",
    ),
    (
        "/paths/~1pets~1{petId}/get",
        6,
        "Path parameter 'petId' for 'get' operation in '/pets/{petId}' was not resolved",
    ),
    (
        "/paths/~1pets~1{petId}/get/responses/200",
        9,
        "required key 'description' is missing in '200'",
    ),
]


def test_every_problem_is_reported_once_with_pointer_and_line() -> None:
    diagnostics = validate(loaded(INVALID_SPEC))
    assert summary(diagnostics) == EXPECTED_30
    # A wrong default is worked around (the parser drops it): a warning, not an error.
    levels = {d.pointer: d.level for d in diagnostics}
    assert levels.pop("/paths/~1pets/get/parameters/0/schema/default") is Level.WARNING
    assert set(levels.values()) == {Level.ERROR}
    assert {d.file for d in diagnostics} == {str(INVALID_SPEC)}
    assert diagnostics == validate(loaded(INVALID_SPEC))


def test_openapi_31_schemas_are_checked_against_their_dialect(tmp_path: Path) -> None:
    spec = with_version(tmp_path, "3.1.0")
    [type_problem] = [d for d in validate(spec) if d.pointer.endswith("/name/type")]
    assert type_problem.message == "unknown type 'strnig'"
    assert type_problem.hint == "did you mean 'string'?"
    assert type_problem.line == 32


def test_openapi_32_is_validated_by_its_own_rules(tmp_path: Path) -> None:
    pointers = [d.pointer for d in validate(with_version(tmp_path, "3.2.0"))]
    # 3.2 made a response's description optional; everything else still fails.
    assert pointers == [pointer for pointer, _, _ in EXPECTED_30[:-1]]


@pytest.mark.parametrize(
    ("header", "pointer", "message"),
    [
        ("info: {title: t, version: '1'}\n", "", "the document has no 'openapi' field"),
        ("openapi: 3.0\ninfo: {title: t, version: '1'}\n", "/openapi", "must be a version"),
        ("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n", "/openapi", "unsupported OpenAPI"),
    ],
)
def test_a_missing_or_unknown_version_is_one_clear_error(
    tmp_path: Path, header: str, pointer: str, message: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(header + "paths: {}\n", encoding="utf-8")
    [problem] = validate(loaded(path))
    assert problem.level is Level.ERROR
    assert problem.pointer == pointer
    assert message in problem.message
    assert problem.line == 1


def test_problems_in_bundled_files_point_into_those_files(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text(
        "components:\n  schemas:\n    Bad:\n      type: object\n      maxProperties: -1\n",
        encoding="utf-8",
    )
    (tmp_path / "openapi.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    Uses: {$ref: 'other.yaml#/components/schemas/Bad'}\n",
        encoding="utf-8",
    )
    [problem] = validate(loaded(tmp_path / "openapi.yaml"))
    assert problem.pointer == "/components/schemas/Bad/maxProperties"
    assert (problem.file, problem.line) == (str(tmp_path / "other.yaml"), 5)


def test_a_huge_value_is_shortened_in_the_message() -> None:
    spec = LoadedSpec(
        document={
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": ["x" * 5000, *range(100)]},
        },
        source="memory",
    )
    [problem] = validate(spec)
    assert problem.pointer == "/paths/~1a"
    assert problem.message.startswith("'/a' must be a mapping, not a list (['xxx")
    assert len(problem.message) < 300
    assert (problem.file, problem.line) == ("memory", None)


def test_an_unresolvable_reference_stops_the_deeper_checks_with_an_error() -> None:
    spec, _ = load(FIXTURES / "invalid/broken_refs.yaml")
    assert spec is not None
    [problem] = validate(spec)
    assert problem.level is Level.ERROR
    assert "cannot be resolved" in problem.message


def test_validation_reads_no_files_of_its_own(tmp_path: Path) -> None:
    (tmp_path / "other.yaml").write_text("type: string\n", encoding="utf-8")
    spec = LoadedSpec(
        document={
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"A": {"$ref": (tmp_path / "other.yaml").as_uri()}}},
        },
        source="memory",
    )
    [problem] = validate(spec)
    assert "cannot be resolved" in problem.message


def chain_of_schemas(count: int, **each: object) -> LoadedSpec:
    """`count` schemas, each one's property `next` the next one."""
    schemas: dict[str, object] = {
        f"S{i}": {
            "type": "object",
            "properties": {"next": {"$ref": f"#/components/schemas/S{i + 1}"}},
            **each,
        }
        for i in range(count)
    }
    schemas[f"S{count}"] = {"type": "string"}
    return LoadedSpec(
        document={
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas},
        },
        source="memory",
    )


def test_schemas_nested_beyond_the_validator_give_a_warning_not_a_crash() -> None:
    # Each schema's default is checked by the validator's own recursive walk.
    [problem] = validate(chain_of_schemas(1200, default={}))
    assert problem.level is Level.WARNING
    assert "nest too deeply" in problem.message


def test_deeply_nested_schemas_with_nothing_to_find_are_checked_to_the_end() -> None:
    # Nothing in these schemas can break a rule of the second phase (no `allOf`, no
    # `default`): they are passed over without the validator's recursion.
    assert validate(chain_of_schemas(1200)) == []
    spec = chain_of_schemas(1200)
    schemas = spec.document["components"]["schemas"]
    schemas["S1199"]["default"] = "text"  # not an object: a finding at the far end
    [problem] = validate(spec)
    assert problem.level is Level.WARNING
    assert "nest too deeply" in problem.message
