"""Client-side rate limits: the booking rules on a fake clock, then real threads and tasks."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from specloom_runtime import AsyncClientCore, ClientCore, RateLimit, RateLimited
from specloom_runtime.operation import OperationSpec, ResponseSpec
from specloom_runtime.throttle import Throttle, quota_reset


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def waits(throttle: Throttle, *calls: str, weight: int | None = None) -> list[float]:
    return [throttle.reserve(call, weight)[1] for call in calls]


def test_a_limit_lets_n_calls_through_per_interval() -> None:
    clock = Clock()
    throttle = Throttle([RateLimit("get_pet", limit=2, interval=1.0)], clock=clock)
    assert waits(throttle, "get_pet", "get_pet", "get_pet", "get_pet", "get_pet") == [
        0,
        0,
        1.0,
        1.0,
        2.0,
    ]
    clock.now += 10
    assert waits(throttle, "get_pet") == [0]


def test_other_operations_are_not_limited_unless_star_covers_them() -> None:
    throttle = Throttle([RateLimit("get_pet", limit=1, interval=1.0)], clock=Clock())
    assert waits(throttle, "get_pet", "list_pets", "list_pets", "get_pet") == [0, 0, 0, 1.0]
    everything = Throttle([RateLimit("*", limit=2, interval=1.0)], clock=Clock())
    assert waits(everything, "get_pet", "list_pets", "delete_pet") == [0, 0, 1.0]


def test_weights_and_linked_limits_count_against_each_limit() -> None:
    throttle = Throttle(
        [
            RateLimit("weight", limit=10, interval=60.0),
            RateLimit("search", limit=100, interval=1.0, linked=[("weight", 4)]),
            RateLimit("get_pet", limit=100, interval=1.0, weight=2, linked=[("weight", 1)]),
        ],
        clock=Clock(),
    )
    # search takes 4 of the 10 `weight`: two fit, the third waits for the window to move.
    assert waits(throttle, "search", "search", "get_pet", "get_pet", "search") == [
        0,
        0,
        0,
        0,
        60.0,
    ]


def test_a_per_call_weight_replaces_the_weight_on_the_own_limit() -> None:
    throttle = Throttle([RateLimit("list_pets", limit=10, interval=1.0)], clock=Clock())
    assert waits(throttle, "list_pets", weight=6) == [0]
    assert waits(throttle, "list_pets", weight=5) == [1.0]
    star = Throttle([RateLimit("*", limit=3, interval=1.0)], clock=Clock())
    assert waits(star, "get_pet", weight=3) + waits(star, "get_pet") == [0, 1.0]


def test_calls_go_in_arrival_order_so_a_heavy_call_does_not_starve() -> None:
    throttle = Throttle([RateLimit("*", limit=4, interval=1.0)], clock=Clock())
    assert waits(throttle, "a", "a", "a") == [0, 0, 0]
    heavy = throttle.reserve("b", 4)[1]
    light = throttle.reserve("a", 1)[1]
    assert heavy == 1.0
    assert light >= heavy


def test_a_woken_call_goes_only_when_the_calls_ahead_went_long_enough_ago() -> None:
    clock = Clock()
    throttle = Throttle([RateLimit("get_pet", limit=1, interval=1.0)], clock=clock)
    first, _ = throttle.reserve("get_pet")
    second, wait = throttle.reserve("get_pet")
    assert wait == 1.0
    clock.now += 0.5
    assert throttle.ready(first) == 0  # the first call woke late and went at 100.5
    clock.now += 0.5
    assert throttle.ready(second) == 0.5  # so the second waits until 101.5
    clock.now += 0.5
    assert throttle.ready(second) == 0


def test_a_cancelled_call_gives_its_place_back() -> None:
    throttle = Throttle([RateLimit("get_pet", limit=1, interval=5.0)], clock=Clock())
    ticket, _ = throttle.reserve("get_pet")
    throttle.cancel(ticket)
    assert waits(throttle, "get_pet", "get_pet") == [0, 5.0]


def test_a_pause_holds_the_limit_id_until_the_reset() -> None:
    clock = Clock()
    throttle = Throttle([], clock=clock)
    assert not throttle.active
    throttle.pause("get_pet", 3.0)
    assert throttle.active
    assert waits(throttle, "get_pet", "list_pets") == [3.0, 0]


def test_limits_are_checked_when_declared() -> None:
    with pytest.raises(ValueError, match="not declared"):
        Throttle([RateLimit("search", limit=1, interval=1.0, linked=[("weight", 1)])])
    with pytest.raises(ValueError, match="at least 1"):
        RateLimit("x", limit=0, interval=1.0)
    with pytest.raises(ValueError, match="never fits"):
        Throttle([RateLimit("x", limit=2, interval=1.0)]).reserve("x", 3)
    with pytest.raises(ValueError, match="negative"):
        RateLimit("x", limit=2, interval=1.0, linked=[("y", -1)])


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"Retry-After": "7"}, 7.0),
        (200, {"RateLimit-Remaining": "0", "RateLimit-Reset": "12"}, 12.0),
        (200, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "3"}, 3.0),
        (200, {"RateLimit": '"default";r=0;t=30'}, 30.0),
        (200, {"RateLimit": "limit=10, remaining=0, reset=4"}, 4.0),
        (200, {"RateLimit": "limit=10, remaining=3, reset=4"}, None),
        (200, {"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "3"}, None),
        (429, {}, None),
    ],
)
def test_quota_reset_reads_rate_limit_headers(
    status: int, headers: dict[str, str], expected: float | None
) -> None:
    assert quota_reset(httpx.Response(status, headers=headers)) == expected


def test_quota_reset_reads_a_unix_time() -> None:
    response = httpx.Response(
        200, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(time.time() + 20)}
    )
    reset = quota_reset(response)
    assert reset is not None
    assert 15 < reset <= 20


class Pet(BaseModel):
    id: int


GET_PET = OperationSpec(
    name="get_pet",
    method="GET",
    path="/pet",
    responses=(ResponseSpec(status="200", annotation=Pet, is_success=True),),
)


class Stamps:
    """A mock server noting when each request arrived (monotonic seconds)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.times.append(time.monotonic())
        return httpx.Response(200, json={"id": 1})


