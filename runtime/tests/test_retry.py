"""Retries: the policy as a value, and the send loop of both cores on a mock transport."""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from specloom_runtime import (
    AsyncClientCore,
    ClientCore,
    RequestTimeout,
    RetryBudget,
    RetryPolicy,
    TransportError,
    UnexpectedStatusError,
)
from specloom_runtime.operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec
from specloom_runtime.retry import server_delay


class Pet(BaseModel):
    id: int
    name: str


GET_PET = OperationSpec(
    name="get_pet",
    method="GET",
    path="/pets/{petId}",
    params=(ParamSpec(name="pet_id", wire_name="petId", location="path", annotation=int),),
    responses=(ResponseSpec(status="200", annotation=Pet, is_success=True),),
)
CREATE_PET = OperationSpec(
    name="create_pet",
    method="POST",
    path="/pets",
    body=BodySpec(annotation=Pet),
    responses=(ResponseSpec(status="201", annotation=Pet, is_success=True),),
)
REX = {"id": 1, "name": "Rex"}
FAST = RetryPolicy(backoff=0.001, jitter=0)


class Script:
    """A mock server answering with the given responses (or raising errors) in turn."""

    def __init__(self, *steps: httpx.Response | Exception) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, Exception):
            raise step
        return httpx.Response(step.status_code, headers=step.headers, content=step.content)


Call = Callable[..., Any]


@pytest.fixture(params=["sync", "async"])
def core(request: pytest.FixtureRequest) -> Callable[..., Call]:
    """Make a core on a mock transport; give back a function sending one operation."""

    def make(script: Script, **options: Any) -> Call:
        transport = httpx.MockTransport(script)
        if request.param == "sync":
            sync_core = ClientCore(
                "https://api.test", http_client=httpx.Client(transport=transport), **options
            )
            return lambda operation, args, body=None: sync_core.send(operation, args, body)
        async_core = AsyncClientCore(
            "https://api.test", http_client=httpx.AsyncClient(transport=transport), **options
        )
        return lambda operation, args, body=None: asyncio.run(
            async_core.send(operation, args, body)
        )

    return make


def ok() -> httpx.Response:
    return httpx.Response(200, json=REX)


def status(code: int, **headers: str) -> httpx.Response:
    return httpx.Response(code, headers=headers, text="try later")


def test_503_503_200_gives_one_success_after_three_requests(core: Callable[..., Call]) -> None:
    script = Script(status(503), status(503), ok())
    response = core(script, retry=FAST)(GET_PET, {"pet_id": 1})
    assert response.data == Pet(id=1, name="Rex")
    assert len(script.requests) == 3


def test_the_final_error_says_how_many_attempts_were_made(core: Callable[..., Call]) -> None:
    script = Script(status(503))
    with pytest.raises(UnexpectedStatusError) as caught:
        core(script, retry=FAST)(GET_PET, {"pet_id": 1})
    assert caught.value.attempts == 3
    assert str(caught.value).endswith("(3 attempts)")
    assert len(script.requests) == 3


def test_retry_none_makes_one_request(core: Callable[..., Call]) -> None:
    script = Script(status(503), ok())
    with pytest.raises(UnexpectedStatusError) as caught:
        core(script, retry=None)(GET_PET, {"pet_id": 1})
    assert caught.value.attempts == 1
    assert "attempts" not in str(caught.value)
    assert len(script.requests) == 1


