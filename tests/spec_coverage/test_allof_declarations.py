"""A property several allOf parts declare must satisfy every declaration
(fixtures/coverage/allof_declarations.yaml, trimmed from github ghes-3.8's SCIM groups):
the base requires each member's `$ref`, the extending part redeclares `members` without
that requirement; both sides of the generated code keep the base's requirement and the
limits of both declarations."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package, raw_client
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("allof_declarations")
    with generated_package("allof_declarations.yaml", "cov_allof_declarations", root) as package:
        yield package


MEMBER = {"$ref": "https://example.test/Users/1", "value": "1", "display": "Ada"}
GROUP = {"schemas": ["urn:group"], "displayName": "core", "members": [MEMBER]}


def group(**changes: Any) -> dict[str, Any]:
    return {**GROUP, **changes}


@pytest.mark.parametrize(
    "value",
    [
        group(members=[{"value": "1", "display": "Ada"}]),  # the base requires $ref
        group(displayName="x"),  # the extending part's minLength
        group(displayName="a name longer than twenty"),  # the base's maxLength
        group(displayName=None),  # nullable in the base only
        group(members=[MEMBER] * 4),  # the extending part's maxItems
        {k: v for k, v in GROUP.items() if k != "displayName"},  # required by the extension
    ],
)
def test_client_model_refuses_what_one_declaration_refuses(pkg: ModuleType, value: Any) -> None:
    model = pkg.models.EnterpriseGroup
    assert model.model_validate(GROUP).members[0].display == "Ada"
    with pytest.raises(pydantic.ValidationError):
        model.model_validate(value)


def test_field_documented_by_the_extending_part(pkg: ModuleType) -> None:
    source = inspect.getsource(pkg.models.EnterpriseGroup)
    assert '"""The name shown in the enterprise\'s directory."""' in source


def test_a_declaration_adding_nothing_keeps_the_named_type(pkg: ModuleType) -> None:
    models = pkg.models
    assert models.EnterpriseGroup.model_fields["owner"].annotation == models.User | None
    source = inspect.getsource(models.EnterpriseGroup)
    assert '"""The user who manages the group."""' in source
    with pytest.raises(pydantic.ValidationError):
        models.EnterpriseGroup.model_validate(group(owner={"name": "no id"}))


class Groups:
    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def create_group(self, *, body: Any) -> Any:
                return body.model_copy(update={"id": "g-1"})

        self.api = Impl()


def test_round_trip_and_server_refuses_a_member_without_ref(pkg: ModuleType) -> None:
    models = pkg.models

    async def scenario() -> None:
        async with asgi_client(pkg, Groups(pkg).api) as client:
            created = await client.default.create_group(
                body=models.EnterpriseGroup.model_validate(GROUP)
            )
            assert created.id == "g-1"
            assert created.members[0].ref == MEMBER["$ref"]
        async with raw_client(pkg, Groups(pkg).api) as http:
            assert (await http.post("/scim/v2/Groups", json=GROUP)).status_code == 201
            refused = group(members=[{"value": "1"}])
            assert (await http.post("/scim/v2/Groups", json=refused)).status_code == 400

    asyncio.run(scenario())


def test_declarations_one_schema_cannot_combine_keep_the_first_with_a_warning(
    tmp_path: Path,
) -> None:
    spec = (FIXTURES / "allof_declarations.yaml").read_text()
    spec = spec.replace("type: string\n              minLength: 2", "type: integer")
    conflicting = tmp_path / "conflicting.yaml"
    conflicting.write_text(spec)
    result = generate(conflicting, GenerateConfig(package_name="conflicting"))
    assert result.files is not None
    warnings = [d for d in result.diagnostics if d.level is Level.WARNING]
    assert [(d.pointer, "different `type`" in d.message) for d in warnings] == [
        ("/components/schemas/enterprise-group/allOf/1/properties/displayName/type", True)
    ]
    models = next(text for path, text in result.files.items() if "_enterprise_group" in str(path))
    assert "display_name: str = Field(" in models
