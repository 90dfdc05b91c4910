"""Model module names: after the definition they hold, unique, short enough for file systems."""

from __future__ import annotations

import json
from pathlib import Path

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.render.layout import MAX_MODULE_NAME_BYTES, module_names

# A name made of a path's parts, as Microsoft Graph beta has them (300 characters).
LONG = "IdentityGovernanceEntitlementManagementAccessPackageAssignments" * 5


def test_short_names_are_the_definitions_own() -> None:
    assert module_names(["Pet", "pet", "PetStore"]) == ["_pet", "_pet_2", "_pet_store"]


def test_long_names_are_cut_and_stay_unique() -> None:
    names = module_names([LONG + "Get", LONG + "Update", "Pet"])
    assert all(len(name.encode()) <= MAX_MODULE_NAME_BYTES + 2 for name in names)
    assert names[0].startswith("_identity_governance_entitlement_management_access_package")
    assert len(set(names)) == 3
    assert names[2] == "_pet"


def test_a_non_ascii_name_is_cut_between_characters() -> None:
    [name] = module_names(["Größe" * 40])
    assert len(name.encode()) <= MAX_MODULE_NAME_BYTES
    name.encode().decode("utf-8")


def test_a_spec_with_a_300_character_schema_name_generates(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {LONG: {"type": "object", "properties": {"id": {"type": "string"}}}}
        },
    }
    path = tmp_path / "long.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate(path, GenerateConfig(package_name="pkg"))
    assert result.files is not None, result.diagnostics
    assert all(len(part.encode()) <= 255 for name in result.files for part in name.split("/"))
    assert any(LONG in text for text in result.files.values())
