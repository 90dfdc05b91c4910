"""Keeping every resolved path only speeds validation up: the findings are the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema_path import SchemaPath
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

from specloom import validate as validation
from specloom.loader import load
from tests.generator.test_subnode_lookup import (
    FIXTURES,
    REAL_SPECS,
    SEMANTIC_PROBLEMS,
    Finding,
    findings,
)


def reference_findings(path: Path) -> list[Finding]:
    """The findings with jsonschema_path's own least-recently-used cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(validation, "keep_every_resolved_path", lambda document: None)
        return findings(path)


@pytest.mark.parametrize("name", REAL_SPECS)
def test_real_specs_get_the_reference_findings(name: str) -> None:
    path = FIXTURES / name
    assert findings(path) == reference_findings(path)


def test_second_phase_problems_are_found_the_same(tmp_path: Path) -> None:
    path = tmp_path / "semantic.yaml"
    path.write_text(SEMANTIC_PROBLEMS, encoding="utf-8")
    found = findings(path)
    assert found == reference_findings(path)
    assert len(found) >= 4


def test_the_validator_reads_through_a_cache_of_every_path() -> None:
    spec, _ = load(FIXTURES / "petstore/petstore.yaml")
    assert spec is not None
    validator = validation.new_validator(spec, OpenAPIV30SpecValidator)
    document: SchemaPath = validator.schema_path
    paths = list(document / "paths")
    for path in paths:
        path.read_value()
    cache = document.accessor._resolved_cache  # type: ignore[attr-defined]
    assert type(cache).__name__ == "_EveryPath"
    assert all(cache.get(path.parts) is not None for path in paths)
