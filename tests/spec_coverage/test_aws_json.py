"""AWS JSON-protocol fragment paths (fixtures/coverage/aws_json.yaml): the client posts to
`/` with the operation's `X-Amz-Target` header, and the server routes on it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("aws_json")
    with generated_package("aws_json.yaml", "cov_aws_json", root) as package:
        yield package


class Shield:
    def __init__(self, pkg: ModuleType) -> None:
        models = pkg.models
        buckets: list[str] = []
        self.buckets = buckets

        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def associate_drt_log_bucket(self, *, body: Any) -> Any:
                buckets.append(body.log_bucket)
                return models.AssociateDRTLogBucketResponse()

            async def describe_drt_access(self, *, body: Any) -> Any:
                return models.DescribeDRTAccessResponse(log_bucket_list=list(buckets))

        self.api = Impl()


def test_descriptor_path_and_constant_header(pkg: ModuleType) -> None:
    operation = pkg._operations.ASSOCIATE_DRT_LOG_BUCKET
    assert (operation.method, operation.path) == ("POST", "/")
    assert operation.headers == (("X-Amz-Target", "AWSShield_20160616.AssociateDRTLogBucket"),)


def test_client_sends_the_target_header_to_the_path(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(
        base_url="https://shield.us-east-1.amazonaws.com", http_client=http_client
    )
    client.default.associate_drt_log_bucket(
        body=pkg.models.AssociateDRTLogBucketRequest(log_bucket="my-logs")
    )
    assert str(sent[0].url) == "https://shield.us-east-1.amazonaws.com/"
    assert sent[0].headers["X-Amz-Target"] == "AWSShield_20160616.AssociateDRTLogBucket"


def test_server_routes_each_target_to_its_operation(pkg: ModuleType) -> None:
    shield = Shield(pkg)

    async def scenario() -> None:
        async with asgi_client(pkg, shield.api) as client:
            await client.default.associate_drt_log_bucket(
                body=pkg.models.AssociateDRTLogBucketRequest(log_bucket="my-logs")
            )
            described = await client.default.describe_drt_access(
                body=pkg.models.DescribeDRTAccessRequest()
            )
            assert described.log_bucket_list == ["my-logs"]
        async with raw_client(pkg, shield.api) as http:
            unknown = await http.post("/", json={}, headers={"X-Amz-Target": "Nope.Nothing"})
            assert unknown.status_code == 404
            missing = await http.post("/", json={})
            assert missing.status_code == 404

    asyncio.run(scenario())
    assert shield.buckets == ["my-logs"]
