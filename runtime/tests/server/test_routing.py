"""Routing: binding implementations, paths, methods, and operations that are not implemented."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, ClassVar

import pytest
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse

from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server import NotImplementedOperation, build_app

if TYPE_CHECKING:
    from starlette.testclient import TestClient


class Pet(BaseModel):
    id: int
    name: str


PET_ID = ParamSpec("pet_id", "pet-id", "path", int, required=True)
GET_PET = OperationSpec(
    name="get_pet",
    method="GET",
    path="/pets/{pet-id}",
    params=(PET_ID,),
    responses=(ResponseSpec("200", Pet, is_success=True),),
)
DELETE_PET = OperationSpec(
    name="delete_pet",
    method="DELETE",
    path="/pets/{pet-id}",
    params=(PET_ID,),
    responses=(ResponseSpec("204", content_type=None, is_success=True),),
)
GET_MY_PET = OperationSpec(
    name="get_my_pet",
    method="GET",
    path="/pets/mine",
    responses=(ResponseSpec("200", Pet, is_success=True),),
)
GET_ORDER = OperationSpec(
    name="get_order",
    method="GET",
    path="/orders/{id}",
    params=(ParamSpec("id", "id", "path", int, required=True),),
    responses=(ResponseSpec("200", dict[str, int], is_success=True),),
)


class PetsApi:
    """As generated: one method per operation, each raising NotImplementedOperation."""

    operations: ClassVar[tuple[OperationSpec, ...]] = (GET_PET, DELETE_PET, GET_MY_PET)

    async def get_pet(self, *, pet_id: int) -> Pet:
        raise NotImplementedOperation("get_pet")

    async def delete_pet(self, *, pet_id: int) -> None:
        raise NotImplementedOperation("delete_pet")

    async def get_my_pet(self) -> Pet:
        raise NotImplementedOperation("get_my_pet")


class StoreApi:
    operations: ClassVar[tuple[OperationSpec, ...]] = (GET_ORDER,)

    async def get_order(self, *, id: int) -> dict[str, int]:
        raise NotImplementedOperation("get_order")


class Pets(PetsApi):
    deleted: ClassVar[list[int]] = []

    async def get_pet(self, *, pet_id: int) -> Pet:
        if pet_id == 0:
            raise HTTPException(418, "I am a teapot")
        return Pet(id=pet_id, name="Rex")

    async def delete_pet(self, *, pet_id: int) -> None:
        self.deleted.append(pet_id)

    async def get_my_pet(self) -> Pet:
        raise NotImplementedOperation("get_my_pet")


class Store(StoreApi):
    async def get_order(self, *, id: int) -> dict[str, int]:
        return {"id": id}


@pytest.fixture
def client(make_client: Any) -> TestClient:
    made: TestClient = make_client([Pets()], [PetsApi, StoreApi])
    return made


def test_operations_of_one_path_share_it_by_method(client: TestClient) -> None:
    assert client.get("/pets/1").json() == {"id": 1, "name": "Rex"}
    assert client.delete("/pets/2").status_code == 204
    assert Pets.deleted[-1] == 2


def test_a_method_not_served_on_a_path_is_405_with_allow(client: TestClient) -> None:
    response = client.post("/pets/1")

    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert set(response.headers["allow"].split(", ")) >= {"GET", "DELETE"}


def test_head_is_answered_by_get(client: TestClient) -> None:
    response = client.head("/pets/1")

    assert response.status_code == 200
    assert response.content == b""


def test_an_unknown_path_is_404_problem(client: TestClient) -> None:
    response = client.get("/nowhere")

    assert response.status_code == 404
    assert response.json()["title"] == "Not Found"


def test_concrete_paths_win_over_templates(client: TestClient) -> None:
    response = client.get("/pets/mine")

    assert response.status_code == 501
    assert response.json()["detail"] == "operation 'get_my_pet' is not implemented"


def test_an_api_class_without_implementation_answers_501(client: TestClient) -> None:
    response = client.get("/orders/1")

    assert response.status_code == 501
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Not Implemented"
    assert "get_order" in response.json()["detail"]


def test_an_operation_not_overridden_answers_501_without_reading_the_request(
    make_client: Any,
) -> None:
    class OnlyDelete(PetsApi):
        async def delete_pet(self, *, pet_id: int) -> None:
            pass

    client = make_client([OnlyDelete()], [PetsApi])

    response = client.get("/pets/not-even-an-int")

    assert response.status_code == 501
    assert "get_pet" in response.json()["detail"]


def test_an_http_exception_from_a_handler_keeps_its_status(client: TestClient) -> None:
    response = client.get("/pets/0")

    assert response.status_code == 418
    assert response.json()["detail"] == "I am a teapot"


def test_one_implementation_may_serve_several_api_classes(make_client: Any) -> None:
    class Everything(Pets, Store):
        pass

    client = make_client([Everything()], [PetsApi, StoreApi])

    assert client.get("/orders/3").json() == {"id": 3}
    assert client.get("/pets/3").json() == {"id": 3, "name": "Rex"}


def test_two_implementations_of_one_class_are_rejected() -> None:
    with pytest.raises(ValueError, match="two implementations of PetsApi"):
        build_app([Pets(), Pets()], [PetsApi])


def test_an_object_implementing_no_api_class_is_rejected() -> None:
    with pytest.raises(TypeError, match="Store is not an implementation of PetsApi"):
        build_app([Store()], [PetsApi])
    with pytest.raises(TypeError, match="pass an instance"):
        build_app([Pets], [PetsApi])


def test_a_class_without_operations_is_not_an_api_class() -> None:
    with pytest.raises(TypeError, match="Pet is not an API class"):
        build_app([], [Pet])


def test_two_operations_on_one_method_and_path_are_rejected(generated_api: Any) -> None:
    again = OperationSpec(name="fetch_pet", method="get", path="/pets/{pet-id}", params=(PET_ID,))

    with pytest.raises(
        ValueError, match=re.escape("GET /pets/{pet-id} is served by two operations")
    ):
        build_app([], [generated_api(GET_PET, again)])


def test_a_path_variable_needs_a_path_parameter(generated_api: Any) -> None:
    orphan = OperationSpec(name="orphan", method="GET", path="/things/{thing}")

    with pytest.raises(ValueError, match=re.escape("path variable {thing} has no path parameter")):
        build_app([], [generated_api(orphan)])


def test_a_concrete_path_without_the_method_leaves_the_request_to_a_template(
    client: TestClient,
) -> None:
    # /pets/mine serves GET only: DELETE /pets/mine is delete_pet's, with "mine" as its id.
    response = client.delete("/pets/mine")

    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "pet-id"


def test_routes_are_found_by_name(client: TestClient) -> None:
    app: Any = client.app

    assert app.url_path_for("get_my_pet") == "/pets/mine"
    assert app.url_path_for("get_pet|delete_pet", pet_id="7") == "/pets/7"


def test_a_route_added_to_the_app_is_served_after_the_operations(make_client: Any) -> None:
    client = make_client([Pets()], [PetsApi])
    client.app.add_route("/pets/mine/photo", lambda request: PlainTextResponse("photo"))

    assert client.get("/pets/mine/photo").text == "photo"
    assert client.get("/pets/3").json() == {"id": 3, "name": "Rex"}
