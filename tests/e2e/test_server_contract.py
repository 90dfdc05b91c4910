"""End to end: the generated petstore server keeps the contract of its spec — strict input,
bounded bodies, checked answers, and the spec itself served at `/openapi.json`."""

from __future__ import annotations

import asyncio
from types import ModuleType
from typing import Any

import httpx
import pytest
from e2e.petstore_impl import NOW, implementations

from specloom_runtime.errors import DeclaredStatusError


def call(app: Any, method: str, url: str, **options: Any) -> httpx.Response:
    """One request to `app` over httpx's ASGI transport."""

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, url, **options)

    return asyncio.run(send())


@pytest.fixture
def app(petstore: ModuleType) -> Any:
    return petstore.server.create_app(*implementations(petstore))


ORDER = {"pet_id": 1, "quantity": 2}


@pytest.mark.parametrize(
    "order",
    [
        {**ORDER, "quantity": "5"},
        {**ORDER, "quantity": True},
        {**ORDER, "complete": "yes"},
        {**ORDER, "ship-date": 0},
        {**ORDER, "pet_id": 2**63},
        {**ORDER, "complete": None},
    ],
)
def test_json_bodies_are_not_coerced(app: Any, order: dict[str, Any]) -> None:
    response = call(app, "POST", "/store/orders", json=order)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


def test_a_valid_order_is_taken(app: Any) -> None:
    response = call(app, "POST", "/store/orders", json={**ORDER, "pet_id": 2**63 - 1})

    assert response.status_code == 201
    assert response.json()["pet_id"] == 2**63 - 1


@pytest.mark.parametrize("url", ["/pets/1_000", "/pets/+1", "/pets/%201%20", "/pets?limit=%205%20"])
def test_parameters_are_not_coerced(app: Any, url: str) -> None:
    assert call(app, "GET", url).status_code == 400


def test_an_optional_field_left_none_is_left_out(petstore: ModuleType) -> None:
    pets, store, default = implementations(petstore)

    class Pets(type(pets)):  # type: ignore[misc]
        async def get_pet(self, *, pet_id: int) -> Any:
            return petstore.models.Pet(
                id=pet_id, name="Rex", created_at=NOW, tag=None, status=None, owner=None
            )

    app = petstore.server.create_app(Pets(), store, default)

    fetched = call(app, "GET", "/pets/1").json()

    assert fetched == {"id": 1, "name": "Rex", "created_at": "2026-01-02T03:04:05Z", "owner": None}
    assert call(app, "POST", "/pets", json={"name": "Rex", "tag": None}).status_code == 400


def test_a_body_over_the_limit_answers_413(petstore: ModuleType) -> None:
    app = petstore.server.create_app(*implementations(petstore), max_body_size=64)

    response = call(app, "POST", "/pets", json={"name": "R" * 100})

    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_a_raised_status_reaches_the_client_as_a_declared_error(petstore: ModuleType) -> None:
    pets, store, default = implementations(petstore)

    class Pets(type(pets)):  # type: ignore[misc]
        async def get_pet(self, *, pet_id: int) -> Any:
            raise petstore.server.NotFound(petstore.models.Error(code=7, message="raised"))

    app = petstore.server.create_app(Pets(), store, default)

    async def scenario() -> None:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with petstore.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            with pytest.raises(DeclaredStatusError) as raised:
                await client.pets.get_pet(pet_id=1)
            assert raised.value.status_code == 404
            assert raised.value.body == petstore.models.Error(code=7, message="raised")

    asyncio.run(scenario())


def test_the_spec_is_served_with_the_problems_the_app_gives(app: Any) -> None:
    spec = call(app, "GET", "/openapi.json").json()

    assert spec["info"]["title"] == "Petstore"
    create_pet = spec["paths"]["/pets"]["post"]["responses"]
    assert {"201", "400", "413", "415", "422", "500"} <= set(create_pet)
    assert create_pet["415"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"
    }
    assert "400" not in spec["paths"]["/store/inventory"]["get"]["responses"]


def test_declared_response_headers_are_sent(app: Any) -> None:
    response = call(app, "POST", "/pets", json={"name": "Rex"})

    assert response.status_code == 201
    assert response.headers["location"] == "/pets/1"
    assert response.headers["x-pets-remaining"] == "9"
