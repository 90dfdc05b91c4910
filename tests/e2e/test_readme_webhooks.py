"""The README's webhook receiver example runs against the package generated from
fixtures/webhooks/webhooks.yaml as `pet_events`."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from e2e.conftest import FIXTURES, generated

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Webhooks and callbacks", 1)[1].split("\n## ", 1)[0]
(EXAMPLE,) = re.findall(r"```python\n(.+?)```", SECTION, re.DOTALL)


@pytest.fixture(scope="module")
def pet_events(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated(FIXTURES / "webhooks/webhooks.yaml", "pet_events", tmp_path_factory)


def test_the_readme_receiver_answers_webhooks_and_callbacks(
    pet_events: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(EXAMPLE, "README.md", "exec"), namespace)

    async def send() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=namespace["receiver"])
        async with httpx.AsyncClient(transport=transport, base_url="http://me") as client:
            return [
                await client.post(
                    "/newPet", json={"id": 1, "name": "Rex"}, headers={"X-Delivery": "1"}
                ),
                await client.post("/statusChanged", json={"petId": 1, "status": "sold"}),
            ]

    added, changed = asyncio.run(send())

    assert (added.status_code, added.json()) == (200, {"ok": True})
    assert changed.status_code == 204
    assert capsys.readouterr().out == "new pet Rex\n1 is now sold\n"
