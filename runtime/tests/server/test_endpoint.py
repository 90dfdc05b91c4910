"""The per-operation endpoint, including its seam for checks run before a request is parsed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from specloom_runtime.operation import OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.server._endpoint import OperationEndpoint
from specloom_runtime.server._problems import problem_response

if TYPE_CHECKING:
    from starlette.testclient import TestClient

GET_SECRET = OperationSpec(
    name="get_secret",
    method="GET",
    path="/secret",
    params=(ParamSpec("level", "level", "query", int, required=True),),
    responses=(ResponseSpec("200", dict[str, int], is_success=True),),
)


async def require_token(request: Request) -> Response | None:
    if request.headers.get("authorization") == "Bearer good":
        return None
    return problem_response(401, "a bearer token is required")


def test_checks_answer_before_the_request_is_parsed_or_handled(
    client_of: Callable[[Starlette], TestClient],
) -> None:
    calls: list[Any] = []

    async def get_secret(**arguments: Any) -> dict[str, int]:
        calls.append(arguments)
        return {"level": arguments["level"]}

    endpoint = OperationEndpoint.build(GET_SECRET, get_secret, checks=[require_token])
    client = client_of(Starlette(routes=[Route("/secret", endpoint.__call__)]))

    denied = client.get("/secret?level=not-a-number")
    allowed = client.get("/secret?level=3", headers={"Authorization": "Bearer good"})

    assert denied.status_code == 401
    assert denied.json()["detail"] == "a bearer token is required"
    assert allowed.json() == {"level": 3}
    assert calls == [{"level": 3}]


def test_a_synchronous_handler_is_called_too(client_of: Callable[[Starlette], TestClient]) -> None:
    endpoint = OperationEndpoint.build(GET_SECRET, lambda level: {"level": level})
    client = client_of(Starlette(routes=[Route("/secret", endpoint.__call__)]))

    assert client.get("/secret?level=2").json() == {"level": 2}
