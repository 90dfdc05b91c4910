"""Lists and maps of objects in query parameters (AWS query-protocol GET operations,
fixtures/round_trip/query_object_items.yaml): each object travels as its JSON text, and
the generated server reads exactly what the generated client writes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client, recording_api

TRICKY = 'a,b&c=d "quoted" {braces} [x] é'
"""Text with the delimiters of every style, and JSON's own."""


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("rt_query_object_items")
    with generated_package(
        "../round_trip/query_object_items.yaml", "rt_query_objects", root
    ) as pkg:
        yield pkg


def _recording_api(pkg: ModuleType, answers: dict[str, Any]) -> tuple[Any, list[dict[str, Any]]]:
    """An implementation of `DefaultApi` that records each call's arguments."""
    api, calls = recording_api(pkg, answers)
    return api, calls.arguments


def _answers(pkg: ModuleType) -> dict[str, Any]:
    models = pkg.models
    return {
        "get_add_tags_to_resource": models.TagListMessage(),
        "get_modify_user": models.User(user_id="u-1"),
        "get_modify_replication_group_shard_configuration": (
            models.ModifyReplicationGroupShardConfigurationResult()
        ),
        "get_send_message": models.SendMessageResult(message_id="m-1"),
    }


def test_a_list_of_objects_goes_through(aws: ModuleType) -> None:
    models = aws.models
    tags = [models.Tag(key=TRICKY, value="1"), models.Tag(key="env"), models.Tag()]
    api, received = _recording_api(aws, _answers(aws))

    async def scenario() -> None:
        async with asgi_client(aws, api) as client:
            await client.default.get_add_tags_to_resource(
                resource_name="arn:1",
                tags=tags,
                version=models.GetAddTagsToResourceVersion("2015-02-02"),
            )

    asyncio.run(scenario())
    assert received[0]["tags"] == tags
    assert received[0]["resource_name"] == "arn:1"


def test_objects_with_lists_inside_go_through(aws: ModuleType) -> None:
    models = aws.models
    resharding = [
        models.ReshardingConfiguration(
            node_group_id="0001", preferred_availability_zones=["eu-west-1a", TRICKY]
        ),
        models.ReshardingConfiguration(node_group_id="0002"),
    ]
    api, received = _recording_api(aws, _answers(aws))

    async def scenario() -> None:
        async with asgi_client(aws, api) as client:
            await client.default.get_modify_replication_group_shard_configuration(
                replication_group_id="rg",
                node_group_count=2,
                apply_immediately=True,
                resharding_configuration=resharding,
                version=models.GetModifyReplicationGroupShardConfigurationVersion("2015-02-02"),
            )

    asyncio.run(scenario())
    assert received[0]["resharding_configuration"] == resharding


def test_a_map_beside_another_map_is_not_sent(aws: ModuleType) -> None:
    """SendMessage has two maps, `MessageAttribute` and `MessageSystemAttribute`: each key
    of either is a pair of its own, which the server gives to both (the handler got the
    message attributes as system attributes too), so the client refuses to send one.
    (A map of objects alone reads back: runtime/tests/server/test_parameters.py.)"""
    models = aws.models
    attributes = {
        "color": models.MessageAttributeValue(data_type="String", string_value=TRICKY),
    }
    api, received = _recording_api(aws, _answers(aws))

    async def scenario() -> None:
        async with asgi_client(aws, api) as client:
            with pytest.raises(ValueError, match="would also give to 'message_system_attribute'"):
                await client.default.get_send_message(
                    account_number=123,
                    queue_name="q",
                    message_body="hello",
                    message_attribute=attributes,
                    version=models.GetSendMessageVersion("2012-11-05"),
                )

    asyncio.run(scenario())
    assert received == []


def test_a_hand_written_request_in_the_documented_form(aws: ModuleType) -> None:
    api, received = _recording_api(aws, _answers(aws))
    query = urlencode(
        [
            ("Action", "AddTagsToResource"),
            ("Version", "2015-02-02"),
            ("ResourceName", "arn:1"),
            ("Tags", json.dumps({"Key": "team", "Value": "a,b"})),
            ("Tags", '{"Key":"env"}'),
        ]
    )

    async def scenario() -> int:
        async with raw_client(aws, api) as client:
            return (await client.get(f"/?{query}")).status_code

    assert asyncio.run(scenario()) == 200
    tags = received[0]["tags"]
    assert [(tag.key, tag.value) for tag in tags] == [("team", "a,b"), ("env", None)]


def test_an_item_that_is_not_json_is_a_clear_400(aws: ModuleType) -> None:
    api, received = _recording_api(aws, _answers(aws))
    query = "Action=AddTagsToResource&Version=2015-02-02&ResourceName=r&Tags=Key%3Dteam"

    async def scenario() -> Any:
        async with raw_client(aws, api) as client:
            return await client.get(f"/?{query}")

    response = asyncio.run(scenario())
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "in": "query",
            "name": "Tags",
            "message": "Tags[0]: an object or array here is sent as JSON text",
        }
    ]
    assert received == []


def test_a_field_named_like_another_parameter_is_not_sent_as_it(aws: ModuleType) -> None:
    """ModifyUser has a `Passwords` parameter and an exploded `AuthenticationMode` object
    with a `Passwords` field: sent as its own pair, that field would join the parameter."""
    models = aws.models
    api, received = _recording_api(aws, _answers(aws))
    version = models.GetModifyUserVersion("2015-02-02")

    async def scenario() -> None:
        async with asgi_client(aws, api) as client:
            await client.default.get_modify_user(
                user_id="u-1",
                passwords=["secret-one"],
                authentication_mode=models.GetModifyUserAuthenticationMode(type_="password"),
                version=version,
            )
            with pytest.raises(ValueError, match="its field 'Passwords' has the name of another"):
                await client.default.get_modify_user(
                    user_id="u-1",
                    authentication_mode=models.GetModifyUserAuthenticationMode(
                        passwords=["secret-two"]
                    ),
                    version=version,
                )

    asyncio.run(scenario())
    assert len(received) == 1
    assert received[0]["passwords"] == ["secret-one"]
    assert received[0]["authentication_mode"] == models.GetModifyUserAuthenticationMode(
        type_="password"
    )