def test_the_default_policy_is_on(
    core: Callable[..., Call], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(time, "sleep", lambda seconds: None)
    monkeypatch.setattr("anyio.sleep", _no_async_sleep)
    script = Script(status(502), ok())
    assert core(script)(GET_PET, {"pet_id": 1}).data.name == "Rex"
    assert len(script.requests) == 2


async def _no_async_sleep(seconds: float) -> None:
    return None


def test_a_post_is_not_repeated_without_an_idempotency_key(core: Callable[..., Call]) -> None:
    script = Script(status(503), ok())
    with pytest.raises(UnexpectedStatusError) as caught:
        core(script, retry=FAST)(CREATE_PET, {}, Pet(id=1, name="Rex"))
    assert caught.value.status_code == 503
    assert len(script.requests) == 1


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_key(
    core: Callable[..., Call],
) -> None:
    script = Script(status(503), status(503), httpx.Response(201, json=REX))
    policy = dataclasses.replace(FAST, add_idempotency_key=True)
    core(script, retry=policy)(CREATE_PET, {}, Pet(id=1, name="Rex"))
    keys = {request.headers["Idempotency-Key"] for request in script.requests}
    assert len(script.requests) == 3
    assert len(keys) == 1
    assert all(request.content == script.requests[0].content for request in script.requests)


def test_the_idempotency_header_name_is_configurable(core: Callable[..., Call]) -> None:
    script = Script(status(500), httpx.Response(201, json=REX))
    policy = dataclasses.replace(FAST, add_idempotency_key=True, idempotency_header="X-Once")
    core(script, retry=policy)(CREATE_PET, {}, Pet(id=1, name="Rex"))
    assert script.requests[0].headers["X-Once"] == script.requests[1].headers["X-Once"]
    assert "Idempotency-Key" not in script.requests[0].headers
    assert len(script.requests) == 2


def test_connection_errors_are_retried_even_for_a_post(core: Callable[..., Call]) -> None:
    script = Script(httpx.ConnectError("refused"), httpx.Response(201, json=REX))
    core(script, retry=FAST)(CREATE_PET, {}, Pet(id=1, name="Rex"))
    assert len(script.requests) == 2


def test_a_post_that_may_have_reached_the_server_is_not_repeated(
    core: Callable[..., Call],
) -> None:
    script = Script(httpx.ReadError("connection reset"), httpx.Response(201, json=REX))
    with pytest.raises(TransportError) as caught:
        core(script, retry=FAST)(CREATE_PET, {}, Pet(id=1, name="Rex"))
    assert caught.value.attempts == 1
    assert len(script.requests) == 1


def test_timeouts_of_idempotent_calls_are_retried(core: Callable[..., Call]) -> None:
    script = Script(httpx.ReadTimeout("slow"))
    with pytest.raises(RequestTimeout) as caught:
        core(script, retry=FAST)(GET_PET, {"pet_id": 1})
    assert caught.value.attempts == 3
    assert str(caught.value).endswith("ReadTimeout: slow (3 attempts)")


def test_statuses_not_in_the_policy_are_not_retried(core: Callable[..., Call]) -> None:
    script = Script(status(503), ok())
    policy = dataclasses.replace(FAST, retry_statuses=[500])
    with pytest.raises(UnexpectedStatusError):
        core(script, retry=policy)(GET_PET, {"pet_id": 1})
    assert len(script.requests) == 1


def test_the_retry_budget_stops_retries_against_a_failing_server(
    core: Callable[..., Call],
) -> None:
    script = Script(status(503))
    call = core(script, retry=FAST, retry_budget=RetryBudget(max_tokens=4, token_ratio=0))
    for _ in range(3):
        with pytest.raises(UnexpectedStatusError):
            call(GET_PET, {"pet_id": 1})
    # 4 tokens: the first failure leaves 3 (> 2, retry), the second 2 (no retry), then none.
    assert len(script.requests) == 2 + 1 + 1


def test_retries_wait_what_the_server_asks_capped_by_max_delay(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    waits: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    script = Script(
        status(503, **{"retry-after-ms": "20"}), status(429, **{"Retry-After": "600"}), ok()
    )
    transport = httpx.MockTransport(script)
    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=transport),
        retry=RetryPolicy(max_delay=0.05),
    )
    core.send(GET_PET, {"pet_id": 1})
    assert len(script.requests) == 3
    assert waits[0] == 0.02
    # The 429 paused `get_pet` for max_delay (not 600 s); that pause is the only wait.
    assert 0.04 < sum(waits[1:]) <= 0.05


def test_backoff_doubles_up_to_max_delay_and_jitter_only_shortens_it() -> None:
    policy = RetryPolicy(backoff=0.5, max_delay=1.5, jitter=0)
    assert [policy.backoff_delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 1.5, 1.5]
    jittered = RetryPolicy(backoff=1, jitter=0.5)
    assert all(0.5 <= jittered.backoff_delay(1) <= 1 for _ in range(50))


def test_a_policy_is_an_immutable_value() -> None:
    policy = RetryPolicy(retry_statuses=[503])
    assert policy.retry_statuses == frozenset({503})
    assert RetryPolicy() == RetryPolicy()
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.max_attempts = 5  # type: ignore[misc]
    for bad in ({"max_attempts": 0}, {"jitter": 2}, {"backoff": -1}):
        with pytest.raises(ValueError, match="must"):
            RetryPolicy(**bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "soon"}, None),
        ({}, None),
    ],
)
def test_server_delay_reads_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert server_delay(httpx.Headers(headers)) == expected


def test_server_delay_reads_an_http_date() -> None:
    when = email.utils.formatdate(time.time() + 60, usegmt=True)
    delay = server_delay(httpx.Headers({"Retry-After": when}))
    assert delay is not None
    assert 55 < delay <= 60
