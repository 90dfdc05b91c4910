"""Findings inside a default, repeated enum values and undeclared required names are warnings
saying what the generator does instead, one per place; errors under --strict
(fixtures/coverage/findings_values.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate

SPEC = FIXTURES / "findings_values.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("findings_values")
    with generated_package("findings_values.yaml", "cov_findings_values", root) as package:
        yield package


def test_each_workaround_is_one_warning_at_its_place() -> None:
    result = generate(SPEC, GenerateConfig(package_name="findings_values"))
    assert result.files is not None
    assert {d.level for d in result.diagnostics} == {Level.WARNING}
    by_place = {d.pointer: d.message for d in result.diagnostics}
    assert len(by_place) == len(result.diagnostics) == 4
    assert by_place[""] == (
        "unknown key 'source': the generator ignores keys it does not know at the document's"
        " top level"
    )
    parameters = "/paths/~1exports/get/parameters"
    # Two items of the default are wrong: one warning, at the default itself.
    assert by_place[f"{parameters}/1/schema/default"].endswith(
        "the generator drops this default (the field or parameter gets none)"
    )
    assert by_place[f"{parameters}/0/schema/enum"].endswith("the generator keeps each value once")
    schema = "/paths/~1exports/get/responses/200/content/application~1json/schema"
    assert "['ghost']" in by_place[schema]
    assert by_place[schema].endswith(
        "the generator does not require the names no part of the schema declares"
    )
    strict = generate(SPEC, GenerateConfig(package_name="findings_values", strict=True))
    assert strict.files is None
    assert len(strict.diagnostics) == 4


def test_the_package_does_what_the_warnings_say(pkg: ModuleType) -> None:
    assert [member.value for member in pkg.models.ListExportsFormat] == ["kml", "shp"]
    assert "ghost" not in pkg.models.ListExportsResponse.model_fields
    seen: list[tuple[Any, Any]] = []

    class Exports(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def list_exports(self, *, format: Any = None, scope: Any = None) -> Any:
            seen.append((format, scope))
            return pkg.models.ListExportsResponse(id=7)

    async def scenario() -> Any:
        async with asgi_client(pkg, Exports()) as client:
            return await client.default.list_exports(format="kml")

    # No default for `scope` reaches the handler; an answer without `ghost` is accepted.
    assert asyncio.run(scenario()).id == 7
    assert seen == [(pkg.models.ListExportsFormat.KML, None)]


def test_an_unknown_key_below_the_top_level_stays_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "typo.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      requried: true\n      responses: {'204': {description: ok}}\n"
    )
    result = generate(spec, GenerateConfig(package_name="typo"))
    assert result.files is None
    assert [(d.level, d.message) for d in result.diagnostics] == [
        (Level.ERROR, "unknown key 'requried'")
    ]
