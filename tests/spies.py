"""Spying on one function: the first argument of each call, the function still called."""

from __future__ import annotations

from typing import Any

import pytest


def first_arguments(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[Any]:
    """The first argument of each call of `owner.name` from now on (in call order)."""
    seen: list[Any] = []
    original = getattr(owner, name)

    def spying(first: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(first)
        return original(first, *args, **kwargs)

    monkeypatch.setattr(owner, name, spying)
    return seen
