"""A hand-written implementation of the generated petstore server, as a user would write it."""

from __future__ import annotations

import datetime
import uuid
from types import ModuleType
from typing import Any

from specloom_runtime.server import BadRequest, NotFound, UnprocessableEntity, WithStatus

ORDER_ID = uuid.UUID("12345678-1234-5678-1234-567812345678")
NOW = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)


def implementations(pkg: ModuleType) -> tuple[Any, Any, Any]:
    """Instances of Pets, Store and Default implemented over an in-memory store."""
    models = pkg.models
    server = pkg.server

    class Pets(server.PetsApi):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            self.pets: dict[int, Any] = {}
            self.seen: dict[str, Any] = {}

        async def list_pets(
            self,
            *,
            limit: int | None = None,
            status: Any = None,
            tags: list[str] | None = None,
            x_request_id: Any = None,
        ) -> Any:
            self.seen = {
                "limit": limit,
                "status": status,
                "tags": tags,
                "x_request_id": x_request_id,
            }
            if limit == 99:
                return WithStatus(418, models.Error(code=418, message="teapot"))
            pets = [p for p in self.pets.values() if status is None or p.status == status]
            return pets[:limit] if limit is not None else pets

        async def create_pet(self, *, body: Any) -> Any:
            if body.name == "reject":
                return UnprocessableEntity(models.Error(code=422, message="not this one"))
            pet = models.Pet(
                id=len(self.pets) + 1,
                created_at=NOW,
                name=body.name,
                **body.model_dump(exclude_unset=True, exclude={"name"}),
            )
            self.pets[pet.id] = pet
            return server.CreatePetCreated(pet, location=f"/pets/{pet.id}", x_pets_remaining=9)

        async def get_pet(self, *, pet_id: int) -> Any:
            if pet_id not in self.pets:
                return NotFound(models.Error(code=404, message=f"no pet {pet_id}"))
            return self.pets[pet_id]

        async def update_pet(self, *, pet_id: int, body: Any) -> Any:
            if pet_id not in self.pets:
                return NotFound(models.Error(code=404, message=f"no pet {pet_id}"))
            old = self.pets[pet_id]
            pet = models.Pet(
                id=pet_id, created_at=old.created_at, **body.model_dump(exclude_unset=True)
            )
            self.pets[pet_id] = pet
            return pet

        async def delete_pet(self, *, pet_id: int) -> Any:
            if self.pets.pop(pet_id, None) is None:
                return NotFound(models.Error(code=404, message=f"no pet {pet_id}"))
            return None

    class Store(server.StoreApi):  # type: ignore[misc, name-defined]
        async def get_inventory(self) -> Any:
            return {"available": 2, "adopted": 1}

        async def place_order(self, *, body: Any) -> Any:
            if body.quantity > 10:
                return BadRequest(models.Error(code=400, message="too many"))
            return models.Order(id=ORDER_ID, **dict(body))

    class Default(server.DefaultApi):  # type: ignore[misc, name-defined]
        async def get_health(self) -> Any:
            return None

    return Pets(), Store(), Default()
