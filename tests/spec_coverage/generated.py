"""Generate a fixture spec into a temporary folder and import the package, as a user would."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "coverage"


@contextmanager
def generated_package(spec: str, package: str, root: Path) -> Iterator[ModuleType]:
    """`fixtures/coverage/<spec>` generated as `package`, with models, descriptors, client
    and server imported; removed from `sys.modules` afterwards."""
    result = generate(FIXTURES / spec, GenerateConfig(package_name=package))
    assert result.files is not None, [str(d) for d in result.diagnostics]
    project = root / package
    assert write_tree(project, result.files) == []
    sys.path.insert(0, str(project))
    try:
        module = importlib.import_module(package)
        for name in ("models", "_operations", "client", "server"):
            importlib.import_module(f"{package}.{name}")
        yield module
    finally:
        sys.path.remove(str(project))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def asgi_client(package: ModuleType, *apis: Any) -> Any:
    """The package's `AsyncClient` talking to its server (implemented by `apis`) over ASGI."""
    app = package.server.create_app(*apis)
    http_client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app))
    return package.client.AsyncClient(base_url="http://testserver", http_client=http_client)


def raw_client(package: ModuleType, *apis: Any) -> httpx.AsyncClient:
    """A plain httpx client talking to the package's server, to send what a client won't."""
    app = package.server.create_app(*apis)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@dataclass
class Calls:
    """What a recording implementation received: the handlers called, in order, and
    each call's arguments."""

    names: list[str] = field(default_factory=list)
    arguments: list[dict[str, Any]] = field(default_factory=list)


def recording_api(package: ModuleType, answers: dict[str, Any]) -> tuple[Any, Calls]:
    """An implementation of every operation of the package's `DefaultApi` that records
    its calls and answers `answers[name]`."""
    calls = Calls()

    def handler(name: str) -> Any:
        async def handle(self: Any, **arguments: Any) -> Any:
            calls.names.append(name)
            calls.arguments.append(arguments)
            return answers[name]

        return handle

    base = package.server.DefaultApi
    methods = {operation.name: handler(operation.name) for operation in base.operations}
    return type("Recording", (base,), methods)(), calls
