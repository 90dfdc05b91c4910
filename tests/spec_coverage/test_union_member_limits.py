"""Each alternative of a scalar union keeps its own limits, in models and parameters, on
both sides (fixtures/coverage/union_member_limits.yaml), and so does each type of a 3.1
type list (fixtures/coverage/type_list_limits.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from spec_coverage.generated import asgi_client, generated_package, raw_client
from specloom_runtime.errors import InvalidRequest
from specloom_runtime.serialization import ParameterValueError


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("union_member_limits")
    with generated_package("union_member_limits.yaml", "cov_union_member_limits", root) as package:
        yield package


@pytest.mark.parametrize(
    "value",
    [
        {"key": "x"},  # the string alternative's minLength
        {"key": "abcde"},  # its maxLength
        {"key": 0},  # the integer alternative's minimum
        {"key": "ab", "tags": ["no-hash"]},  # an item's pattern
        {"key": "ab", "tags": [0]},  # an item's exclusive minimum
    ],
)
def test_model_refuses_what_every_alternative_refuses(pkg: ModuleType, value: Any) -> None:
    workflow = pkg.models.Workflow
    assert workflow.model_validate({"key": "ab", "tags": ["#ci", 0.5]}).key == "ab"
    assert workflow.model_validate({"key": 7}).key == 7
    with pytest.raises(pydantic.ValidationError):
        workflow.model_validate(value)


def test_client_checks_each_alternative_before_sending(pkg: ModuleType) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"key": 1})

    http_client = httpx.Client(transport=httpx.MockTransport(answer))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    body = pkg.models.Workflow(key=1)
    for arguments in (
        {"workflow_id": 9},  # below the integer alternative's minimum
        {"workflow_id": "ci.yaml"},  # not the string alternative's pattern
        {"workflow_id": 10, "since": "abcdef"},  # longer than the string's maxLength
        {"workflow_id": 10, "since": 100},  # above the integer's maximum
    ):
        with pytest.raises(InvalidRequest) as refused:
            client.default.put_workflow(**arguments, body=body)
        assert isinstance(refused.value.__cause__, ParameterValueError)
    assert sent == []
    client.default.put_workflow(workflow_id="ci.yml", since=99, body=body)
    assert (sent[0].url.path, sent[0].url.params["since"]) == ("/workflows/ci.yml", "99")


class Workflows:
    def __init__(self, pkg: ModuleType) -> None:
        class Impl(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def put_workflow(self, *, workflow_id: Any, since: Any = None, body: Any) -> Any:
                return body

        self.api = Impl()


def test_round_trip_and_server_side_limits(pkg: ModuleType) -> None:
    async def scenario() -> None:
        async with asgi_client(pkg, Workflows(pkg).api) as client:
            body = pkg.models.Workflow(key="abc", tags=["#x", 2.5])
            assert await client.default.put_workflow(workflow_id=12, since="ab", body=body) == body
        async with raw_client(pkg, Workflows(pkg).api) as http:
            body = {"key": "abc"}
            assert (await http.put("/workflows/12?since=ab", json=body)).status_code == 200
            assert (await http.put("/workflows/9", json=body)).status_code == 400
            assert (await http.put("/workflows/ci.yaml", json=body)).status_code == 400
            assert (await http.put("/workflows/12?since=abcdef", json=body)).status_code == 400
            assert (await http.put("/workflows/12", json={"key": 0})).status_code == 400

    asyncio.run(scenario())


def test_each_type_of_a_type_list_keeps_the_limits_that_apply_to_it(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = tmp_path_factory.mktemp("type_list_limits")
    with generated_package("type_list_limits.yaml", "cov_type_list_limits", root) as package:
        size = package.models.Size
        assert [size.model_validate({"size": v}).size for v in ("ab", 1, None)] == ["ab", 1, None]
        for refused in ("AB", 0):
            with pytest.raises(pydantic.ValidationError):
                size.model_validate({"size": refused})

        class Sizes(package.server.DefaultApi):  # type: ignore[misc, name-defined]
            async def post_size(self, *, body: Any) -> None:
                return None

        async def scenario() -> None:
            async with raw_client(package, Sizes()) as http:
                assert (await http.post("/sizes", json={"size": "ab"})).status_code == 204
                assert (await http.post("/sizes", json={"size": "AB"})).status_code == 400

        asyncio.run(scenario())
