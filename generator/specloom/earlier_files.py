"""The files of the last run's result, read from the output folder where it still holds them.

A run that patches the last result (`specloom.doc_edits`, `specloom.operation_edits`)
replaces a few bytes of a few files, and needs those files' last text first. The result
cache keeps it compressed; the output folder, when the writer's record shows a file
untouched since it was written with that very content (`specloom.writing.written`),
holds it as is: reading GitHub's `openapi.json` (11 MB) takes 1.5 ms, decompressing it
20 ms. A file the record does not vouch for is decompressed, as before.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from specloom.result_cache import StoredFile, form_digest, stored_bytes
from specloom.writing.written import Written, identity

__all__ = ["EarlierFiles"]


class EarlierFiles:
    """The UTF-8 form of each file of a stored result (`stored`, with its files' digests
    when known), read from `output` (the folder the result was last written to, None
    when unknown) where it may be."""

    def __init__(
        self,
        stored: Mapping[str, StoredFile],
        output: Path | None,
        digests: Mapping[str, bytes] | None = None,
    ) -> None:
        self._stored = stored
        self._top = None if output is None else os.path.realpath(output)
        self._record: Written | None = None
        self._digests = digests or {}
        """The files' `form_digest`s where known (the result cache checked them on
        reading: not computed again)."""

    @property
    def stored(self) -> Mapping[str, StoredFile]:
        """The files as the result cache keeps them."""
        return self._stored

    def data(self, relative: str) -> bytes | None:
        """The file's bytes; None when the result has no such file (or it cannot be read)."""
        value = self._stored.get(relative)
        if value is None:
            return None
        return self._as_written(relative, value) or stored_bytes(value)

    def _as_written(self, relative: str, value: StoredFile) -> bytes | None:
        if self._top is None:
            return None
        if self._record is None:
            self._record = Written.of(self._top)
        digest = self._digests.get(relative) or form_digest(value)
        if not self._record.holds(relative, digest):
            return None
        path = os.path.join(self._top, relative)
        was = identity(path)
        try:
            with open(path, "rb") as file:
                data = file.read()
        except OSError:
            return None
        # Written to while it was read: its change time tells (`written`); decompressed then.
        return data if identity(path) == was else None
