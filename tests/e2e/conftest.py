"""Generate the petstore example once per session into a temporary folder and import it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from specloom.config import GenerateConfig, RuntimeMode
from specloom.pipeline import generate
from specloom.write import write_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
PETSTORE = FIXTURES / "petstore/petstore.yaml"
PACKAGE = "e2e_petstore"


@pytest.fixture(scope="session")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package, with `client`, `models` and `server` imported."""
    yield from generated(PETSTORE, PACKAGE, tmp_path_factory)


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from fixtures/server/service.yaml (uploads, pages, streams)."""
    yield from generated(FIXTURES / "server/service.yaml", "e2e_service", tmp_path_factory)


def generated(
    spec: Path,
    package_name: str,
    tmp_path_factory: pytest.TempPathFactory,
    runtime: RuntimeMode = "dependency",
) -> Iterator[ModuleType]:
    result = generate(spec, GenerateConfig(package_name=package_name, runtime=runtime))
    assert result.files is not None, [str(d) for d in result.diagnostics]
    project = tmp_path_factory.mktemp("generated") / package_name
    assert write_tree(project, result.files) == []
    sys.path.insert(0, str(project))
    try:
        package = importlib.import_module(package_name)
        for module in ("models", "_operations", "client", "server"):
            importlib.import_module(f"{package_name}.{module}")
        yield package
    finally:
        sys.path.remove(str(project))
        for name in [
            m for m in sys.modules if m == package_name or m.startswith(package_name + ".")
        ]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def swagger2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from the Swagger 2.0 fixture fixtures/swagger2/constructs.yaml."""
    yield from generated(FIXTURES / "swagger2/constructs.yaml", "e2e_swagger2", tmp_path_factory)


@pytest.fixture(scope="session")
def webhooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The package generated from fixtures/webhooks/webhooks.yaml (3.1 webhooks, callbacks)."""
    yield from generated(FIXTURES / "webhooks/webhooks.yaml", "e2e_webhooks", tmp_path_factory)
