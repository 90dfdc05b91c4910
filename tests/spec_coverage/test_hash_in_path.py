"""A `#` followed by more path is text of the path (fixtures/coverage/hash_in_path.yaml):
the client sends it as `%23` with the path's variables, the server routes it, and a
fragment without a `/` still selects an operation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client, recording_api
from specloom.config import GenerateConfig
from specloom.path_keys import url_path
from specloom.pipeline import generate


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root: Path = tmp_path_factory.mktemp("hash_in_path")
    with generated_package("hash_in_path.yaml", "cov_hash_in_path", root) as package:
        yield package


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("/send/#env/v1/partners/{partnerId}", "/send/#env/v1/partners/{partnerId}"),
        ("/#Action=List", "/"),
        ("/tags/{arn}#tagKeys", "/tags/{arn}"),
        ("/a/#b/c#d=1", "/a/#b/c"),
        ("/search?q={q}#x", "/search"),
    ],
)
def test_a_hash_followed_by_more_path_is_path_text(key: str, path: str) -> None:
    assert url_path(key) == path


def test_the_operations_are_told_apart_without_warnings() -> None:
    spec = Path(__file__).resolve().parents[2] / "fixtures" / "coverage" / "hash_in_path.yaml"
    result = generate(spec, GenerateConfig(package_name="hash_in_path"))
    assert result.files is not None
    assert result.diagnostics == []


def test_the_client_sends_the_hash_and_the_variables(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(204)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with pkg.client.Client(base_url="https://api.test", http_client=http) as client:
        client.default.get_transfer(partner_id="p 1", transfer_id="t#2")
        client.default.get_status()
    assert [request.url.raw_path for request in sent] == [
        b"/send/%23env/v1/partners/p%201/transfers/t%232",
        b"/send/%23env/status",
    ]


def test_the_server_routes_each_request_to_its_handler(pkg: ModuleType) -> None:
    api, calls = recording_api(pkg, {name: None for name in _names(pkg)})

    async def scenario() -> int:
        async with asgi_client(pkg, api) as client:
            await client.default.create_transfer(partner_id="p1")
            await client.default.get_transfer(partner_id="p1", transfer_id="t2")
            await client.default.get_status()
            await client.default.list_()
        async with raw_client(pkg, api) as raw:
            # The path as a browser would cut it: the fragment is not sent.
            response = await raw.get("/send/")
        return response.status_code

    assert asyncio.run(scenario()) == 404
    assert calls.names == ["create_transfer", "get_transfer", "get_status", "list_"]
    assert calls.arguments[:2] == [{"partner_id": "p1"}, {"partner_id": "p1", "transfer_id": "t2"}]


def _names(pkg: ModuleType) -> list[str]:
    return [operation.name for operation in pkg.server.DefaultApi.operations]
