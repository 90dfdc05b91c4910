"""The README's client examples (retries, rate limits, hooks, per-call options, error
statuses as responses, request(...)) run, in order, against the generated petstore server.

They run on a petstore generated as the README's quick start generates it, its runtime
vendored (`petstore._runtime`), under another package name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from e2e.conftest import PETSTORE, generated
from e2e.petstore_impl import implementations

from specloom_runtime.server.testing import serve_in_thread

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Retries, rate limits, hooks and per-call options", 1)[1]
EXAMPLES = re.findall(r"```python\n(.+?)```", SECTION.split("\n## ", 1)[0], re.DOTALL)
LOCAL_SERVER = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def vendored_petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated(PETSTORE, "readme_petstore", tmp_path_factory, runtime="vendored")


@pytest.fixture
def base_url(petstore: ModuleType) -> Iterator[str]:
    with serve_in_thread(petstore.server.create_app(*implementations(petstore))) as url:
        yield url


def test_the_examples_are_found() -> None:
    assert len(EXAMPLES) == 6
    assert all(LOCAL_SERVER in example for example in EXAMPLES if "Client(" in example)


def test_the_client_examples_run(
    vendored_petstore: ModuleType, base_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    made: list[Any] = []

    class Client(vendored_petstore.client.Client):  # type: ignore[misc, name-defined]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

    namespace: dict[str, Any] = {"RecordingClient": Client}
    try:
        for example in EXAMPLES:
            code = example.replace(LOCAL_SERVER, base_url)
            code = code.replace("from petstore.client import Client", "Client = RecordingClient")
            code = code.replace("from petstore.", f"from {vendored_petstore.__name__}.")
            exec(compile(code, "README.md", "exec"), namespace)
    finally:
        for client in made:
            client.close()
    printed = capsys.readouterr().out.splitlines()
    assert f"GET {base_url}/pets 200" in printed
    assert "404 no pet 404" in printed
    assert f"{base_url}/pets?limit=2 []" in printed
    assert len(made) == 3
