"""End to end: a handler returning a paginated resource collection, read back page by page
through the generated client's `iter_` methods (sync over a socket, async over ASGI)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import httpx
from starlette.requests import Request

from specloom_runtime.resources import CursorPage, JsonResource, Page
from specloom_runtime.server.testing import serve_in_thread


@dataclass
class Account:
    """A domain object: not the wire shape."""

    key: int
    full_name: str
    email: str
    email_public: bool
    role: str


ACCOUNTS = [
    Account(n, f"User {n}", f"u{n}@example.com", n % 2 == 0, "admin" if n % 5 == 0 else "staff")
    for n in range(1, 26)
]


class UserResource(JsonResource[Account]):
    def to_dict(self, request: Request | None) -> dict[str, Any]:
        return {
            "id": self.resource.key,
            "name": self.resource.full_name,
            "email": self.when(self.resource.email_public, self.resource.email),
        }


def users_api(service: ModuleType, requested: list[dict[str, Any]]) -> Any:
    class Users(service.server.UsersApi):  # type: ignore[misc, name-defined]
        async def list_users(
            self, *, page: int | None = None, per_page: int | None = None, role: str | None = None
        ) -> Any:
            page, per_page = page or 1, per_page or 10
            requested.append({"page": page, "per_page": per_page, "role": role})
            matching = [a for a in ACCOUNTS if role is None or a.role == role]
            items = matching[(page - 1) * per_page : page * per_page]
            return UserResource.collection(Page(items, len(matching), page, per_page))

    return Users()


def test_the_sync_client_iterates_over_every_page(service: ModuleType) -> None:
    requested: list[dict[str, Any]] = []
    app = service.server.create_app(users_api(service, requested))

    with serve_in_thread(app) as url, service.client.Client(base_url=url) as client:
        first = client.users.list_users(per_page=10, role="staff")
        users = list(client.users.iter_list_users(per_page=7, role="staff"))

    assert first.meta.total == 20
    assert first.meta.last_page == 2
    assert first.links.next == f"{url}/users?per_page=10&role=staff&page=2"
    assert first.data[0] == service.models.User(id=1, name="User 1")
    assert first.data[1].email == "u2@example.com"
    assert [user.id for user in users] == [a.key for a in ACCOUNTS if a.role == "staff"]
    assert requested[1:] == [{"page": n, "per_page": 7, "role": "staff"} for n in (1, 2, 3)]


def test_the_async_client_iterates_over_every_page(service: ModuleType) -> None:
    app = service.server.create_app(users_api(service, []))

    async def scenario() -> list[int]:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with service.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            return [user.id async for user in client.users.iter_list_users(per_page=4)]

    assert asyncio.run(scenario()) == list(range(1, 26))


PHOTOS = [f"photo-{n:02}.jpg" for n in range(11, 0, -1)]  # newest first


class PhotoResource(JsonResource[str]):
    def to_dict(self, request: Request | None) -> dict[str, Any]:
        return {"filename": self.resource, "content_type": "image/jpeg", "size": 3}


def photos_api(service: ModuleType, requested: list[dict[str, Any]]) -> Any:
    class Photos(service.server.PhotosApi):  # type: ignore[misc, name-defined]
        async def list_photos(
            self, *, cursor: str | None = None, per_page: int | None = None
        ) -> Any:
            per_page = per_page or 5
            requested.append({"cursor": cursor, "per_page": per_page})
            start = PHOTOS.index(cursor) if cursor else 0
            items = PHOTOS[start : start + per_page]
            following = PHOTOS[start + per_page] if start + per_page < len(PHOTOS) else None
            previous = PHOTOS[max(start - per_page, 0)] if start else None
            return PhotoResource.collection(CursorPage(items, per_page, following, previous))

    return Photos()


def test_the_sync_client_follows_the_cursor(service: ModuleType) -> None:
    requested: list[dict[str, Any]] = []
    app = service.server.create_app(photos_api(service, requested))

    with serve_in_thread(app) as url, service.client.Client(base_url=url) as client:
        first = client.photos.list_photos(per_page=4)
        photos = list(client.photos.iter_list_photos(per_page=4))

    assert first.meta.next_cursor == "photo-07.jpg"
    assert first.links.next == f"{url}/photos/recent?per_page=4&cursor=photo-07.jpg"
    assert [photo.filename for photo in photos] == PHOTOS
    assert requested[1:] == [
        {"cursor": cursor, "per_page": 4} for cursor in (None, "photo-07.jpg", "photo-03.jpg")
    ]


def test_the_async_client_follows_the_cursor(service: ModuleType) -> None:
    app = service.server.create_app(photos_api(service, []))

    async def scenario() -> list[str]:
        http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
        async with service.client.AsyncClient(
            base_url="http://testserver", http_client=http_client
        ) as client:
            return [photo.filename async for photo in client.photos.iter_list_photos()]

    assert asyncio.run(scenario()) == PHOTOS
