"""Discriminated hierarchies deeper than one level (fixtures/coverage/
discriminator_hierarchies.yaml): a schema between the root and the leaves accepts every
class below it, and a discriminator whose tags name no schema leaves plain models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from spec_coverage.generated import FIXTURES, asgi_client, generated_package
from specloom.config import GenerateConfig
from specloom.pipeline import generate


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("hierarchies")
    with generated_package("discriminator_hierarchies.yaml", "cov_hierarchies", root) as package:
        yield package


def validate(annotation: Any, data: Any) -> Any:
    return pydantic.TypeAdapter(annotation).validate_python(data)


def test_an_intermediate_class_accepts_the_classes_below_it(pkg: ModuleType) -> None:
    models = pkg.models
    user = validate(
        models.MicrosoftGraphDirectoryObject,
        {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ada"},
    )
    assert isinstance(user, models.MicrosoftGraphUser)
    assert user.display_name == "Ada"
    plain = validate(
        models.MicrosoftGraphDirectoryObject,
        {"@odata.type": "#microsoft.graph.directoryObject", "id": "d1"},
    )
    assert isinstance(plain, models.MicrosoftGraphDirectoryObjectBase)
    # A site is an entity, not a directory object.
    with pytest.raises(pydantic.ValidationError):
        validate(models.MicrosoftGraphDirectoryObject, {"@odata.type": "#microsoft.graph.site"})


def test_the_root_accepts_every_class_of_the_hierarchy(pkg: ModuleType) -> None:
    models = pkg.models
    for tag, cls in [
        ("#microsoft.graph.user", models.MicrosoftGraphUser),
        ("#microsoft.graph.group", models.MicrosoftGraphGroup),
        ("#microsoft.graph.site", models.MicrosoftGraphSite),
        ("#microsoft.graph.directoryObject", models.MicrosoftGraphDirectoryObjectBase),
    ]:
        assert isinstance(validate(models.MicrosoftGraphEntity, {"@odata.type": tag}), cls)


def test_a_field_typed_by_the_intermediate_class_holds_its_subclasses(pkg: ModuleType) -> None:
    models = pkg.models
    group = validate(
        models.MicrosoftGraphGroup,
        {
            "@odata.type": "#microsoft.graph.group",
            "members": [
                {"@odata.type": "#microsoft.graph.user", "displayName": "Ada"},
                {"@odata.type": "#microsoft.graph.group", "members": []},
            ],
        },
    )
    assert [type(m).__name__ for m in group.members] == [
        "MicrosoftGraphUser",
        "MicrosoftGraphGroup",
    ]


def test_azure_event_lists_hold_the_subclasses_of_their_item_class(pkg: ModuleType) -> None:
    models = pkg.models
    events = validate(
        list[models.ApplicationEvent],
        [
            {"Kind": "ApplicationCreated", "ApplicationTypeName": "t"},
            {"Kind": "ApplicationDeleted"},
            {"Kind": "ApplicationEvent", "ApplicationId": "a"},
        ],
    )
    assert [type(e).__name__ for e in events] == [
        "ApplicationCreatedEvent",
        "ApplicationDeletedEvent",
        "ApplicationEventBase",
    ]
    with pytest.raises(pydantic.ValidationError):
        validate(models.ApplicationEvent, {"Kind": "ClusterEvent"})
    assert isinstance(validate(models.FabricEvent, {"Kind": "ClusterEvent"}), models.ClusterEvent)


def test_the_client_reads_a_subclass_where_the_intermediate_class_is_declared(
    pkg: ModuleType,
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, json={"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "Ada"}
        )

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    user = client.default.get_directory_object(id="u1")
    assert isinstance(user, pkg.models.MicrosoftGraphUser)


def test_server_and_client_round_trip_an_intermediate_classs_own_model(pkg: ModuleType) -> None:
    models = pkg.models

    class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def create_entity(self, *, body: Any) -> Any:
            return body

    async def scenario() -> None:
        async with asgi_client(pkg, Impl()) as client:
            plain = models.MicrosoftGraphDirectoryObjectBase(
                odata_type="#microsoft.graph.directoryObject", id="d1"
            )
            assert await client.default.create_entity(body=plain) == plain

    asyncio.run(scenario())


def test_tags_that_name_no_schema_leave_plain_models(pkg: ModuleType) -> None:
    # flat.io: `kind` is an account type (user, guest); no value can select a subtype by
    # name, so the subtypes are plain models that take the values their schema allows.
    models = pkg.models
    summary = models.AccountSummary.model_validate({"kind": "user", "email": "a@b.c"})
    assert summary.email == "a@b.c"
    details = models.AccountDetails.model_validate({"kind": "guest", "bio": "b"})
    assert details.bio == "b"
    assert validate(models.Account, {"kind": "guest", "name": "g"}).name == "g"


def test_tags_that_name_no_schema_are_warned() -> None:
    result = generate(FIXTURES / "discriminator_hierarchies.yaml", GenerateConfig(package_name="x"))
    messages = [(d.pointer, d.message) for d in result.diagnostics]
    assert any(
        pointer == "/components/schemas/Account/discriminator" and "AccountSummary" in message
        for pointer, message in messages
    ), messages
