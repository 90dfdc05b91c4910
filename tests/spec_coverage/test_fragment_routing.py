"""Operations sharing a path and method, keyed with a fragment or a `:verb` suffix
(fixtures/round_trip/): the generated client sends what tells them apart, and the
generated server routes each request to its own handler."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import (
    FIXTURES,
    asgi_client,
    generated_package,
    raw_client,
    recording_api,
)
from specloom.config import GenerateConfig
from specloom.pipeline import generate


def _package(
    tmp_path_factory: pytest.TempPathFactory, spec: str, name: str
) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp(name)
    with generated_package(f"../round_trip/{spec}", name, root) as package:
        yield package


@pytest.fixture(scope="module")
def query_constants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package(tmp_path_factory, "query_constant_paths.yaml", "rt_query_constants")


@pytest.fixture(scope="module")
def query_names(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package(tmp_path_factory, "query_fragment_paths.yaml", "rt_query_names")


@pytest.fixture(scope="module")
def verbs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package(tmp_path_factory, "verb_suffix_paths.yaml", "rt_verbs")


@pytest.fixture(scope="module")
def overloads(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from _package(tmp_path_factory, "overload_media_paths.yaml", "rt_overloads")


def _recording_api(pkg: ModuleType, answers: dict[str, Any]) -> tuple[Any, list[str]]:
    """An implementation of every operation of `DefaultApi` that records the names of
    the handlers called and answers `answers[name]`."""
    api, calls = recording_api(pkg, answers)
    return api, calls.names


def _client_service(pkg: ModuleType) -> Any:
    return importlib.import_module(f"{pkg.__name__}._client.default").DefaultService


def test_a_query_constant_replaces_its_parameter(query_constants: ModuleType) -> None:
    operation = query_constants._operations.GET_CREATE_TAGS
    assert (operation.path, operation.query) == ("/", (("Action", "CreateTags"),))
    assert [p.wire_name for p in operation.params] == ["Resource", "Version"]
    parameters = inspect.signature(_client_service(query_constants).get_create_tags).parameters
    assert list(parameters) == ["self", "resource", "version"]
    assert not hasattr(query_constants.models, "GetCreateTagsAction")


def test_the_client_sends_the_query_constant(query_constants: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"created": "yes"})

    client = query_constants.client.Client(
        base_url="https://ec2.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    version = query_constants.models.GetCreateTagsVersion("2016-11-15")
    client.default.get_create_tags(resource="r-1", version=version)
    assert str(sent[0].url) == (
        "https://ec2.example.com/?Action=CreateTags&Resource=r-1&Version=2016-11-15"
    )


def test_a_required_single_value_enum_is_sent_unless_given(query_constants: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"created": "yes"})

    version = query_constants.models.GetCreateTagsVersion("2016-11-15")
    client = query_constants.client.Client(
        base_url="https://ec2.example.com",
        http_client=httpx.Client(transport=httpx.MockTransport(answer)),
    )
    method = _client_service(query_constants).get_create_tags
    assert inspect.signature(method).parameters["version"].default is version
    client.default.get_create_tags(resource="r-1")
    assert sent[0].url.params["Version"] == "2016-11-15"
    handler = inspect.signature(query_constants.server.DefaultApi.get_create_tags)
    assert handler.parameters["version"].default is inspect.Parameter.empty
    api, called = _recording_api(query_constants, {})

    async def without_version() -> int:
        async with raw_client(query_constants, api) as http:
            query = {"Action": "CreateTags", "Resource": "r"}
            return (await http.get("/", params=query)).status_code

    assert asyncio.run(without_version()) == 400
    assert called == []


def test_query_constants_route_each_operation(query_constants: ModuleType) -> None:
    models = query_constants.models
    answers = {
        "get_create_tags": models.GetCreateTagsResponse(created="get"),
        "post_create_tags": models.PostCreateTagsResponse(created="post"),
        "get_delete_tags": models.GetDeleteTagsResponse(deleted="yes"),
        "catalog_get_acl": models.CatalogGetAclResponse(entries=["alice"]),
        "catalog_grant_acl_entry": None,
        "catalog_revoke_acl_entry": None,
    }
    api, called = _recording_api(query_constants, answers)

    async def scenario() -> None:
        async with asgi_client(query_constants, api) as client:
            created = await client.default.get_create_tags(
                resource="r-1", version=models.GetCreateTagsVersion("2016-11-15")
            )
            assert created.created == "get"
            deleted = await client.default.get_delete_tags(
                resource="r-2", version=models.GetDeleteTagsVersion("2016-11-15")
            )
            assert deleted.deleted == "yes"
            posted = await client.default.post_create_tags(
                version=models.PostCreateTagsVersion("2016-11-15"),
                body=models.PostCreateTagsRequest(resource="r-3"),
            )
            assert posted.created == "post"
            assert (await client.default.catalog_get_acl()).entries == ["alice"]
            granted = models.CatalogGrantAclEntryRequest(principal="bob")
            await client.default.catalog_grant_acl_entry(body=granted)
            revoked = models.CatalogRevokeAclEntryRequest(principal="eve")
            await client.default.catalog_revoke_acl_entry(body=revoked)

    asyncio.run(scenario())
    assert called == [
        "get_create_tags",
        "get_delete_tags",
        "post_create_tags",
        "catalog_get_acl",
        "catalog_grant_acl_entry",
        "catalog_revoke_acl_entry",
    ]


def test_requests_without_the_constants_match_no_operation(query_constants: ModuleType) -> None:
    api, called = _recording_api(query_constants, {})

    async def scenario() -> None:
        async with raw_client(query_constants, api) as http:
            query = {"Resource": "r", "Version": "2016-11-15"}
            assert (await http.get("/", params=query)).status_code == 404
            unknown = await http.get("/", params={**query, "Action": "RebootInstances"})
            assert unknown.status_code == 404
            wrong_method = await http.put("/", params={**query, "Action": "CreateTags"})
            assert wrong_method.status_code == 405
            assert set(wrong_method.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST"}
            unknown_op = await http.post("/catalog/acl", params={"op": "DROP"}, json={})
            assert unknown_op.status_code == 404
            assert (await http.get("/nowhere")).status_code == 404

    asyncio.run(scenario())
    assert called == []


def test_a_required_query_parameter_tells_operations_apart(query_names: ModuleType) -> None:
    models = query_names.models
    assert query_names._operations.GET_DEVICE.path == "/devices/{id}"
    answers = {
        "get_device": models.GetDeviceResponse(name="by type"),
        "get_device_by_id": models.GetDeviceByIdResponse(id="by id"),
        "delete_device": None,
        "untag_device": None,
    }
    api, called = _recording_api(query_names, answers)

    async def scenario() -> None:
        async with asgi_client(query_names, api) as client:
            by_type = await client.default.get_device(
                id="d1", identifier_type=models.GetDeviceIdentifierType.SERIAL
            )
            assert by_type.name == "by type"
            assert (await client.default.get_device_by_id(id="d1")).id == "by id"
            by_id = await client.default.get_device_by_id(id="d1", verbose=True)
            assert by_id.id == "by id"
            await client.default.untag_device(id="d1", tag_keys=["colour"])
            await client.default.delete_device(id="d1")

    asyncio.run(scenario())
    assert called == [
        "get_device",
        "get_device_by_id",
        "get_device_by_id",
        "untag_device",
        "delete_device",
    ]


def test_a_literal_verb_suffix_comes_before_a_bare_variable(verbs: ModuleType) -> None:
    models = verbs.models
    names: list[tuple[str, str]] = []

    class Keys(verbs.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def get_key(self, *, name: str) -> Any:
            names.append(("get_key", name))
            return models.GetKeyResponse(name=name)

        async def verify_key(self, *, name: str) -> Any:
            names.append(("verify_key", name))
            return models.VerifyKeyResponse(name=name)

    async def scenario() -> None:
        async with asgi_client(verbs, Keys()) as client:
            assert (await client.default.verify_key(name="k1")).name == "k1"
            assert (await client.default.get_key(name="k1")).name == "k1"
            assert (await client.default.get_key(name="a:b")).name == "a:b"

    asyncio.run(scenario())
    assert names == [("verify_key", "k1"), ("get_key", "k1"), ("get_key", "a:b")]


def test_the_body_media_type_tells_overloads_apart(overloads: ModuleType) -> None:
    models = overloads.models
    answers = {
        "image_evaluate": models.ImageEvaluateResponse(source="none"),
        "image_evaluate_url_input": models.ImageEvaluateUrlInputResponse(source="url"),
        "image_evaluate_file_input": models.ImageEvaluateFileInputResponse(source="file"),
    }
    api, called = _recording_api(overloads, answers)

    async def scenario() -> None:
        async with asgi_client(overloads, api) as client:
            url = models.ImageEvaluateUrlInputRequest(value="https://example.com/cat.png")
            assert (await client.default.image_evaluate_url_input(body=url)).source == "url"
            image = b"\x89PNG\r\n"
            file = await client.default.image_evaluate_file_input(body=image, cache=True)
            assert file.source == "file"
            assert (await client.default.image_evaluate()).source == "none"
        async with raw_client(overloads, api) as http:
            jpeg = await http.post(
                "/images/evaluate", content=b"\xff\xd8", headers={"Content-Type": "image/jpeg"}
            )
            assert jpeg.json() == {"source": "file"}

    asyncio.run(scenario())
    assert called == [
        "image_evaluate_url_input",
        "image_evaluate_file_input",
        "image_evaluate",
        "image_evaluate_file_input",
    ]


@pytest.fixture(scope="module")
def indistinguishable(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("indistinguishable")
    spec = "indistinguishable_operations.yaml"
    with generated_package(spec, "cov_indistinguishable", root) as package:
        yield package


def test_operations_no_request_tells_apart_are_reported() -> None:
    spec = FIXTURES / "indistinguishable_operations.yaml"
    result = generate(spec, GenerateConfig(package_name="twins"))
    assert [(d.level.value, d.pointer, d.message) for d in result.diagnostics] == [
        (
            "warning",
            "/paths/~1files~1{file_id}#remove_shared_link/put",
            "PUT /files/{file_id}: the server cannot tell remove_shared_link from "
            "add_shared_link (PUT /files/{file_id}): no constant, required parameter, "
            "body media type or path parameter type differs; requests go to add_shared_link, and "
            "remove_shared_link is left out of the server (the client still has it)",
        )
    ]


def test_the_server_serves_the_first_and_the_client_keeps_both(
    indistinguishable: ModuleType,
) -> None:
    served = [operation.name for operation in indistinguishable.server.DefaultApi.operations]
    assert served == ["add_shared_link", "get_file", "get_file_fields"]
    client_methods = _client_service(indistinguishable)
    assert callable(client_methods.remove_shared_link)
    api, called = _recording_api(indistinguishable, dict.fromkeys(served))

    async def scenario() -> None:
        async with asgi_client(indistinguishable, api) as client:
            await client.default.remove_shared_link(file_id="f1")
            await client.default.get_file(id="f1")
            await client.default.get_file_fields(file_id="f1", fields="name")

    asyncio.run(scenario())
    assert called == ["add_shared_link", "get_file", "get_file_fields"]


def test_the_served_spec_documents_each_fragment_keyed_operation_under_its_own_key(
    query_names: ModuleType, query_constants: ModuleType
) -> None:
    implemented, _ = _recording_api(query_names, {})
    del type(implemented).untag_device  # 501 until implemented

    async def served(package: ModuleType, api: Any) -> Any:
        async with raw_client(package, api) as client:
            return (await client.get("/openapi.json")).json()["paths"]

    paths = asyncio.run(served(query_names, implemented))
    assert sorted(paths["/devices/{id}#tagKeys"]["delete"]["responses"]) == [
        "204",
        "400",
        "500",
        "501",
    ]
    assert sorted(paths["/devices/{id}"]["delete"]["responses"]) == ["204", "400", "500"]
    constants, _ = _recording_api(query_constants, {})
    paths = asyncio.run(served(query_constants, constants))
    grant = paths["/catalog/acl#op=GRANTACE"]["post"]["responses"]
    assert sorted(grant) == ["200", "400", "413", "415", "500"]
    assert "application/problem+json" in grant["415"]["content"]
    assert sorted(paths["/#Action=CreateTags"]["get"]["responses"]) == ["200", "400", "500"]


def test_path_parameters_of_one_type_through_an_alias_tell_nothing_apart(
    tmp_path: Path,
) -> None:
    # `$ref: ItemNumber` (an alias of int, with limits) and `type: integer` read alike: the
    # later operation is left out of the server, and the server starts (its dispatch
    # would refuse two operations it cannot tell apart).
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "twins", "version": "1"},
        "paths": {
            "/items/{number}": {
                "get": {
                    "operationId": "getByNumber",
                    "parameters": [_path_parameter("number", {"type": "integer"})],
                    "responses": {"204": {"description": "ok"}},
                }
            },
            "/items/{item}": {
                "get": {
                    "operationId": "getByItem",
                    "parameters": [
                        _path_parameter("item", {"$ref": "#/components/schemas/ItemNumber"})
                    ],
                    "responses": {"204": {"description": "ok"}},
                }
            },
        },
        "components": {"schemas": {"ItemNumber": {"type": "integer", "minimum": 1}}},
    }
    path = tmp_path / "twins.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    result = generate(path, GenerateConfig(package_name="twins"))
    [warning] = [d.message for d in result.diagnostics]
    assert "the server cannot tell get_by_item from get_by_number" in warning


def _path_parameter(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema}
