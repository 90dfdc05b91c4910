"""Parameters whose annotation carries limits, as generated for a schema with `minimum`,
`maxLength`, `pattern`, ... (`Annotated[int, Field(ge=1, le=100)]`): the server answers a
value outside them with a 400 naming the parameter; the client sends them as plain values."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any

import pytest
from pydantic import Field

from specloom_runtime.client import ClientCore
from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.serialization import encode_cookie, encode_header, encode_query

if TYPE_CHECKING:
    from conftest import ServeOperation

Code = Annotated[str, Field(pattern="^[A-Z]{3}$")]
Limit = Annotated[int, Field(ge=1, le=100)]
Days = Annotated[list[datetime.date], Field(min_length=1, max_length=2)]
Ratio = Annotated[float, Field(gt=0, lt=1)]
PageSize = Annotated[int | None, Field(multiple_of=10)]

SEARCH = OperationSpec(
    name="search",
    method="GET",
    path="/items/{code}",
    params=(
        ParamSpec("code", "code", "path", Code, required=True),
        ParamSpec("limit", "limit", "query", Limit, default=10),
        ParamSpec("days", "days", "query", Days, explode=False),
        ParamSpec("ratio", "X-Ratio", "header", Ratio),
        ParamSpec("page_size", "page-size", "cookie", PageSize),
    ),
    responses=(ResponseSpec(status="204", content_type=None, is_success=True),),
)


@pytest.fixture
def received() -> list[dict[str, Any]]:
    return []


@pytest.fixture
def served(serve_operation: ServeOperation, received: list[dict[str, Any]]) -> Any:
    async def search(**arguments: Any) -> None:
        received.append(arguments)

    return serve_operation(SEARCH, search)


def test_values_within_the_limits_reach_the_handler_typed(
    served: Any, received: list[dict[str, Any]]
) -> None:
    core = ClientCore("", http_client=served)
    arguments = {
        "code": "ABC",
        "limit": 100,
        "days": [datetime.date(2024, 1, 2), datetime.date(2024, 1, 3)],
        "ratio": 0.5,
        "page_size": 20,
    }

    response = core.send(SEARCH, arguments)

    assert response.status_code == 204
    assert received == [arguments]


def test_an_absent_parameter_gets_its_default(served: Any, received: list[dict[str, Any]]) -> None:
    assert served.get("/items/ABC").status_code == 204
    assert received[0]["limit"] == 10


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "Input should be greater than or equal to 1"),
        ("1000", "Input should be less than or equal to 100"),
    ],
)
def test_a_value_out_of_range_is_a_problem_of_its_parameter(
    served: Any, received: list[dict[str, Any]], limit: str, message: str
) -> None:
    response = served.get("/items/ABC", params={"limit": limit})

    assert response.status_code == 400
    assert response.json()["errors"] == [{"in": "query", "name": "limit", "message": message}]
    assert received == []


def test_every_broken_limit_is_reported_with_its_parameter(
    served: Any, received: list[dict[str, Any]]
) -> None:
    response = served.get(
        "/items/abc",
        params={"limit": "101", "days": "2024-01-01,2024-01-02,2024-01-03"},
        headers={"X-Ratio": "1", "Cookie": "page-size=15"},
    )

    assert response.status_code == 400
    problems = [(e["in"], e["name"], e["message"]) for e in response.json()["errors"]]
    assert problems == [
        ("path", "code", "String should match pattern '^[A-Z]{3}$'"),
        ("query", "limit", "Input should be less than or equal to 100"),
        ("query", "days", "List should have at most 2 items after validation, not 3"),
        ("header", "X-Ratio", "Input should be less than 1"),
        ("cookie", "page-size", "Input should be a multiple of 10"),
    ]
    assert received == []


def test_the_client_encodes_annotated_values_like_plain_ones() -> None:
    days, ratio, page_size = SEARCH.params[2:]
    dates = [datetime.date(2024, 1, 2), datetime.date(2024, 1, 3)]

    assert encode_query(days, dates) == [("days", "2024-01-02,2024-01-03")]
    assert encode_header(ratio, 0.25) == "0.25"
    assert encode_cookie(page_size, 20) == [("page-size", "20")]
