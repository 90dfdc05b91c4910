"""End to end: the generated petstore server keeps the contract of its spec — strict input,
bounded bodies, checked answers, and the spec itself served at `/openapi.json`."""

from __future__ import annotations

import asyncio
import logging
from types import ModuleType
from typing import Any

import httpx
import pytest
from e2e.petstore_impl import NOW, implementations

from specloom_runtime.errors import (
    DeclaredStatusError,
    ResponseValidationError,
    SpecloomError,
    UnexpectedStatusError,
)
from specloom_runtime.server import Ok


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


def test_deeply_nested_json_is_a_400(app: Any) -> None:
    body = "[" * 50_000 + "]" * 50_000
    headers = {"content-type": "application/json"}

    response = call(app, "POST", "/pets", content=body, headers=headers)

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


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


def pets_answering(petstore: ModuleType, answer: Any) -> Any:
    """The petstore's Pets with `get_pet` answering `answer(pet_id)`."""
    pets, _, _ = implementations(petstore)

    class Pets(type(pets)):  # type: ignore[misc]
        async def get_pet(self, *, pet_id: int) -> Any:
            return answer(pet_id)

    return Pets()


def get_pet_through_the_client(petstore: ModuleType, app: Any) -> Any:
    """`client.pets.get_pet(pet_id=1)` against `app`: the pet, or the error raised."""

    async def scenario() -> Any:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with petstore.client.AsyncClient(
            base_url="http://testserver", http_client=http_client, retry=None
        ) as client:
            try:
                return await client.pets.get_pet(pet_id=1)
            except SpecloomError as error:
                return error

    return asyncio.run(scenario())


@pytest.mark.parametrize(
    ("answer", "logged", "validation"),
    [
        (lambda Pet: None, "get_pet returned None, but its 200 response declares a body", True),
        (
            lambda Pet: {"id": 1, "created_at": NOW, "name": ""},
            "the response body does not match its declared type",
            True,
        ),
        (
            lambda Pet: {"id": 1, "created_at": NOW, "name": None},
            "the response body does not match its declared type",
            True,
        ),
        (
            lambda Pet: Pet.model_construct(id=1, created_at=NOW, name=""),
            "the 200 response body does not match its schema: /name: String should have at "
            "least 1 character",
            "always",
        ),
        (
            lambda Pet: Pet.model_construct(id=1, created_at=NOW, name=None),
            "the 200 response body does not match its schema: /name: Input should be a valid "
            "string",
            "always",
        ),
    ],
    ids=[
        "none",
        "dict",
        "null-in-non-nullable-dict",
        "model_construct-always",
        "null-in-non-nullable-always",
    ],
)
def test_a_body_breaking_the_spec_is_a_500_with_the_reason_logged(
    petstore: ModuleType,
    caplog: pytest.LogCaptureFixture,
    answer: Any,
    logged: str,
    validation: Any,
) -> None:
    Pet = petstore.models.Pet
    app = petstore.server.create_app(
        pets_answering(petstore, lambda pet_id: answer(Pet)), validate_responses=validation
    )

    with caplog.at_level(logging.ERROR, logger="specloom_runtime.server"):
        error = get_pet_through_the_client(petstore, app)

    assert isinstance(error, UnexpectedStatusError)
    assert error.status_code == 500
    assert logged in caplog.text


def test_a_model_built_without_validation_is_sent_as_built_by_default(
    petstore: ModuleType,
) -> None:
    # Instances of the declared model are trusted (docs/server.md): `model_construct`
    # skips pydantic's validation, so the client's own check is what stops this one.
    Pet = petstore.models.Pet
    built = pets_answering(
        petstore, lambda pet_id: Pet.model_construct(id=pet_id, created_at=NOW, name="")
    )

    error = get_pet_through_the_client(petstore, petstore.server.create_app(built))

    assert isinstance(error, ResponseValidationError)
    assert '"name":""' in str(error)


def test_response_validation_can_be_switched_off(petstore: ModuleType) -> None:
    Pet = petstore.models.Pet
    broken = pets_answering(
        petstore, lambda pet_id: Pet.model_construct(id=pet_id, created_at=NOW, name="")
    )
    app = petstore.server.create_app(broken, validate_responses=False)

    error = get_pet_through_the_client(petstore, app)

    # Sent as built, with a 200: the client's own check of what it reads is what stops it.
    assert isinstance(error, ResponseValidationError)
    assert "-> 200" in str(error)
    assert '"name":""' in str(error)


def test_several_cookies_reach_the_client(petstore: ModuleType) -> None:
    Pet = petstore.models.Pet

    def answer(pet_id: int) -> Any:
        pet = Pet(id=pet_id, created_at=NOW, name="Rex")
        return Ok(pet).set_cookie("session", "abc", httponly=True).set_cookie("theme", "dark")

    app = petstore.server.create_app(pets_answering(petstore, answer))

    async def scenario() -> Any:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with petstore.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            return await client.pets.get_pet_with_response(pet_id=1)

    response = asyncio.run(scenario())

    assert response.data.name == "Rex"
    cookies = response.headers.get_list("set-cookie")
    assert len(cookies) == 2
    assert cookies[0].startswith("session=abc;")
    assert "HttpOnly" in cookies[0]
    assert cookies[1].startswith("theme=dark;")
