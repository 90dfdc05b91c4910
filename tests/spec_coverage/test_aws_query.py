"""An AWS query-protocol spec (Amazon Redshift, trimmed: fixtures/coverage/aws_query.yaml):
request and response bodies in `text/xml` with object schemas, lists whose items the
`xml` object names."""

from __future__ import annotations

import asyncio
import datetime
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import generated_package
from specloom_runtime.server import ALLOW_ANONYMOUS

ARN = "arn:aws:redshift:us-east-2:123456789:cluster:t1"


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("aws_query")
    with generated_package("aws_query.yaml", "cov_aws_query", root) as package:
        yield package


def client_answering(pkg: ModuleType, answer: httpx.Response, sent: list[httpx.Request]) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answer

    http_client = httpx.Client(transport=httpx.MockTransport(handler))
    return pkg.client.Client(base_url="http://testserver", http_client=http_client, hmac="key")


def test_the_request_body_is_the_message_as_xml(pkg: ModuleType) -> None:
    models = pkg.models
    sent: list[httpx.Request] = []
    client = client_answering(pkg, httpx.Response(200), sent)
    message = models.CreateTagsMessage(
        resource_name=ARN,
        tags=[models.Tag(key="owner", value="admin"), models.Tag(key="env", value="test")],
    )
    client.default.post_create_tags(version="2012-12-01", body=message)

    [request] = sent
    assert request.headers["content-type"] == "text/xml"
    document = ET.fromstring(request.content)
    assert document.tag == "CreateTagsMessage"
    assert document.findtext("ResourceName") == ARN
    tags = [(tag.findtext("Key"), tag.findtext("Value")) for tag in document.findall("Tag")]
    assert tags == [("owner", "admin"), ("env", "test")]


# What AWS answers: its own namespace, and lists wrapped in an element named after the
# member, which the spec declares unwrapped.
DESCRIBE_TAGS_ANSWER = b"""<?xml version="1.0" encoding="UTF-8"?>
<TaggedResourceListMessage xmlns="http://redshift.amazonaws.com/doc/2012-12-01/">
  <TaggedResources>
    <TaggedResource>
      <Tag><Key>env</Key><Value>prod</Value></Tag>
      <ResourceName>arn:aws:redshift:us-east-2:123456789:cluster:t1</ResourceName>
      <ResourceType>cluster</ResourceType>
    </TaggedResource>
    <TaggedResource>
      <Tag><Key>owner</Key><Value>ops</Value></Tag>
      <ResourceName>arn:aws:redshift:us-east-2:123456789:snapshot:t1/s1</ResourceName>
      <ResourceType>snapshot</ResourceType>
    </TaggedResource>
  </TaggedResources>
  <Marker>next-page</Marker>
</TaggedResourceListMessage>
"""


def test_an_aws_answer_is_read_into_the_declared_model(pkg: ModuleType) -> None:
    models = pkg.models
    answer = httpx.Response(200, content=DESCRIBE_TAGS_ANSWER, headers={"content-type": "text/xml"})
    client = client_answering(pkg, answer, [])
    listing = client.default.post_describe_tags(
        version="2012-12-01",
        body=models.DescribeTagsMessage(resource_name=ARN, tag_keys=["env", "owner"]),
    )
    assert isinstance(listing, models.TaggedResourceListMessage)
    assert listing.marker == "next-page"
    assert [(r.tag.key, r.tag.value, r.resource_type) for r in listing.tagged_resources] == [
        ("env", "prod", "cluster"),
        ("owner", "ops", "snapshot"),
    ]


def test_numbers_booleans_and_dates_are_typed_from_text(pkg: ModuleType) -> None:
    models = pkg.models
    answer = httpx.Response(
        200,
        content=b"<CreateClusterSnapshotResult><Snapshot>"
        b"<SnapshotIdentifier>s1</SnapshotIdentifier><Port>5439</Port>"
        b"<Encrypted>true</Encrypted><SnapshotCreateTime>2026-12-02T10:00:00Z</SnapshotCreateTime>"
        b"<TotalBackupSizeInMegaBytes>12.5</TotalBackupSizeInMegaBytes>"
        b"<RestorableNodeTypes><NodeType>ra3.xlplus</NodeType></RestorableNodeTypes>"
        b"</Snapshot></CreateClusterSnapshotResult>",
        headers={"content-type": "text/xml"},
    )
    client = client_answering(pkg, answer, [])
    result = client.default.post_create_cluster_snapshot(
        version="2012-12-01",
        body=models.CreateClusterSnapshotMessage(snapshot_identifier="s1", cluster_identifier="c1"),
    )
    snapshot = result.snapshot
    assert (snapshot.port, snapshot.encrypted, snapshot.total_backup_size_in_mega_bytes) == (
        5439,
        True,
        12.5,
    )
    assert snapshot.snapshot_create_time == datetime.datetime(
        2026, 12, 2, 10, tzinfo=datetime.timezone.utc
    )
    assert snapshot.restorable_node_types == ["ra3.xlplus"]


def test_client_and_server_agree_over_asgi(pkg: ModuleType) -> None:
    models = pkg.models
    received: list[Any] = []

    class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def post_describe_tags(self, **arguments: Any) -> Any:
            received.append(arguments["body"])
            return models.TaggedResourceListMessage(marker="m")

    app = pkg.server.create_app(Impl(), security={"hmac": ALLOW_ANONYMOUS})
    http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))

    async def call() -> Any:
        base_url = "http://testserver"
        async with pkg.client.AsyncClient(
            base_url=base_url, http_client=http_client, hmac="key"
        ) as client:
            return await client.default.post_describe_tags(
                version="2012-12-01",
                body=models.DescribeTagsMessage(resource_name=ARN),
            )

    assert asyncio.run(call()) == models.TaggedResourceListMessage(marker="m")
    assert received == [models.DescribeTagsMessage(resource_name=ARN)]
