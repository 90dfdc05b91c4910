"""Counting the runs that load a spec: those that neither reuse nor patch a stored result."""

from __future__ import annotations

from typing import Any

import pytest


class Loads:
    """Counts the runs that load the spec (those that do not reuse a stored result)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import specloom.loader

        self.count = 0
        original = specloom.loader.load

        def counting(*args: Any, **kwargs: Any) -> Any:
            self.count += 1
            return original(*args, **kwargs)

        monkeypatch.setattr(specloom.loader, "load", counting)
