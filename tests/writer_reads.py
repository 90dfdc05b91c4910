"""Listing the files the writer reads back from an output folder to compare them."""

from __future__ import annotations

import pytest

from specloom import write


def writer_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files (relative paths) the writer reads from output folders, from now on."""
    read: list[str] = []
    original = write._OwnTexts._data

    def reading(own: write._OwnTexts, relative: str) -> bytes | None:
        read.append(relative)
        return original(own, relative)

    monkeypatch.setattr(write._OwnTexts, "_data", reading)
    return read
