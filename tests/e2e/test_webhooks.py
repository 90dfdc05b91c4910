"""End to end: webhooks (OpenAPI 3.1) and callbacks received by a generated `<Tag>Webhooks`
implementation served with `create_webhooks_app`, the way the API would send them."""

from __future__ import annotations

import asyncio
import inspect
from types import ModuleType
from typing import Any

import httpx

from specloom_runtime.server import NoContent


def receiver(package: ModuleType, received: list[Any]) -> list[Any]:
    models = package.models
    server = package.server

    class Pets(server.PetsWebhooks):  # type: ignore[misc, name-defined]
        async def pet_added(self, *, x_delivery: str, body: Any) -> Any:
            received.append((x_delivery, body))
            return models.Ack(ok=True)

    class Subscriptions(server.SubscriptionsWebhooks):  # type: ignore[misc, name-defined]
        async def status_changed(self, *, body: Any) -> None:
            received.append(body)

        async def renewed_status_changed(self, *, body: Any) -> None:
            received.append(("renewed", body))

    return [Pets(), Subscriptions()]


def send(app: Any, path: str, **options: Any) -> httpx.Response:
    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://hooks") as client:
            return await client.post(path, **options)

    return asyncio.run(post())


def test_a_webhook_payload_arrives_as_its_model(webhooks: ModuleType) -> None:
    received: list[Any] = []
    app = webhooks.server.create_webhooks_app(*receiver(webhooks, received))

    response = send(app, "/newPet", json={"id": 1, "name": "Rex"}, headers={"X-Delivery": "d1"})

    assert (response.status_code, response.json()) == (200, {"ok": True})
    assert received == [("d1", webhooks.models.Pet(id=1, name="Rex"))]


def test_a_callback_is_received_at_its_name(webhooks: ModuleType) -> None:
    received: list[Any] = []
    app = webhooks.server.create_webhooks_app(*receiver(webhooks, received))

    response = send(app, "/statusChanged", json={"petId": 3, "status": "sold"})

    assert response.status_code == 204
    assert received == [webhooks.models.StatusChange(pet_id=3, status="sold")]


def test_a_callback_name_used_twice_is_served_at_a_numbered_route(webhooks: ModuleType) -> None:
    received: list[Any] = []
    app = webhooks.server.create_webhooks_app(*receiver(webhooks, received))

    response = send(app, "/statusChanged-2", json={"petId": 4, "status": "new"})

    assert response.status_code == 204
    assert received == [("renewed", webhooks.models.StatusChange(pet_id=4, status="new"))]


def test_an_invalid_payload_is_refused_before_the_handler(webhooks: ModuleType) -> None:
    received: list[Any] = []
    app = webhooks.server.create_webhooks_app(*receiver(webhooks, received))

    wrong = send(app, "/newPet", json={"id": "one"}, headers={"X-Delivery": "d1"})
    no_header = send(app, "/newPet", json={"id": 1, "name": "Rex"})

    assert (wrong.status_code, no_header.status_code) == (400, 400)
    assert {e["pointer"] for e in wrong.json()["errors"]} == {"/id", "/name"}
    assert received == []


def test_a_webhook_not_implemented_answers_501(webhooks: ModuleType) -> None:
    app = webhooks.server.create_webhooks_app(*receiver(webhooks, []))

    response = send(app, "/petRemoved", json={"id": 1, "reason": "adopted"})

    assert response.status_code == 501


def test_handlers_are_typed_from_the_spec(webhooks: ModuleType) -> None:
    models = webhooks.models
    handler = inspect.signature(webhooks.server.PetsWebhooks.pet_removed, eval_str=True)

    assert handler.parameters["body"].annotation is models.PetRemovedRequest
    assert handler.return_annotation == NoContent | None  # a body-less 204
    assert (
        models.PetRemovedRequest(id=1, reason="lost").reason is models.PetRemovedRequestReason.LOST
    )


def test_webhooks_are_not_served_by_the_api_app_nor_called_by_the_client(
    webhooks: ModuleType,
) -> None:
    api_app = webhooks.server.create_app(security={"api_key": lambda key: key})

    assert send(api_app, "/newPet", json={"id": 1, "name": "Rex"}).status_code == 404
    assert not hasattr(webhooks.client.Client(), "pets")
