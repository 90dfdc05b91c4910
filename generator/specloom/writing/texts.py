"""Generated files whose text is at hand in its UTF-8 form: the writer compares and
writes those bytes, and decodes nothing.

A run that reuses an earlier result (`specloom.result_cache`) holds its files compressed;
a file is decompressed only when the writer needs its bytes (it differs from the one on
disk), and decoded only when something asks for its text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

Pieces = tuple[bytes | memoryview, ...]
"""A file's UTF-8 form as pieces to write one after the other: a large file patched in
the middle (GitHub's `openapi.json`, 11 MB) is written from the old bytes around the new
ones, not joined into new bytes first."""


class EncodedTexts(Mapping[str, str], ABC):
    """Files (relative path -> text) that give their text's UTF-8 form without decoding."""

    @abstractmethod
    def encoded(self, relative: str) -> bytes:
        """The UTF-8 form of the text of `relative`; KeyError when there is no such file."""

    def pieces(self, relative: str) -> Pieces:
        """`encoded`, in pieces (in one, unless the files hold it in more)."""
        return (self.encoded(relative),)

    def __getitem__(self, relative: str) -> str:
        # Lone surrogates pass, as `specloom.cache.packed` stores them.
        return self.encoded(relative).decode("utf-8", "surrogatepass")


def pieces(files: Mapping[str, str], relative: str) -> Pieces:
    """The UTF-8 form of the text of `relative` in `files`, in pieces."""
    if isinstance(files, EncodedTexts):
        return files.pieces(relative)
    return (files[relative].encode("utf-8"),)


def size(data: Pieces) -> int:
    """How many bytes the pieces hold."""
    return sum(len(piece) for piece in data)


def same(data: bytes, pieces: Pieces) -> bool:
    """Whether `data` is the bytes of `pieces`, one after the other."""
    if len(pieces) == 1:
        return data == pieces[0]
    view, at = memoryview(data), 0
    for piece in pieces:
        if view[at : at + len(piece)] != piece:
            return False
        at += len(piece)
    return at == len(data)
