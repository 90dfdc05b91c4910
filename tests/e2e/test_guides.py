"""The examples of docs/client.md and docs/server.md run as written, on a petstore
generated as the guides generate it (runtime vendored), under another package name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from e2e.conftest import PETSTORE, generated

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _examples(guide: str) -> list[str]:
    text = (DOCS / guide).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.+?)```", text, re.DOTALL)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield from generated(PETSTORE, "guide_petstore", tmp_path_factory, runtime="vendored")


def _run(code: str, package: ModuleType, namespace: dict[str, object]) -> None:
    code = code.replace("from petstore.", f"from {package.__name__}.")
    exec(compile(code, "guide", "exec"), namespace)


def _printed(code: str) -> list[str]:
    """What the example's comments say its prints print."""
    return re.findall(r"print\(.*\)  # (.*)", code)


def test_the_client_guide_runs(package: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    make, mock = _examples("client.md")
    namespace: dict[str, object] = {}
    _run(make, package, namespace)
    assert namespace["client"].__class__.__name__ == "Client"
    namespace["client"].close()  # type: ignore[attr-defined]
    capsys.readouterr()
    _run(mock, package, {})
    assert capsys.readouterr().out.splitlines() == _printed(mock) == ["['Rex']", "404 no such pet"]


def test_the_server_guide_runs(package: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    server, roundtrip = _examples("server.md")
    namespace: dict[str, object] = {}
    _run(server, package, namespace)
    _run(roundtrip, package, namespace)
    assert capsys.readouterr().out.splitlines() == _printed(roundtrip)
    assert len(_printed(roundtrip)) == 4
