"""The validator keeps every path it resolves (its findings are compared with
jsonschema_path's own cache in test_subnode_lookup)."""

from __future__ import annotations

from pathlib import Path

from jsonschema_path import SchemaPath
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

from specloom import validate as validation
from specloom.loader import load

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


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
