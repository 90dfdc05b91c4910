"""Fixtures shared by the generator's tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A result cache (`specloom.cache`) of the test's own, turned on."""
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SPECLOOM_NO_CACHE", raising=False)
    return tmp_path / "cache"
