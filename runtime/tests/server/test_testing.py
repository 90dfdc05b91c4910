"""`serve_in_thread`: an app served by uvicorn over a real socket."""

from __future__ import annotations

import time
from typing import ClassVar

import httpx
import pytest

from specloom_runtime.operation import OperationSpec, ResponseSpec
from specloom_runtime.server import build_app
from specloom_runtime.server.testing import serve_in_thread

PING = OperationSpec(
    name="ping",
    method="GET",
    path="/ping",
    responses=(ResponseSpec("200", dict[str, str], is_success=True),),
)


class HealthApi:
    operations: ClassVar[tuple[OperationSpec, ...]] = (PING,)

    async def ping(self) -> dict[str, str]:
        raise NotImplementedError


class Health(HealthApi):
    async def ping(self) -> dict[str, str]:
        return {"status": "ok"}


def test_serves_over_a_real_socket_until_the_block_ends() -> None:
    app = build_app([Health()], [HealthApi])

    with serve_in_thread(app) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(f"{base_url}/ping")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{base_url}/ping")


def test_answers_on_a_kept_alive_connection_come_without_delay() -> None:
    app = build_app([Health()], [HealthApi])

    durations = []
    with serve_in_thread(app) as base_url, httpx.Client(base_url=base_url) as client:
        client.get("/ping")
        for _ in range(20):
            start = time.perf_counter()
            assert client.get("/ping").status_code == 200
            durations.append(time.perf_counter() - start)

    # With Nagle's algorithm left on, every answer on a kept-alive connection waits for a
    # delayed ACK (~40ms), so even the fastest of 20 would; a loaded machine slows some
    # answers, not all of them.
    assert min(durations) < 0.03
