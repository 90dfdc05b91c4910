"""A 400 lists every problem of a request at once, each with where it is."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from specloom_runtime.operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec

if TYPE_CHECKING:
    from conftest import ServeOperation


class Pet(BaseModel):
    name: str
    age: int


UPDATE_PET = OperationSpec(
    name="update_pet",
    method="PUT",
    path="/pets/{pet-id}",
    params=(
        ParamSpec("pet_id", "pet-id", "path", int, required=True),
        ParamSpec("ids", "ids", "query", list[int], required=True, explode=False),
        ParamSpec("page", "page", "query", int, required=True),
        ParamSpec("version", "If-Match", "header", int),
        ParamSpec("session", "session", "cookie", int, required=True),
        ParamSpec("point", "point", "query", dict[str, int], style="deepObject", explode=True),
    ),
    body=BodySpec(Pet),
    responses=(ResponseSpec("204", content_type=None, is_success=True),),
)


def test_problems_in_every_location_are_reported_together(
    serve_operation: ServeOperation,
) -> None:
    called: list[Any] = []

    async def update_pet(**arguments: Any) -> None:
        called.append(arguments)

    client = serve_operation(UPDATE_PET, update_pet)

    response = client.put(
        "/pets/rex?ids=1,x,3&point[x]=1&point[y]=z",
        headers={"If-Match": "v1"},
        json={"name": "Rex", "age": "old"},
    )

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "about:blank"
    assert problem["title"] == "Bad Request"
    assert problem["status"] == 400
    assert problem["detail"] == "7 problems in the request"
    assert [(e["in"], e.get("name", e.get("pointer"))) for e in problem["errors"]] == [
        ("path", "pet-id"),
        ("query", "ids"),
        ("query", "page"),
        ("header", "If-Match"),
        ("cookie", "session"),
        ("query", "point"),
        ("body", "/age"),
    ]
    messages = {e.get("name", e.get("pointer")): e["message"] for e in problem["errors"]}
    assert messages["ids"].startswith("[1]: Input should be a valid integer")
    assert messages["point"].startswith("y: Input should be a valid integer")
    assert messages["page"] == "required query parameter is missing"
    assert messages["session"] == "required cookie parameter is missing"
    assert called == []


def test_a_single_problem_is_counted_in_the_singular(serve_operation: ServeOperation) -> None:
    client = serve_operation(UPDATE_PET, lambda **arguments: None)

    response = client.put(
        "/pets/1?ids=1&page=1", headers={"Cookie": "session=1"}, json={"name": "Rex", "age": 1.5}
    )

    assert response.json()["detail"] == "1 problem in the request"


def test_style_errors_are_problems_of_their_parameter(
    serve_operation: ServeOperation,
) -> None:
    operation = OperationSpec(
        name="probe",
        method="GET",
        path="/p/{id}",
        params=(ParamSpec("id", "id", "path", int, required=True, style="label"),),
    )
    client = serve_operation(operation, lambda **arguments: None)

    response = client.get("/p/5")

    assert response.json()["errors"] == [
        {"in": "path", "name": "id", "message": "a label-style value must start with '.'"}
    ]


def test_a_huge_number_of_problems_is_counted_but_only_the_first_hundred_listed(
    serve_operation: ServeOperation,
) -> None:
    operation = OperationSpec(name="probe", method="POST", path="/p", body=BodySpec(list[int]))
    client = serve_operation(operation, lambda **arguments: None)

    response = client.post("/p", json=["x"] * 1_000)

    assert response.json()["detail"] == "1000 problems in the request"
    assert len(response.json()["errors"]) == 100