def most_in_any_window(times: list[float], interval: float) -> int:
    ordered = sorted(times)
    return max(
        sum(1 for other in ordered[i:] if other < start + interval)
        for i, start in enumerate(ordered)
    )


LIMIT, INTERVAL = 20, 0.25


def test_a_limit_holds_under_50_threads() -> None:
    stamps = Stamps()
    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(stamps)),
        rate_limits=[RateLimit("get_pet", limit=LIMIT, interval=INTERVAL)],
    )
    threads = [
        threading.Thread(target=lambda: [core.send(GET_PET, {}) for _ in range(2)])
        for _ in range(50)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(stamps.times) == 100
    assert most_in_any_window(stamps.times, INTERVAL) <= LIMIT * 1.1
    # 100 calls at 20 per window need at least 4 windows after the first burst.
    assert max(stamps.times) - min(stamps.times) >= 4 * INTERVAL * 0.99


def test_a_limit_holds_under_50_tasks() -> None:
    stamps = Stamps()

    async def run() -> None:
        core = AsyncClientCore(
            "https://api.test",
            http_client=httpx.AsyncClient(transport=httpx.MockTransport(stamps)),
            rate_limits=[RateLimit("*", limit=LIMIT, interval=INTERVAL)],
        )

        async def caller() -> None:
            for _ in range(2):
                await core.send(GET_PET, {})

        await asyncio.gather(*(caller() for _ in range(50)))

    asyncio.run(run())
    assert len(stamps.times) == 100
    assert most_in_any_window(stamps.times, INTERVAL) <= LIMIT * 1.1
    assert max(stamps.times) - min(stamps.times) >= 4 * INTERVAL * 0.99


def test_a_wait_past_the_deadline_raises_rate_limited() -> None:
    stamps = Stamps()
    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(stamps)),
        rate_limits=[RateLimit("get_pet", limit=1, interval=60.0)],
        deadline=5.0,
    )
    core.send(GET_PET, {})
    with pytest.raises(RateLimited) as caught:
        core.send(GET_PET, {})
    assert caught.value.limit_ids == ["get_pet"]
    assert caught.value.wait > 5.0
    assert "'get_pet'" in str(caught.value)
    assert len(stamps.times) == 1


def test_max_in_flight_bounds_concurrent_calls() -> None:
    seen: list[int] = []
    lock = threading.Lock()
    in_flight = 0
    release = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight
        with lock:
            in_flight += 1
            seen.append(in_flight)
        release.wait(0.05)
        with lock:
            in_flight -= 1
        return httpx.Response(200, json={"id": 1})

    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        max_in_flight=3,
    )
    threads = [threading.Thread(target=core.send, args=(GET_PET, {})) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 12
    assert max(seen) == 3


def test_a_429_pauses_the_operation_for_later_calls() -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "30"}), httpx.Response(200)])

    def handler(request: httpx.Request) -> Any:
        return next(answers, httpx.Response(200, json={"id": 1}))

    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        retry=None,
        deadline=1.0,
    )
    with pytest.raises(Exception, match="429"):
        core.send(GET_PET, {})
    with pytest.raises(RateLimited):
        core.send(GET_PET, {})


@pytest.mark.parametrize(
    "headers",
    [
        {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"},
        {"RateLimit-Remaining": "0", "RateLimit-Reset": "30"},
        {"RateLimit": "limit=10, remaining=0, reset=30"},
    ],
)
def test_quota_headers_pause_the_operation_without_declared_limits(
    headers: dict[str, str],
) -> None:
    stamps = Stamps()

    def handler(request: httpx.Request) -> httpx.Response:
        stamps(request)
        return httpx.Response(200, json={"id": 1}, headers=headers)

    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
        deadline=1.0,
    )
    core.send(GET_PET, {})  # succeeds, and says the quota is gone for 30 s
    with pytest.raises(RateLimited) as caught:
        core.send(GET_PET, {})
    assert caught.value.limit_ids == ["get_pet"]
    assert len(stamps.times) == 1


def test_quota_headers_with_some_left_do_not_pause() -> None:
    headers = {"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": "30"}
    core = ClientCore(
        "https://api.test",
        http_client=httpx.Client(
            transport=httpx.MockTransport(
                lambda request: httpx.Response(200, json={"id": 1}, headers=headers)
            )
        ),
        deadline=1.0,
    )
    core.send(GET_PET, {})
    core.send(GET_PET, {})
