"""The faster reads of the document (`specloom.subnode_lookup`, `specloom.resolved_paths`)
only speed validation up: the findings are the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema_path.accessors import SchemaAccessor
from jsonschema_path.nodes import SchemaNode

from specloom import subnode_lookup
from specloom import validate as validation
from specloom.diagnostics import Diagnostic
from specloom.loader import load
from specloom.validate import validate

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
REAL_SPECS = [
    "realworld/apideck-lead.json",
    "realworld/ato-business-registries.json",
    "realworld/discourse.json",
    "petstore/petstore.yaml",
    "invalid/invalid_spec.yaml",
]

# Well-formed, so that every finding comes from the second phase, the one that steps
# through the document (references included).
SEMANTIC_PROBLEMS = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets/{petId}:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
  /pets:
    get:
      operationId: listPets
      parameters:
        - name: limit
          in: query
          schema: {$ref: "#/components/schemas/Limit"}
      responses:
        "200": {description: ok}
components:
  schemas:
    Limit: {type: integer, default: many}
    Pet:
      type: object
      required: [name, tag]
      properties:
        name: {type: string, default: 5}
        owner: {$ref: "#/components/schemas/Owner"}
    Owner:
      allOf:
        - {$ref: "#/components/schemas/Pet"}
        - {type: object, properties: {age: {type: integer, default: old}}}
"""

Finding = tuple[str, str, str, int | None]


def findings(path: Path) -> list[Finding]:
    spec, diagnostics = load(path)
    assert spec is not None, diagnostics
    return [_key(d) for d in validate(spec)]


def _key(diagnostic: Diagnostic) -> Finding:
    return diagnostic.level.name, diagnostic.pointer, diagnostic.message, diagnostic.line


def reference_findings(path: Path, without: str) -> list[Finding]:
    """The findings with jsonschema_path's own way of reading, `without` one speed-up:
    its step (the protocol check), or its own least-recently-used cache of paths."""
    with pytest.MonkeyPatch.context() as patch:
        if without == "fast step":
            patch.setattr(subnode_lookup, "install", lambda: None)
            for reader in (SchemaNode, SchemaAccessor):
                if "_get_subnode" in vars(reader):
                    patch.delattr(reader, "_get_subnode")
        else:
            patch.setattr(validation, "keep_every_resolved_path", lambda document: None)
        return findings(path)


SPEED_UPS = ["fast step", "every resolved path"]


@pytest.mark.parametrize("without", SPEED_UPS)
@pytest.mark.parametrize("name", REAL_SPECS)
def test_real_specs_get_the_reference_findings(name: str, without: str) -> None:
    path = FIXTURES / name
    assert findings(path) == reference_findings(path, without)


@pytest.mark.parametrize("without", SPEED_UPS)
def test_second_phase_problems_are_found_the_same(tmp_path: Path, without: str) -> None:
    path = tmp_path / "semantic.yaml"
    path.write_text(SEMANTIC_PROBLEMS, encoding="utf-8")
    found = findings(path)
    assert found == reference_findings(path, without)
    assert {pointer for _, pointer, _, _ in found} >= {
        "/paths/~1pets~1{petId}/get",  # petId is not declared
        "/paths/~1pets/get/operationId",  # listPets twice
        "/components/schemas/Limit/default",
        "/components/schemas/Pet/properties/name/default",
    }


def test_a_step_into_a_scalar_is_a_missing_key() -> None:
    subnode_lookup.install()
    for scalar in (1, 1.5, True, None):
        with pytest.raises(KeyError):
            SchemaNode._get_subnode(scalar, "$ref")
    assert SchemaNode._get_subnode({"a": [1, 2]}, "a") == [1, 2]
    assert SchemaNode._get_subnode([1, 2], 1) == 2
    with pytest.raises(KeyError):
        SchemaNode._get_subnode([1, 2], "a")
