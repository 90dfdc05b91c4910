"""A spec with an operation at `/openapi.json` (fixtures/coverage/own_openapi_route.yaml):
the generated server answers it with the handler, not with the document it serves there
for other specs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from spec_coverage.generated import asgi_client, generated_package, recording_api


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("own_spec_route")
    with generated_package("own_openapi_route.yaml", "own_spec_route", root) as package:
        yield package


def test_the_spec_s_own_operation_answers_at_openapi_json(catalog: ModuleType) -> None:
    document = {"openapi": "3.0.3", "paths": {}, "x-written-by": "the handler"}
    api, calls = recording_api(catalog, {"get_documentation": document})

    async def call() -> object:
        async with asgi_client(catalog, api) as client:
            return await client.default.get_documentation()

    assert asyncio.run(call()) == document
    assert calls.names == ["get_documentation"]


def test_create_app_says_the_spec_is_not_served(catalog: ModuleType) -> None:
    doc = " ".join((catalog.server.create_app.__doc__ or "").split())

    assert "The spec's own `GET /openapi.json` operation answers there" in doc
    assert "The spec is served at" not in doc
