"""Parameters through a served app: every location and style, decoded and validated."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

from specloom_runtime.client import build_request
from specloom_runtime.operation import OperationSpec, ParameterLocation, ParamSpec, ResponseSpec

if TYPE_CHECKING:
    from conftest import ServeOperation

ECHO = (ResponseSpec(status="200", annotation=dict[str, Any], is_success=True),)


async def echo(**arguments: Any) -> dict[str, Any]:
    return arguments


class Status(str, enum.Enum):
    AVAILABLE = "available"
    ADOPTED = "adopted"


class Filter(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    role: str
    first_name: str = Field(alias="firstName")
    tags: list[str] = []


def recorder(received: dict[str, Any]) -> Callable[..., Awaitable[dict[str, Any]]]:
    """A handler that puts the arguments it is called with in `received`."""

    async def handler(**arguments: Any) -> dict[str, Any]:
        received.update(arguments)
        return {}

    return handler


def operation(path: str, *params: ParamSpec) -> OperationSpec:
    return OperationSpec(name="probe", method="GET", path=path, params=params, responses=ECHO)


def test_path_parameter_with_a_wire_name_that_is_not_an_identifier(
    serve_operation: ServeOperation,
) -> None:
    pet_id = ParamSpec("pet_id", "pet-id", "path", int, required=True)
    client = serve_operation(operation("/pets/{pet-id}/photo", pet_id), echo)

    response = client.get("/pets/42/photo")

    assert response.status_code == 200
    assert response.json() == {"pet_id": 42}


def test_path_styles(serve_operation: ServeOperation) -> None:
    client = serve_operation(
        operation(
            "/things/{ids}/{point}/{filter}",
            ParamSpec("ids", "ids", "path", list[int], required=True, style="label", explode=True),
            ParamSpec("point", "point", "path", dict[str, int], required=True, style="matrix"),
            ParamSpec("filter", "filter", "path", Filter, required=True, explode=True),
        ),
        echo,
    )

    response = client.get("/things/.3.4.5/;point=x,1,y,2/role=admin,firstName=Alex")

    assert response.json() == {
        "ids": [3, 4, 5],
        "point": {"x": 1, "y": 2},
        "filter": {"role": "admin", "firstName": "Alex"},
    }


def test_query_styles(serve_operation: ServeOperation) -> None:
    client = serve_operation(
        operation(
            "/search",
            ParamSpec("exploded", "exploded", "query", list[int]),
            ParamSpec("commas", "commas", "query", list[int], explode=False),
            ParamSpec("spaces", "spaces", "query", list[str], style="spaceDelimited"),
            ParamSpec("pipes", "pipes", "query", list[str], style="pipeDelimited"),
            ParamSpec("deep", "deep", "query", Filter, style="deepObject", explode=True),
        ),
        echo,
    )

    response = client.get(
        "/search?exploded=1&exploded=2&commas=3,4&spaces=a%20b&pipes=c|d"
        "&deep[role]=admin&deep[firstName]=Alex&deep[tags]=x&deep[tags]=y&unknown=ignored"
    )

    assert response.status_code == 200
    assert response.json() == {
        "exploded": [1, 2],
        "commas": [3, 4],
        "spaces": ["a", "b"],
        "pipes": ["c", "d"],
        "deep": {"role": "admin", "firstName": "Alex", "tags": ["x", "y"]},
    }


def test_exploded_form_object_takes_its_fields_from_the_whole_query(
    serve_operation: ServeOperation,
) -> None:
    client = serve_operation(
        operation(
            "/search",
            ParamSpec("filter", "filter", "query", Filter, required=True),
            ParamSpec("limit", "limit", "query", int),
        ),
        echo,
    )

    response = client.get("/search?role=admin&firstName=Alex&limit=5&tags=a&tags=b&page=2")

    assert response.json() == {
        "filter": {"role": "admin", "firstName": "Alex", "tags": ["a", "b"]},
        "limit": 5,
    }


def test_an_exploded_map_leaves_the_fields_of_exploded_objects_to_them(
    serve_operation: ServeOperation,
) -> None:
    """A map takes any key, but not one another exploded object declares: that pair is
    the object's (the client refuses to send such a key in the map)."""
    received: dict[str, Any] = {}
    client = serve_operation(
        operation(
            "/queues",
            ParamSpec("attributes", "Attributes", "query", dict[str, str]),
            ParamSpec("filter", "filter", "query", Filter),
        ),
        recorder(received),
    )

    client.get("/queues?role=admin&firstName=Alex&DelaySeconds=5")

    assert received == {
        "attributes": {"DelaySeconds": "5"},
        "filter": Filter(role="admin", firstName="Alex"),
    }


