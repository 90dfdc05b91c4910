"""End to end: the generated petstore server, implemented by hand, served by uvicorn on
127.0.0.1, called through the generated sync and async clients; and over ASGITransport."""

from __future__ import annotations

import asyncio
import datetime
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest
from e2e.petstore_impl import NOW, ORDER_ID, implementations

from specloom_runtime.errors import DeclaredStatusError, UnexpectedStatusError
from specloom_runtime.server.testing import serve_in_thread


@pytest.fixture
def impls(petstore: ModuleType) -> tuple[Any, Any, Any]:
    return implementations(petstore)


@pytest.fixture
def base_url(petstore: ModuleType, impls: tuple[Any, Any, Any]) -> Iterator[str]:
    with serve_in_thread(petstore.server.create_app(*impls)) as url:
        yield url


@pytest.fixture
def client(petstore: ModuleType, base_url: str) -> Iterator[Any]:
    with petstore.client.Client(base_url=base_url, timeout=10) as client:
        yield client


def test_pet_lifecycle_through_the_sync_client(petstore: ModuleType, client: Any) -> None:
    models = petstore.models
    assert client.pets.list_pets() == []

    created = client.pets.create_pet_with_response(
        body=models.NewPet(name="Rex", tag="dog", status=models.PetStatus.AVAILABLE)
    )
    assert created.status_code == 201
    assert created.is_success
    pet = created.data
    assert isinstance(pet, models.Pet)
    assert (pet.id, pet.name, pet.tag, pet.created_at) == (1, "Rex", "dog", NOW)
    assert pet.status is models.PetStatus.AVAILABLE
    assert pet.birthday is None
    assert pet.owner is None

    assert client.pets.get_pet(pet_id=1) == pet
    updated = client.pets.update_pet(
        pet_id=1, body=models.NewPet(name="Rex II", birthday=datetime.date(2020, 5, 17))
    )
    assert (updated.name, updated.birthday, updated.created_at) == (
        "Rex II",
        datetime.date(2020, 5, 17),
        NOW,
    )
    assert client.pets.list_pets() == [updated]

    deleted = client.pets.delete_pet_with_response(pet_id=1)
    assert (deleted.status_code, deleted.data) == (204, None)
    assert client.pets.list_pets() == []


def test_parameters_reach_the_handler_typed(
    petstore: ModuleType, client: Any, impls: tuple[Any, Any, Any]
) -> None:
    request_id = uuid.UUID("00000000-0000-0000-0000-000000000001")
    client.pets.list_pets(
        limit=5,
        status=petstore.models.PetStatus.PENDING,
        tags=["a", "b c"],
        x_request_id=request_id,
    )
    assert impls[0].seen == {
        "limit": 5,
        "status": petstore.models.PetStatus.PENDING,
        "tags": ["a", "b c"],
        "x_request_id": request_id,
    }


def test_declared_error_statuses_raise_with_the_typed_body(
    petstore: ModuleType, client: Any
) -> None:
    with pytest.raises(DeclaredStatusError) as not_found:
        client.pets.get_pet(pet_id=7)
    assert not_found.value.status_code == 404
    assert not_found.value.body == petstore.models.Error(code=404, message="no pet 7")

    with pytest.raises(DeclaredStatusError) as rejected:
        client.pets.create_pet(body=petstore.models.NewPet(name="reject"))
    assert rejected.value.status_code == 422
    assert rejected.value.body.message == "not this one"

    with pytest.raises(DeclaredStatusError) as bad_order:
        client.store.place_order(body=petstore.models.OrderRequest(pet_id=1, quantity=11))
    assert bad_order.value.status_code == 400


def test_default_response_covers_other_statuses(petstore: ModuleType, client: Any) -> None:
    # list_pets declares `default: Error`: a 418 is declared through it.
    with pytest.raises(DeclaredStatusError) as teapot:
        client.pets.list_pets(limit=99)
    assert teapot.value.status_code == 418
    assert teapot.value.body == petstore.models.Error(code=418, message="teapot")


def test_store_and_untagged_operations(petstore: ModuleType, client: Any) -> None:
    assert client.store.get_inventory() == {"available": 2, "adopted": 1}
    order = client.store.place_order(body=petstore.models.OrderRequest(pet_id=3, quantity=2))
    assert order.id == ORDER_ID
    assert (order.pet_id, order.quantity) == (3, 2)
    assert client.default.get_health() is None


