"""Listing the files the writer reads back from an output folder to compare them."""

from __future__ import annotations

import pytest

from specloom import write


def writer_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files (relative paths) the writer reads from output folders, from now on (a
    file it finds of another size than its content's is not read)."""
    read: list[str] = []
    original = write._OwnTexts._data

    def reading(own: write._OwnTexts, relative: str, size: int) -> bytes | None:
        data = original(own, relative, size)
        if data is not None:
            read.append(relative)
        return data

    monkeypatch.setattr(write._OwnTexts, "_data", reading)
    return read