def test_headers_are_case_insensitive_and_arrays_are_comma_separated(
    serve_operation: ServeOperation,
) -> None:
    client = serve_operation(
        operation(
            "/h",
            ParamSpec("request_id", "X-Request-Id", "header", int, required=True),
            ParamSpec("tags", "X-Tags", "header", list[str]),
        ),
        echo,
    )

    response = client.get(
        "/h", headers=[("x-request-id", "7"), ("X-TAGS", "a, b"), ("x-tags", "c")]
    )

    assert response.json() == {"request_id": 7, "tags": ["a", "b", "c"]}


def test_cookies(serve_operation: ServeOperation) -> None:
    client = serve_operation(
        operation(
            "/c",
            ParamSpec("session", "session", "cookie", int, required=True),
            ParamSpec("ids", "ids", "cookie", list[int], explode=False),
        ),
        echo,
    )

    response = client.get("/c", headers={"Cookie": "session=12; ids=1,2,3; other=x"})

    assert response.json() == {"session": 12, "ids": [1, 2, 3]}


def test_every_parameter_is_passed_absent_ones_as_their_default_or_none(
    serve_operation: ServeOperation,
) -> None:
    received: dict[str, Any] = {}
    handler = recorder(received)

    client = serve_operation(
        operation(
            "/d",
            ParamSpec("limit", "limit", "query", int, default=20),
            ParamSpec("status", "status", "query", Status, default="available"),
            ParamSpec("tags", "tags", "query", list[str]),
            ParamSpec("trace", "X-Trace", "header", str),
            ParamSpec("session", "session", "cookie", str),
        ),
        handler,
    )

    assert client.get("/d").status_code == 200
    assert received == {
        "limit": 20,
        "status": Status.AVAILABLE,
        "tags": None,
        "trace": None,
        "session": None,
    }


def test_values_are_converted_to_their_annotated_type(serve_operation: ServeOperation) -> None:
    received: dict[str, Any] = {}
    handler = recorder(received)

    client = serve_operation(
        operation(
            "/v",
            ParamSpec("status", "status", "query", Status),
            ParamSpec("flag", "flag", "query", bool),
            ParamSpec("filter", "filter", "query", Filter, style="deepObject", explode=True),
        ),
        handler,
    )

    client.get("/v?status=adopted&flag=true&filter[role]=a&filter[firstName]=b")

    assert received == {
        "status": Status.ADOPTED,
        "flag": True,
        "filter": Filter.model_validate({"role": "a", "first_name": "b"}),
    }


