"""Named scalar schemas keep their limits wherever they are used, parameters show and check
theirs before sending, and patterns Python's re cannot compile are still enforced
(fixtures/coverage/scalars.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package, raw_client
from specloom.config import GenerateConfig
from specloom.diagnostics import Level
from specloom.pipeline import generate
from specloom_runtime.errors import InvalidRequest
from specloom_runtime.serialization import ParameterValueError


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("scalars")
    with generated_package("scalars.yaml", "cov_scalars", root) as package:
        yield package


def cluster(models: Any, **changes: Any) -> Any:
    return models.Cluster.model_validate({"id": "c-00ff", "name": "Zoë", **changes})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", "cluster-1"),  # ClusterId's pattern
        ("name", "Zoë1"),  # Letters: \p{L}, which Python's re does not know
        ("name", "Abcdefghijk"),  # Letters' maxLength
        ("load", 100.5),  # Percent's maximum
        ("owner", "admin"),  # NotAdmin: a look-ahead, which pydantic's Rust engine lacks
    ],
)
def test_model_fields_referring_to_named_scalars_enforce_their_limits(
    pkg: ModuleType, field: str, value: Any
) -> None:
    assert cluster(pkg.models, load=99.5, owner="ada").name == "Zoë"
    with pytest.raises(pydantic.ValidationError):
        cluster(pkg.models, **{field: value})


class Clusters:
    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def rename_cluster(self, *, cluster_id: Any, page: Any = None, body: Any) -> Any:
                return body.model_copy(update={"id": cluster_id})

        self.api = Impl()


def test_client_checks_parameters_before_sending(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"id": "c-0001", "name": "Ann"})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    body = cluster(pkg.models)
    with pytest.raises(
        InvalidRequest, match=r"parameter 'cluster_id' \(path 'clusterId'\)"
    ) as refused:
        client.default.rename_cluster(cluster_id="cluster-1", body=body)
    assert isinstance(refused.value.__cause__, ParameterValueError)
    with pytest.raises(InvalidRequest, match="less than or equal to 50") as refused:
        client.default.rename_cluster(cluster_id="c-0001", page=51, body=body)
    assert isinstance(refused.value.__cause__, ParameterValueError)
    assert sent == []
    client.default.rename_cluster(cluster_id="c-0001", page=50, body=body)
    assert sent[0].url.path == "/clusters/c-0001"


def test_round_trip_and_server_side_limits(pkg: ModuleType) -> None:
    async def scenario() -> None:
        async with asgi_client(pkg, Clusters(pkg).api) as client:
            renamed = await client.default.rename_cluster(
                cluster_id="c-0002", body=cluster(pkg.models, owner="ada")
            )
            assert (renamed.id, renamed.name, renamed.owner) == ("c-0002", "Zoë", "ada")
        async with raw_client(pkg, Clusters(pkg).api) as http:
            body = {"id": "c-00ff", "name": "Zoë"}
            assert (await http.put("/clusters/c-0003", json=body)).status_code == 200
            assert (await http.put("/clusters/nope", json=body)).status_code == 400
            digits = {"id": "c-00ff", "name": "Zoë1"}
            assert (await http.put("/clusters/c-0003", json=digits)).status_code == 400

    asyncio.run(scenario())


def test_an_ecma_pattern_is_a_warning_by_default_and_fails_with_strict() -> None:
    spec = FIXTURES / "scalars.yaml"
    result = generate(spec, GenerateConfig(package_name="scalars"))
    assert result.files is not None
    [finding] = [d for d in result.diagnostics if d.pointer.endswith("Letters/pattern")]
    assert finding.level is Level.WARNING
    assert "Python's re cannot compile it (bad escape \\p" in finding.message
    assert finding.message.endswith("enforces it with pydantic's regex engine")
    strict = generate(spec, GenerateConfig(package_name="scalars", strict=True))
    assert strict.files is None


def test_real_validation_errors_end_with_the_skip_validation_hint(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Nested: {type: string, pattern: '[[a-z]]'}\n"  # re warns "Possible nested set"
        "    Broken: {type: strnig}\n",
        encoding="utf-8",
    )
    # pytest turns warnings into errors: re's FutureWarning must not escape validation.
    result = generate(spec, GenerateConfig(package_name="t"))
    assert result.files is None
    [error] = [d for d in result.diagnostics if d.level is Level.ERROR]
    assert error.pointer == "/components/schemas/Broken/type"
    assert error.hint.endswith("generate without validating: `--skip-validation`)")
