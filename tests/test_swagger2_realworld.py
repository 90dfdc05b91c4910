"""Real-world Swagger 2.0 specs (fixtures/swagger2/realworld/) generate with default options,
import, pass `mypy --strict`, and carry their own request/response examples through the
generated client and server; so do the Swagger and webhook fixtures.

See fixtures/swagger2/realworld/README.md for the specs' origin and license.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REALWORLD = FIXTURES / "swagger2" / "realworld"
SPECS = {
    "sw_nyt_search": REALWORLD / "nyt-article-search.yaml",
    "sw_sp_tokens": REALWORLD / "amazon-sp-tokens.json",
    "sw_sp_restrictions": REALWORLD / "amazon-sp-listings-restrictions.json",
    "sw_constructs": FIXTURES / "swagger2" / "constructs.yaml",
    "sw_webhooks": FIXTURES / "webhooks" / "webhooks.yaml",
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    """Every spec generated with default options (validation on), written and imported."""
    root = tmp_path_factory.mktemp("swagger2")
    packages: dict[str, ModuleType] = {}
    try:
        for name, spec in SPECS.items():
            result = generate(spec, GenerateConfig(package_name=name))
            assert result.files is not None, [str(d) for d in result.diagnostics]
            assert [str(d) for d in result.diagnostics] == []
            assert write_tree(root / name, result.files) == []
            sys.path.insert(0, str(root / name))
            packages[name] = importlib.import_module(name)
            for module in ("models", "client", "server"):
                importlib.import_module(f"{name}.{module}")
        yield packages
    finally:
        for name in packages:
            sys.path.remove(str(root / name))
        for module in [m for m in sys.modules if m.split(".")[0] in SPECS]:
            del sys.modules[module]


def sandbox(spec: Path, path: str, method: str) -> dict[str, Any]:
    """The first `x-amzn-api-sandbox` request/response pair of an operation's 200 response."""
    operation = json.loads(spec.read_text())["paths"][path][method]
    pair: dict[str, Any] = operation["responses"]["200"]["x-amzn-api-sandbox"]["static"][0]
    return pair


def round_trip(package: ModuleType, implementation: Any, call: Any) -> tuple[Any, httpx.Request]:
    """`call(client)` through the generated async client into the generated server."""
    app = package.server.create_app(implementation)
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> Any:
        http_client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), event_hooks={"request": [record]}
        )
        async with package.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            return await call(client)

    return asyncio.run(main()), sent[-1]


def test_a_body_parameter_round_trips_the_specs_sandbox_example(
    generated: dict[str, ModuleType],
) -> None:
    package = generated["sw_sp_tokens"]
    models = package.models
    pair = sandbox(SPECS["sw_sp_tokens"], "/tokens/2021-03-01/restrictedDataToken", "post")
    request_body = pair["request"]["parameters"]["body"]["value"]
    received: list[Any] = []

    class Tokens(package.server.TokensApi):  # type: ignore[misc, name-defined]
        async def create_restricted_data_token(self, *, body: Any) -> Any:
            received.append(body)
            return models.CreateRestrictedDataTokenResponse.model_validate(pair["response"])

    async def call(client: Any) -> Any:
        body = models.CreateRestrictedDataTokenRequest.model_validate(request_body)
        return await client.tokens.create_restricted_data_token(body=body)

    answer, request = round_trip(package, Tokens(), call)

    assert json.loads(request.content) == request_body
    assert request.headers["content-type"] == "application/json"
    assert received[0].model_dump(mode="json", by_alias=True, exclude_unset=True) == request_body
    assert answer.model_dump(mode="json", by_alias=True, exclude_unset=True) == pair["response"]


def test_a_csv_query_array_round_trips_and_the_response_example_parses(
    generated: dict[str, ModuleType],
) -> None:
    package = generated["sw_sp_restrictions"]
    models = package.models
    spec = SPECS["sw_sp_restrictions"]
    pair = sandbox(spec, "/listings/2021-08-01/restrictions", "get")
    received: dict[str, Any] = {}

    class Listings(package.server.ListingsApi):  # type: ignore[misc, name-defined]
        async def get_listings_restrictions(self, **params: Any) -> Any:
            received.update(params)
            return models.RestrictionList.model_validate(pair["response"])

    async def call(client: Any) -> Any:
        return await client.listings.get_listings_restrictions(
            asin="B0000ASIN1",
            seller_id="S1",
            marketplace_ids=["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"],
            condition_type=models.GetListingsRestrictionsConditionType.USED_ACCEPTABLE,
        )

    answer, request = round_trip(package, Listings(), call)

    assert request.url.params["marketplaceIds"] == "ATVPDKIKX0DER,A2EUQ1WTGCTBG2"  # csv
    assert received["marketplace_ids"] == ["ATVPDKIKX0DER", "A2EUQ1WTGCTBG2"]
    assert answer.model_dump(mode="json", by_alias=True, exclude_unset=True) == pair["response"]
    example = json.loads(spec.read_text())["paths"]["/listings/2021-08-01/restrictions"]["get"]
    assert example["responses"]["200"]["examples"]["application/json"] == pair["response"]


def test_an_api_key_in_the_query_and_the_servers_of_host_and_base_path(
    generated: dict[str, ModuleType],
) -> None:
    package = generated["sw_nyt_search"]
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"response": {"docs": [], "meta": {"hits": 0}}})

    http_client = httpx.Client(transport=httpx.MockTransport(reply))
    with package.client.Client(http_client=http_client, apikey="k1") as client:
        client.search.get_articlesearch_json(q="election", page=2)

    (request,) = sent
    assert str(request.url).startswith("https://api.nytimes.com/svc/search/v2/articlesearch.json")
    assert request.url.params["api-key"] == "k1"
    assert request.url.params["q"] == "election"
    assert request.url.params["page"] == "2"


def test_generated_packages_pass_mypy_strict(
    generated: dict[str, ModuleType], tmp_path: Path
) -> None:
    # The runtime is installed in editable mode, which mypy cannot follow: point at its source.
    paths = [str(ROOT / "runtime"), *(str(Path(p.__file__).parents[1]) for p in generated.values())]
    packages = [arg for name in generated for arg in ("-p", name)]
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), *packages],
        cwd=tmp_path,
        env={**os.environ, "MYPYPATH": os.pathsep.join(paths)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
