"""Types defined inside reusable components are named after the component, and plain
strings where an enum is expected are sent quietly (fixtures/coverage/names.yaml)."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Iterator
from types import ModuleType
from typing import Any, get_args

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("names")
    with generated_package("names.yaml", "cov_names", root) as package:
        yield package


def test_types_are_named_after_their_component(pkg: ModuleType) -> None:
    names = {name for name in pkg.models.__all__ if not name.startswith("_")}
    assert {"TweetFieldsParameterItem", "EventList", "TweetCreate"} <= names
    assert "TweetCreateReplySettings" in names
    assert not any(name.startswith("GetDmConversations") for name in names)
    operations = pkg._operations
    for operation in (
        operations.GET_DM_CONVERSATIONS_WITH_PARTICIPANT_ID_DM_EVENTS,
        operations.FIND_TWEETS_BY_ID,
    ):
        [fields] = [p for p in operation.params if p.wire_name == "tweet.fields"]
        list_type, _ = get_args(fields.annotation)  # Annotated[list[...], Field(min_length=1)]
        assert get_args(list_type) == (pkg.models.TweetFieldsParameterItem,)


def test_plain_strings_for_enums_are_sent_quietly(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"fields": []})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.default.find_tweets_by_id(tweet_fields=["id", "text"])  # type: ignore[list-item]
        client.default.find_tweets_by_id(tweet_fields=[pkg.models.TweetFieldsParameterItem.ID])
    assert [r.url.params["tweet.fields"] for r in sent] == ["id,text", "id"]


def test_round_trip_with_component_types(pkg: ModuleType) -> None:
    models = pkg.models

    class Tweets(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def find_tweets_by_id(self, *, tweet_fields: Any = None) -> Any:
            return models.EventList(fields_=[field.value for field in tweet_fields])

        async def create_tweet(self, *, body: Any) -> Any:
            return models.EventList(fields_=[body.text, body.reply_settings.value])

    async def scenario() -> None:
        async with asgi_client(pkg, Tweets()) as client:
            found = await client.default.find_tweets_by_id(
                tweet_fields=[models.TweetFieldsParameterItem.AUTHOR_ID]
            )
            assert found.fields_ == ["author_id"]
            created = await client.default.create_tweet(
                body=models.TweetCreate(text="hi", reply_settings="following")
            )
            assert created.fields_ == ["hi", "following"]

    asyncio.run(scenario())
