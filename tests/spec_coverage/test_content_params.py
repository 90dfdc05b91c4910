"""Parameters declared with `content` travel as JSON text, in the path, the query and a
header, read back by the generated server (fixtures/coverage/content_params.yaml)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("content_params")
    with generated_package("content_params.yaml", "cov_content_params", root) as package:
        yield package


class Echo:
    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def get_role_scope_tags_by_ids(
                self, *, ids: Any, filter: Any = None, x_context: Any = None
            ) -> Any:
                return {
                    "ids": ids,
                    "filter": filter.model_dump() if filter is not None else None,
                    "context": x_context.model_dump() if x_context is not None else None,
                }

        self.api = Impl()


def test_client_sends_json_text(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    models = pkg.models
    client.default.get_role_scope_tags_by_ids(
        ids=["a", "b/c"],
        filter=models.Filter(field="age", values=[1, 2]),
        x_context=models.GetRoleScopeTagsByIdsXContext(tenant="t1"),
    )
    request = sent[0]
    ids = request.url.raw_path.decode().split("ids=", 1)[1].split(")", 1)[0]
    assert json.loads(unquote(ids)) == ["a", "b/c"]
    assert json.loads(request.url.params["filter"]) == {"field": "age", "values": [1, 2]}
    assert json.loads(request.headers["X-Context"]) == {"tenant": "t1"}


def test_round_trip_through_the_server(pkg: ModuleType) -> None:
    models = pkg.models

    async def scenario() -> None:
        async with asgi_client(pkg, Echo(pkg).api) as client:
            read = await client.default.get_role_scope_tags_by_ids(
                ids=["x", "y"],
                filter=models.Filter(field="age"),
                x_context=models.GetRoleScopeTagsByIdsXContext(tenant="t1", trace=True),
            )
        assert read == {
            "ids": ["x", "y"],
            "filter": {"field": "age"},
            "context": {"tenant": "t1", "trace": True},
        }
        async with raw_client(pkg, Echo(pkg).api) as http:
            bad = await http.get('/roleScopeTags(ids=["x"])', params={"filter": '{"values": [1]}'})
            assert bad.status_code == 400
            assert "filter" in bad.text
            broken = await http.get("/roleScopeTags(ids=[x)")
            assert broken.status_code == 400
            assert "not valid JSON" in broken.text

    asyncio.run(scenario())
