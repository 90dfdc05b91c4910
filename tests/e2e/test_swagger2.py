"""End to end: a Swagger 2.0 spec (converted to OpenAPI 3 when loaded) through the generated
client and server: body and formData parameters, collectionFormat, x-nullable, file types,
global parameters and responses, security definitions."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import pytest

from specloom_runtime import DeclaredStatusError, UnexpectedStatusError
from specloom_runtime.uploads import UploadedFile

KEY = "secret-key"


def implementation(package: ModuleType, seen: dict[str, Any]) -> list[Any]:
    models = package.models
    server = package.server

    class Pets(server.PetsApi):  # type: ignore[misc, name-defined]
        async def list_pets(self, **params: Any) -> Any:
            seen["list_pets"] = params
            return server.ListPetsOk([models.Pet(id=1, name="Rex")], x_total=1)

        async def create_pet(self, *, body: Any) -> Any:
            seen["create_pet"] = body
            if body.name == "later":
                queued = models.CreatePetResponse202(queued=True)
                return server.CreatePetAccepted(queued, location="/pets/8")
            return models.Pet(id=7, name=body.name, nickname=body.nickname, owner=body.owner)

        async def get_pet(self, *, pet_id: int) -> Any:
            if pet_id != 7:
                return server.NotFound(models.Error(message=f"no pet {pet_id}"))
            return models.Pet(id=7, name="Rex", nickname=None)

        async def upload_photo(self, *, pet_id: int, body: Any) -> Any:
            assert isinstance(body.file, UploadedFile)
            size = len(body.file.read())
            return models.Photo(size=size + pet_id, caption=body.caption)

        async def get_photo(self, *, pet_id: int) -> bytes:
            return b"\x89PNG" + bytes([pet_id])

    class Search(server.SearchApi):  # type: ignore[misc, name-defined]
        async def search_pets(self, *, body: Any) -> Any:
            seen["search_pets"] = body
            return [models.Pet(id=len(body.ages or []), name=body.name)]

    return [Pets(), Search()]


def run(
    package: ModuleType, scenario: Callable[[Any, list[httpx.Request]], Awaitable[None]]
) -> dict[str, Any]:
    """Run `scenario(client, sent requests)` against the generated server over ASGI."""
    seen: dict[str, Any] = {}
    app = package.server.create_app(
        *implementation(package, seen),
        security={"api_key": lambda key: key if key == KEY else None},
    )
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def main() -> None:
        http_client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), event_hooks={"request": [record]}
        )
        async with package.client.AsyncClient(
            base_url="http://testserver", http_client=http_client, api_key=KEY
        ) as client:
            await scenario(client, sent)

    asyncio.run(main())
    return seen


def test_servers_come_from_host_base_path_and_schemes_https_first(swagger2: ModuleType) -> None:
    document = json.loads((Path(swagger2.__file__).parent / "openapi.json").read_text())
    servers = [server["url"] for server in document["servers"]]

    assert document["openapi"] == "3.0.3"
    assert servers == ["https://api.example.com/v1", "http://api.example.com/v1"]


def test_collection_formats_go_out_as_the_spec_says_and_arrive_as_lists(
    swagger2: ModuleType,
) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        response = await client.pets.list_pets_with_response(
            limit=5, tags=["a", "b"], ids=[1, 2], words=["x", "y"], flags=["p", "q"]
        )
        assert response.data == [swagger2.models.Pet(id=1, name="Rex")]
        assert response.raw.headers["X-Total"] == "1"
        query = unquote(sent[-1].url.query.decode().replace("+", " "))
        assert query == "limit=5&tags=a,b&ids=1&ids=2&words=x y&flags=p|q"

    seen = run(swagger2, scenario)

    assert seen["list_pets"] == {
        "limit": 5,
        "tags": ["a", "b"],
        "ids": [1, 2],
        "words": ["x", "y"],
        "flags": ["p", "q"],
    }


def test_global_parameter_limits_are_checked_by_the_server(swagger2: ModuleType) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        with pytest.raises(UnexpectedStatusError) as refused:
            await client.request(
                "GET", "/pets", params={"limit": "500"}, headers={"X-API-Key": KEY}
            )
        assert refused.value.status_code == 400

    run(swagger2, scenario)


def test_a_body_parameter_is_the_request_body_and_x_nullable_allows_null(
    swagger2: ModuleType,
) -> None:
    models = swagger2.models

    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        pet = await client.pets.create_pet(
            body=models.NewPet(name="Tom", nickname=None, owner=models.Owner(name="Ann"))
        )
        assert pet == models.Pet(id=7, name="Tom", nickname=None, owner=models.Owner(name="Ann"))
        assert sent[-1].headers["content-type"] == "application/json"
        assert b'"nickname":null' in sent[-1].content
        assert await client.pets.create_pet(body=models.NewPet(name="Ann", owner=None)) == (
            models.Pet(id=7, name="Ann", owner=None)
        )

    seen = run(swagger2, scenario)

    assert seen["create_pet"].nickname is None


def test_a_second_success_with_headers_and_an_inline_body(swagger2: ModuleType) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        response = await client.pets.create_pet_with_response(
            body=swagger2.models.NewPet(name="later")
        )
        assert (response.status_code, response.raw.headers["Location"]) == (202, "/pets/8")
        assert response.data == swagger2.models.CreatePetResponse202(queued=True)

    run(swagger2, scenario)


def test_a_global_response_reference_is_a_declared_error(swagger2: ModuleType) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        assert (await client.pets.get_pet(pet_id=7)).name == "Rex"
        with pytest.raises(DeclaredStatusError) as missing:
            await client.pets.get_pet(pet_id=3)
        assert missing.value.status_code == 404
        assert missing.value.body == swagger2.models.Error(message="no pet 3")

    run(swagger2, scenario)


def test_form_data_with_a_file_is_a_multipart_upload(swagger2: ModuleType) -> None:
    models = swagger2.models

    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        photo = await client.pets.upload_photo(
            pet_id=2, body=models.UploadPhotoRequest(file=b"12345", caption="hi")
        )
        assert photo == models.Photo(size=7, caption="hi")
        assert sent[-1].headers["content-type"].startswith("multipart/form-data; boundary=")

    run(swagger2, scenario)


def test_a_file_response_is_bytes(swagger2: ModuleType) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        assert await client.pets.get_photo(pet_id=3) == b"\x89PNG\x03"
        assert sent[-1].headers["accept"] == "image/png"

    run(swagger2, scenario)


def test_url_encoded_form_data_round_trips_with_repeated_fields(swagger2: ModuleType) -> None:
    models = swagger2.models

    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        pets = await client.search.search_pets(
            body=models.SearchPetsRequest(name="Rex", kinds=["cat", "dog"], ages=[1, 2, 3])
        )
        assert pets == [models.Pet(id=3, name="Rex")]
        assert sent[-1].headers["content-type"] == "application/x-www-form-urlencoded"
        fields = parse_qsl(sent[-1].content.decode())
        assert ("kinds", "cat") in fields
        assert ("kinds", "dog") in fields  # collectionFormat: multi

    seen = run(swagger2, scenario)

    assert seen["search_pets"].kinds == ["cat", "dog"]
    assert seen["search_pets"].ages == [1, 2, 3]


def test_security_definitions_become_client_keywords(swagger2: ModuleType) -> None:
    async def scenario(client: Any, sent: list[httpx.Request]) -> None:
        await client.pets.get_pet(pet_id=7)
        assert sent[-1].headers["X-API-Key"] == KEY

    run(swagger2, scenario)
    keywords = swagger2.client.Client.__init__.__kwdefaults__
    assert {"basic_auth", "api_key", "implicit_auth", "password_auth", "client_auth"} <= set(
        keywords
    )
    assert "code_auth" in keywords
