"""Make the shared test helpers in tests/ importable from every test module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The run's own result cache (`specloom.cache`), for it and the processes it starts,
    rather than the user's."""
    os.environ["SPECLOOM_CACHE_DIR"] = str(tmp_path_factory.mktemp("specloom-cache"))
