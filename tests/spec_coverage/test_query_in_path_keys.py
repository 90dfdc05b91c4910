"""A query string written into a path key is read as query parameters, on both sides
(fixtures/coverage/query_in_path_keys.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package, raw_client
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate

SPEC = FIXTURES / "query_in_path_keys.yaml"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("query_in_path_keys")
    with generated_package("query_in_path_keys.yaml", "cov_query_keys", root) as package:
        yield package


def test_generates_with_warnings_that_say_so() -> None:
    result = generate(SPEC, GenerateConfig(package_name="query_keys"))
    assert result.files is not None
    assert {d.level for d in result.diagnostics} == {Level.WARNING}
    # One warning per operation that declares no path parameter for a variable, at the
    # operation (the parser's own about the undeclared `convert` is the same place's);
    # none for `alerts`, whose variables are declared `in: path`.
    by_place = {d.pointer: d.message for d in result.diagnostics}
    assert len(by_place) == len(result.diagnostics) == 2
    upload = by_place["/paths/~1uploads?convert={convert}/post"]
    assert upload.startswith("Path parameter 'convert'")
    assert all(
        m.endswith("reads the path key's query string as query parameters")
        for m in by_place.values()
    )
    skipped = generate(SPEC, GenerateConfig(package_name="query_keys"), skip_validation=True)
    assert [d.message for d in skipped.diagnostics] == [
        "query parameter 'convert' of the path key's query string is not declared; typed as str"
    ]


def test_the_path_is_the_part_before_the_query_string(pkg: ModuleType) -> None:
    from importlib import import_module

    operations = import_module("cov_query_keys._operations")
    assert operations.SEARCH_ARTICLES.path == "/search/articles"
    assert operations.UPLOAD.path == "/uploads"


def test_round_trip_sends_variables_and_constants(pkg: ModuleType) -> None:
    seen: list[tuple[str, Any]] = []

    class Api(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def search_articles(self, *, query: str) -> list[str]:
            seen.append(("search", query))
            return [f"about {query}"]

        async def upload(self, *, convert: str) -> str:
            seen.append(("upload", convert))
            return convert

    async def scenario() -> tuple[Any, Any, int]:
        async with asgi_client(pkg, Api()) as client:
            found = await client.default.search_articles(query="owls")
            converted = await client.default.upload(convert="pdf")
        async with raw_client(pkg, Api()) as raw:
            # The constant term is part of what the server routes on.
            missing = await raw.get("/search/articles", params={"query": "owls"})
        return found, converted, missing.status_code

    found, converted, status = asyncio.run(scenario())
    assert found == ["about owls"]
    assert converted == "pdf"
    assert seen == [("search", "owls"), ("upload", "pdf")]
    assert status in (400, 404)


def test_a_variable_declared_in_path_is_the_query_parameter_it_stands_for(
    pkg: ModuleType,
) -> None:
    from importlib import import_module

    operations = import_module("cov_query_keys._operations")
    params = {p.wire_name: (p.location, p.annotation, p.required) for p in operations.ALERTS.params}
    assert params == {
        "lat": ("query", float, True),
        "lon": ("query", float, True),
        "lang": ("query", str, False),
    }
    seen: list[tuple[float, float, str | None]] = []

    class Api(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def alerts(self, *, lat: float, lon: float, lang: str | None = None) -> list[str]:
            seen.append((lat, lon, lang))
            return ["storm"]

    async def scenario() -> tuple[list[str], int]:
        async with asgi_client(pkg, Api()) as client:
            found: list[str] = await client.default.alerts(lat=51.5, lon=-0.12)
        async with raw_client(pkg, Api()) as raw:
            refused = await raw.get("/alerts", params={"lat": "north", "lon": "1"})
        return found, refused.status_code

    found, status = asyncio.run(scenario())
    assert found == ["storm"]
    assert seen == [(51.5, -0.12, None)]
    assert status == 400  # read as the number the spec declares
