"""Generate the petstore example once per session into a temporary folder and import it."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

PETSTORE = Path(__file__).resolve().parents[2] / "fixtures/petstore/petstore.yaml"
PACKAGE = "e2e_petstore"


@pytest.fixture(scope="session")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The generated package, with `client`, `models` and `server` imported."""
    result = generate(PETSTORE, GenerateConfig(package_name=PACKAGE))
    assert result.files is not None, [str(d) for d in result.diagnostics]
    project = tmp_path_factory.mktemp("generated") / PACKAGE
    assert write_tree(project, result.files) == []
    sys.path.insert(0, str(project))
    try:
        package = importlib.import_module(PACKAGE)
        for module in ("models", "client", "server"):
            importlib.import_module(f"{PACKAGE}.{module}")
        yield package
    finally:
        sys.path.remove(str(project))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
