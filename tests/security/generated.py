"""Generate a fixture spec of fixtures/security/ into a temporary package and import it."""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from specloom.config import GenerateConfig
from specloom.pipeline import generate
from specloom.write import write_tree

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "security"
_ROOT = Path(tempfile.mkdtemp(prefix="specloom-security-"))
_loaded: dict[str, ModuleType] = {}


def load(spec: str) -> ModuleType:
    """The package generated from `fixtures/security/<spec>.yaml`, named `sec_<spec>`, with
    its `models`, `client` and `server` modules imported (once per test session)."""
    if spec in _loaded:
        return _loaded[spec]
    package = f"sec_{spec}"
    result = generate(FIXTURES / f"{spec}.yaml", GenerateConfig(package_name=package))
    assert result.files is not None, [str(d) for d in result.diagnostics]
    project = _ROOT / package
    assert write_tree(project, result.files) == []
    sys.path.insert(0, str(project))
    module = importlib.import_module(package)
    for name in ("models", "client", "server"):
        importlib.import_module(f"{package}.{name}")
    _loaded[spec] = module
    return module
