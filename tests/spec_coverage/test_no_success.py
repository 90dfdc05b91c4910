"""An operation that declares only error responses (callfire) succeeds on any 2xx, and the
generated server answers it with one (fixtures/coverage/no_success.yaml)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from spec_coverage.generated import asgi_client, generated_package
from specloom_runtime.errors import DeclaredStatusError
from specloom_runtime.server import NotFound


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("no_success")
    with generated_package("no_success.yaml", "cov_no_success", root) as package:
        yield package


def test_generated_server_and_client_agree_on_success(pkg: ModuleType) -> None:
    archived: list[int] = []

    class Broadcasts(pkg.server.DefaultApi):  # type: ignore[misc, name-defined]
        async def archive_call_broadcast(self, *, id: int) -> Any:
            if id == 404:
                return NotFound(pkg.models.ErrorResponse(http_status_code=404, message="gone"))
            archived.append(id)
            return None

    async def scenario() -> None:
        async with asgi_client(pkg, Broadcasts()) as client:
            response = await client.default.archive_call_broadcast_with_response(id=7)
            assert (response.status_code, response.data) == (200, None)
            with pytest.raises(DeclaredStatusError) as missing:
                await client.default.archive_call_broadcast(id=404)
            assert missing.value.body.message == "gone"

    asyncio.run(scenario())
    assert archived == [7]


@pytest.mark.parametrize("status", [200, 202, 204])
def test_client_accepts_any_2xx(pkg: ModuleType, status: int) -> None:
    http_client = httpx.Client(transport=httpx.MockTransport(lambda _: httpx.Response(status)))
    client = pkg.client.Client(base_url="http://testserver", http_client=http_client)
    assert client.default.archive_call_broadcast_with_response(id=1).status_code == status