class Owner(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    name: str
    nicknames: list[str] = []


class Listing(BaseModel):
    """An object with object, array-of-object and map fields: JSON text when exploded."""

    owner: Owner | None = None
    previous: list[Owner] = []
    labels: list[str] = []
    counts: dict[str, int] = {}


TRICKY = 'a,b|c d&e=f;g "h" {i} [j] \\'  # ASCII: httpx sends headers as ASCII
OWNERS = [Owner(name=TRICKY, nicknames=["x,y", "]"]), Owner(name="{")]


@pytest.mark.parametrize(
    ("location", "style", "explode"),
    [
        ("query", "form", True),
        ("query", "form", False),
        ("query", "spaceDelimited", False),
        ("query", "pipeDelimited", False),
        ("header", "simple", False),
        ("cookie", "form", True),
        ("cookie", "form", False),
    ],
)
def test_objects_in_arrays_and_maps_read_as_the_client_writes_them(
    serve_operation: ServeOperation, location: ParameterLocation, style: str, explode: bool
) -> None:
    received: dict[str, Any] = {}
    handler = recorder(received)

    owners = ParamSpec("owners", "owners", location, list[Owner], style=style, explode=explode)
    by_role = ParamSpec("by_role", "byRole", location, dict[str, Owner], explode=explode)
    if style in ("spaceDelimited", "pipeDelimited"):
        by_role = ParamSpec("by_role", "byRole", location, dict[str, Owner], explode=False)
    specs = (owners, by_role)
    values = {"owners": OWNERS, "by_role": {"lead": OWNERS[0], "second": OWNERS[1]}}
    client = serve_operation(operation("/o", *specs), handler)

    request = build_request(httpx.Client(), "http://testserver", operation("/o", *specs), values)
    response = client.get(str(request.url), headers=dict(request.headers))

    assert response.status_code == 200, response.json()
    assert received == values


def test_object_fields_of_an_exploded_form_object_read_as_the_client_writes_them(
    serve_operation: ServeOperation,
) -> None:
    received: dict[str, Any] = {}
    handler = recorder(received)

    spec = ParamSpec("listing", "listing", "query", Listing)
    sent = Listing(owner=OWNERS[0], previous=OWNERS, labels=["p,q", "r"], counts={"a,b": 2})
    client = serve_operation(operation("/l", spec), handler)

    request = build_request(
        httpx.Client(), "http://testserver", operation("/l", spec), {"listing": sent}
    )
    response = client.get(str(request.url))

    assert response.status_code == 200, response.json()
    assert received == {"listing": sent}


def test_a_scalar_union_reads_a_text_as_its_first_member_that_accepts_it(
    serve_operation: ServeOperation,
) -> None:
    # github's workflow_id, `oneOf: [integer, string]`: the client writes the integer 1 as `1`.
    received: dict[str, Any] = {}
    client = serve_operation(
        operation(
            "/workflows/{workflow_id}",
            ParamSpec("workflow_id", "workflow_id", "path", int | str, required=True),
            ParamSpec("since", "since", "query", str | int),
            ParamSpec("limit", "X-Limit", "header", Annotated[int, Field(ge=10)] | bool | str),
            ParamSpec("flag", "flag", "query", Annotated[int, Field(ge=10)] | bool),
            ParamSpec("ids", "ids", "query", list[float | str]),
        ),
        recorder(received),
    )

    def read(url: str, **headers: str) -> dict[str, Any]:
        received.clear()
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        return received

    assert read("/workflows/1", **{"X-Limit": "12"}) == {
        "workflow_id": 1,
        "since": None,
        "limit": 12,
        "flag": None,
        "ids": None,
    }
    assert read("/workflows/main.yml")["workflow_id"] == "main.yml"
    assert read("/workflows/1?since=1")["since"] == "1"  # the string comes first
    assert read("/workflows/1", **{"X-Limit": "1"})["limit"] == "1"  # below the integer's limit
    assert read("/workflows/1", **{"X-Limit": "true"})["limit"] is True
    assert read("/workflows/1", **{"X-Limit": "1.5"})["limit"] == "1.5"
    assert read("/workflows/1?flag=true")["flag"] is True
    assert read("/workflows/1?ids=1&ids=x&ids=2.5")["ids"] == [1, "x", 2.5]
    # No member takes these as JSON would write them; pydantic's lax reading would.
    for refused in ("flag=1", "flag=yes", "flag=%2B12", "flag=1_000"):
        assert client.get(f"/workflows/1?{refused}").status_code == 400, refused


def test_literal_parameters_read_their_texts_as_the_client_writes_their_values(
    serve_operation: ServeOperation,
) -> None:
    # S3's `?uploads` flag is `{type: boolean, enum: [true]}`: typed `Literal[True]`, which
    # the client writes `true`; an integer enum of one value is `Literal[2]`.
    received: dict[str, Any] = {}
    probe = operation(
        "/objects/{key}",
        ParamSpec("key", "key", "path", str, required=True),
        ParamSpec("uploads", "uploads", "query", Literal[True], required=True),
        ParamSpec("version", "X-Version", "header", Literal[2]),
        ParamSpec("mode", "mode", "query", Literal["fast", 1]),
    )
    client = serve_operation(probe, recorder(received))
    values = {"key": "a", "uploads": True, "version": 2, "mode": 1}

    request = build_request(httpx.Client(), "http://testserver", probe, values)
    response = client.get(str(request.url), headers=dict(request.headers))

    assert response.status_code == 200, response.json()
    assert received == values
    assert client.get("/objects/a?uploads=false").status_code == 400
    assert client.get("/objects/a?uploads=true&mode=fast").status_code == 200
    assert received["mode"] == "fast"
