"""`specloom_runtime.server.__all__` is sorted and lists exactly the public names."""

from __future__ import annotations

import specloom_runtime.server as server


def test_all_is_sorted_and_complete() -> None:
    public = {
        name
        for name, value in vars(server).items()
        if not name.startswith("_") and getattr(value, "__module__", "").startswith(server.__name__)
    }

    assert server.__all__ == sorted(server.__all__)
    assert set(server.__all__) == public


def test_every_exported_name_is_documented() -> None:
    for name in server.__all__:
        assert getattr(server, name).__doc__, name