def test_aliased_fields_travel_by_wire_name(petstore: ModuleType, base_url: str) -> None:
    shipped = datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.timezone.utc)
    order = petstore.models.OrderRequest(pet_id=3, quantity=2, ship_date=shipped)
    raw = httpx.post(
        f"{base_url}/store/orders",
        json=order.model_dump(mode="json", by_alias=True, exclude_unset=True),
    )
    assert raw.status_code == 201
    assert raw.json()["ship-date"] == "2026-03-04T05:06:07Z"
    assert "ship_date" not in raw.json()


def test_server_rejects_bad_input_with_problem_details(base_url: str) -> None:
    bad_params = httpx.get(
        f"{base_url}/pets",
        params={"limit": "many", "status": "lost"},
        headers={"X-Request-Id": "x"},
    )
    assert bad_params.status_code == 400
    assert bad_params.headers["content-type"].startswith("application/problem+json")
    problems = bad_params.json()["errors"]
    assert {(p["in"], p["name"]) for p in problems} == {
        ("query", "limit"),
        ("query", "status"),
        ("header", "X-Request-Id"),
    }

    bad_body = httpx.post(f"{base_url}/pets", json={"tag": 3, "birthday": "soon"})
    assert bad_body.status_code == 400
    pointers = {p["pointer"] for p in bad_body.json()["errors"]}
    assert {"/name", "/tag", "/birthday"} <= pointers

    wrong_type = httpx.post(
        f"{base_url}/pets", content=b"name=Rex", headers={"content-type": "text/plain"}
    )
    assert wrong_type.status_code == 415

    bad_path = httpx.get(f"{base_url}/pets/abc")
    assert bad_path.status_code == 400
    assert bad_path.json()["errors"][0]["name"] == "petId"


def test_unimplemented_operations_answer_501(petstore: ModuleType) -> None:
    pets, _store, _default = implementations(petstore)
    app = petstore.server.create_app(pets)
    transport = httpx.ASGITransport(app=app)

    async def call() -> None:
        async with petstore.client.AsyncClient(
            base_url="http://testserver", http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            with pytest.raises(UnexpectedStatusError) as missing:
                await client.store.get_inventory()
            assert missing.value.status_code == 501
            assert await client.pets.list_pets() == []

    asyncio.run(call())


def test_pet_lifecycle_through_the_async_client(petstore: ModuleType, base_url: str) -> None:
    models = petstore.models

    async def scenario() -> None:
        async with petstore.client.AsyncClient(base_url=base_url) as client:
            pet = await client.pets.create_pet(body=models.NewPet(name="Tom"))
            assert pet.id == 1
            assert await client.pets.get_pet(pet_id=1) == pet
            response = await client.pets.list_pets_with_response(limit=10)
            assert (response.status_code, response.data) == (200, [pet])
            with pytest.raises(DeclaredStatusError) as not_found:
                await client.pets.delete_pet(pet_id=2)
            assert not_found.value.status_code == 404
            assert await client.pets.delete_pet(pet_id=1) is None
            assert await client.store.get_inventory() == {"available": 2, "adopted": 1}
            assert await client.default.get_health() is None

    asyncio.run(scenario())


def test_async_client_over_asgi_transport(
    petstore: ModuleType, impls: tuple[Any, Any, Any]
) -> None:
    app = petstore.server.create_app(*impls)

    async def scenario() -> None:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with petstore.client.AsyncClient(
            base_url="http://testserver/", http_client=http_client
        ) as client:
            created = await client.pets.create_pet_with_response(
                body=petstore.models.NewPet(name="Asgi")
            )
            assert created.status_code == 201
            assert (await client.pets.get_pet(pet_id=created.data.id)).name == "Asgi"
        await http_client.aclose()

    asyncio.run(scenario())


def test_server_enforces_the_parameter_limits_of_the_spec(
    base_url: str, impls: tuple[Any, Any, Any]
) -> None:
    # petstore.yaml: `limit` has `minimum: 1` and `maximum: 100`.
    for limit in ("0", "1000"):
        response = httpx.get(f"{base_url}/pets", params={"limit": limit})
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("application/problem+json")
        problems = response.json()["errors"]
        assert [(p["in"], p["name"]) for p in problems] == [("query", "limit")]
    assert impls[0].seen == {}  # the handler never ran

    assert httpx.get(f"{base_url}/pets", params={"limit": "100"}).status_code == 200
    assert impls[0].seen["limit"] == 100


def test_server_validation_errors_reach_the_client_as_status_errors(client: Any) -> None:
    # The server answers problem+json; the spec declares `default: Error` for list_pets.
    with pytest.raises(UnexpectedStatusError) as invalid:
        client.pets.list_pets(limit=1000)
    assert invalid.value.status_code == 400
    assert invalid.value.body["errors"][0]["name"] == "limit"
