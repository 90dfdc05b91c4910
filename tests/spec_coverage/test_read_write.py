"""readOnly and writeOnly (fixtures/coverage/read_write.yaml): requests are built without
read-only properties, responses carry no write-only ones, also nested, on both sides."""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client

NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("read_write")
    with generated_package("read_write.yaml", "cov_read_write", root) as package:
        yield package


def test_request_and_response_shapes(pkg: ModuleType) -> None:
    models = pkg.models
    assert set(models.Account.model_fields) == {"id", "name", "created_at"}
    assert set(models.AccountRequest.model_fields) == {"name", "password"}
    assert models.TeamRequest.model_fields["members"].annotation == list[models.AccountRequest]
    assert models.Team.model_fields["members"].annotation == list[models.Account]
    assert "request shape of `Account`" in (models.AccountRequest.__doc__ or "")


def test_an_optional_field_of_a_request_shape_takes_the_request_shape_too(
    pkg: ModuleType,
) -> None:
    # azure web-service: an optional property whose model has read-only properties.
    models = pkg.models
    owner = {"name": "ada", "password": "correct horse"}
    team = models.TeamRequest.model_validate({"title": "core", "members": [], "owner": owner})
    assert isinstance(team.owner, models.AccountRequest)
    assert team.owner.password == "correct horse"
    account = {"id": 1, "name": "ada", "createdAt": "2026-01-02T03:04:05Z"}
    answered = models.Team.model_validate({"title": "core", "members": [], "owner": account})
    assert isinstance(answered.owner, models.Account)


def test_every_media_type_of_a_body_takes_the_request_shape(pkg: ModuleType) -> None:
    request = pkg.models.AccountRequest
    assert pkg._operations.CREATE_ACCOUNT.body.media == (
        ("application/json", request),
        ("application/x-www-form-urlencoded", request),
    )


class Accounts:
    def __init__(self, pkg: ModuleType) -> None:
        models = pkg.models
        self.received: list[Any] = []
        received = self.received

        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def create_account(self, *, body: Any) -> Any:
                received.append(body)
                return models.Account(id=7, name=body.name, created_at=NOW)

            async def replace_team(self, *, body: Any) -> Any:
                received.append(body)
                members = [
                    models.Account(id=i, name=m.name, created_at=NOW)
                    for i, m in enumerate(body.members)
                ]
                return models.Team(title=body.title, members=members)

        self.api = Impl()


def test_round_trip_without_inventing_read_only_values(pkg: ModuleType) -> None:
    models = pkg.models
    accounts = Accounts(pkg)

    async def scenario() -> None:
        async with asgi_client(pkg, accounts.api) as client:
            created = await client.default.create_account(
                body=models.AccountRequest(name="ada", password="s3cret-pw")
            )
            assert created == models.Account(id=7, name="ada", created_at=NOW)
            team = await client.default.replace_team(
                body=models.TeamRequest(
                    title="core", members=[models.AccountRequest(name="bo", password="longenough")]
                )
            )
            assert team.members == [models.Account(id=0, name="bo", created_at=NOW)]

    asyncio.run(scenario())
    assert accounts.received[0] == models.AccountRequest(name="ada", password="s3cret-pw")


def test_server_reads_requests_without_read_only_and_never_echoes_write_only(
    pkg: ModuleType,
) -> None:
    async def scenario() -> None:
        async with raw_client(pkg, Accounts(pkg).api) as http:
            response = await http.post("/accounts", json={"name": "ada", "password": "s3cret-pw"})
            assert response.status_code == 201
            assert response.json() == {"id": 7, "name": "ada", "createdAt": "2026-01-02T03:04:05Z"}
            short = await http.post("/accounts", json={"name": "ada", "password": "short"})
            assert short.status_code == 400

    asyncio.run(scenario())
