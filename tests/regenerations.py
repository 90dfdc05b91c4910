"""Runs of `generate` with the cache and without it, for the tests of regeneration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from specloom.config import GenerateConfig
from specloom.pipeline import GenerateResult, generate

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The operation objects of `document`'s path items, in order."""
    return [
        item[method]
        for item in document["paths"].values()
        for method in METHODS
        if isinstance(item, dict) and isinstance(item.get(method), dict)
    ]


def run(spec: Path, config: GenerateConfig) -> GenerateResult:
    """`generate` with the cache, which must give files."""
    result = generate(spec, config)
    assert result.files is not None, result.diagnostics
    return result


def afresh(spec: Path, config: GenerateConfig, monkeypatch: pytest.MonkeyPatch) -> GenerateResult:
    """`generate` without the cache: what a run must give."""
    with monkeypatch.context() as without_cache:
        without_cache.setenv("SPECLOOM_NO_CACHE", "1")
        return generate(spec, config)
