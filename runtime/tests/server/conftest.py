"""Fixtures serving hand-written operations through `build_app` with Starlette's TestClient."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any, Protocol

import pytest
from starlette.types import ASGIApp

from specloom_runtime.operation import OperationSpec
from specloom_runtime.server import NotImplementedOperation, build_app

with warnings.catch_warnings():
    # Recent Starlette prefers `httpx2` for its TestClient and warns when it uses httpx.
    warnings.filterwarnings("ignore", message=r"Using `httpx` with `starlette\.testclient`")
    from starlette.testclient import TestClient


class ServeOperation(Protocol):
    def __call__(
        self, operation: OperationSpec, handler: Callable[..., Any], *, debug: bool = False
    ) -> TestClient: ...


def api_class(*operations: OperationSpec) -> type:
    """An API class as generated: `operations`, and one method per operation raising 501."""

    def unimplemented(name: str) -> Callable[..., Any]:
        async def method(self: object, **arguments: object) -> None:
            raise NotImplementedOperation(name)

        return method

    namespace: dict[str, Any] = {"operations": operations}
    namespace.update({op.name: unimplemented(op.name) for op in operations})
    return type("GeneratedApi", (), namespace)


@pytest.fixture
def client_of() -> Callable[[ASGIApp], TestClient]:
    """`client_of(app)`: a TestClient of any ASGI app."""
    return TestClient


@pytest.fixture
def make_client() -> Callable[..., TestClient]:
    """`make_client(implementations, api_classes, debug=False)`: a client of `build_app`."""

    def make(
        implementations: list[object], api_classes: list[type], *, debug: bool = False
    ) -> TestClient:
        return TestClient(build_app(implementations, api_classes, debug=debug))

    return make


@pytest.fixture
def serve_operation() -> ServeOperation:
    """A client of an app serving one operation with `handler` (a plain async function)."""

    def serve(
        operation: OperationSpec, handler: Callable[..., Any], *, debug: bool = False
    ) -> TestClient:
        api = api_class(operation)
        implementation = type("Implementation", (api,), {operation.name: staticmethod(handler)})
        return TestClient(build_app([implementation()], [api], debug=debug))

    return serve


@pytest.fixture
def generated_api() -> Callable[..., type]:
    """`generated_api(*operations)`: an API class as the generator writes it."""
    return api_class
