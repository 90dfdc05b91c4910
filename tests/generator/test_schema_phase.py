"""The compiled validator only speeds validation up: the findings are openapi-spec-validator's."""

from __future__ import annotations

from pathlib import Path

import pytest

from specloom import schema_phase
from specloom.diagnostics import Diagnostic
from specloom.loader import load
from specloom.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REAL_SPECS = [
    "realworld/apideck-lead.json",
    "realworld/ato-business-registries.json",
    "realworld/discourse.json",
    "realworld/googleapis-cloudbuild.json",
    "petstore/petstore.yaml",
    "invalid/invalid_spec.yaml",
]

BAD_SCHEMAS = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    BadPattern: {type: string, pattern: "([a-z"}
    NestedBadPattern:
      type: object
      properties:
        code: {type: string, pattern: "(?<name>x)"}
    BadType: {type: 5}
    BadRequired: {type: object, required: []}
    Fine: {type: string, pattern: "^[a-z]+$"}
"""


def findings(path: Path) -> list[tuple[str, str, int | None]]:
    spec, diagnostics = load(path)
    assert spec is not None, diagnostics
    return [_key(d) for d in validate(spec)]


def _key(diagnostic: Diagnostic) -> tuple[str, str, int | None]:
    return diagnostic.pointer, diagnostic.message, diagnostic.line


@pytest.fixture
def jsonschema_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema_phase, "_jsonschema_rs", lambda: None)
    monkeypatch.setattr(schema_phase, "_COMPILED", {})


def reference_findings(path: Path) -> list[tuple[str, str, int | None]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_phase, "_jsonschema_rs", lambda: None)
        patch.setattr(schema_phase, "_COMPILED", {})
        return findings(path)


@pytest.mark.parametrize("name", REAL_SPECS)
def test_real_specs_get_the_reference_findings(name: str) -> None:
    path = FIXTURES / name
    assert findings(path) == reference_findings(path)


SOURCE_FINDING = (
    "unknown key 'source': the generator ignores keys it does not know at the document's top level"
)
"""cloudbuild's top-level `source`: a warning, saying what the generator does instead."""


def test_a_real_spec_with_a_problem_is_reported_the_same() -> None:
    found = findings(FIXTURES / "realworld/googleapis-cloudbuild.json")
    assert found == [("", SOURCE_FINDING, 1)]  # humanized (specloom.messages)


def test_schemas_that_break_their_meta_schema_are_reported_the_same(tmp_path: Path) -> None:
    path = tmp_path / "bad_schemas.yaml"
    path.write_text(BAD_SCHEMAS, encoding="utf-8")
    found = findings(path)
    assert found == reference_findings(path)
    assert {pointer for pointer, _, _ in found} == {
        # The patterns are not here: the parser reports every pattern Python's re refuses,
        # with what the generated code does instead (tests/spec_coverage/test_findings.py).
        "/components/schemas/BadRequired/required",
        "/components/schemas/BadType/type",
    }


def test_without_the_compiled_validator_jsonschema_answers_alone(
    jsonschema_only: None,
) -> None:
    found = findings(FIXTURES / "realworld/googleapis-cloudbuild.json")
    assert found == [("", SOURCE_FINDING, 1)]  # humanized (specloom.messages)


REPEATED_SCHEMAS_31 = """\
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A: {type: object, properties: {id: {type: string}, n: {type: integer, minimum: 1}}}
    B: {type: object, properties: {id: {type: string}, n: {type: integer, minimum: 1}}}
    BadA: {type: object, properties: {id: {type: 5}}}
    BadB: {type: object, properties: {id: {type: 5}}}
    BadC: {type: object, properties: {id: {type: 5}}, required: [id]}
    Dated: {type: string, default: 2024-01-02}
    Text: {type: string, default: "2024-01-02"}
"""


def test_openapi_31_schemas_written_alike_are_each_reported(tmp_path: Path) -> None:
    path = tmp_path / "repeated.yaml"
    path.write_text(REPEATED_SCHEMAS_31, encoding="utf-8")
    found = findings(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema_phase, "_skip_known_valid", lambda schema_check: None)
        assert found == findings(path)
    reported = {pointer for pointer, _, _ in found}
    assert {
        f"/components/schemas/{name}/properties/id/type" for name in ("BadA", "BadB")
    } <= reported


@pytest.mark.parametrize("version", ["3.0", "3.1", "3.2"])
def test_the_schema_read_directly_is_the_validators_own(version: str) -> None:
    # The schema phase reads openapi-spec-validator's schema file itself (faster than
    # resolving the library's lazy validator); it must be the very schema that reads.
    from openapi_spec_validator.validation import validators

    validator_class = getattr(validators, f"OpenAPIV{version.replace('.', '')}SpecValidator")
    read = schema_phase._schema_of(validator_class)
    assert read is schema_phase._schema_file(version)
    assert read == validator_class.schema_validator.schema
