"""Module names (models, services): after what they hold, unique, short enough for file systems."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import httpx
import pytest

from specloom.config import GenerateConfig
from specloom.naming import MAX_MODULE_NAME_BYTES
from specloom.pipeline import generate
from specloom.render.layout import module_names
from specloom.write import write_tree

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


def test_services_with_300_character_tags_get_cut_module_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def tagged(tag: str) -> dict[str, object]:
        return {"tags": [tag], "responses": {"204": {"description": "done"}}}

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/get": {"get": tagged(LONG + "Get")}, "/put": {"put": tagged(LONG + "Put")}},
    }
    path = tmp_path / "long.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate(path, GenerateConfig(package_name="long_tags"))
    assert result.files is not None, result.diagnostics
    stems = {name.rsplit("/", 1)[-1].removesuffix(".py") for name in result.files}
    assert all(len(stem.encode()) <= MAX_MODULE_NAME_BYTES + 2 for stem in stems)
    assert write_tree(tmp_path / "out", result.files) == []
    monkeypatch.syspath_prepend(str(tmp_path / "out"))
    client_module = importlib.import_module("long_tags.client")
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        return httpx.Response(204)

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    with client_module.Client(base_url="http://t", http_client=http_client) as client:
        attributes = sorted(name for name in dir(client) if name.startswith("identity_"))
        assert len(attributes) == 2
        for attribute in attributes:
            service = getattr(client, attribute)
            getattr(service, _only_method(service))()
    assert sorted(sent) == ["GET /get", "PUT /put"]
    for name in [m for m in sys.modules if m.startswith("long_tags")]:
        del sys.modules[name]


def _only_method(service: object) -> str:
    [name] = [n for n in dir(service) if not n.startswith("_") and not n.endswith("_with_response")]
    return name
