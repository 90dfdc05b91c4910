"""Generated files whose text is at hand in its UTF-8 form: the writer compares and
writes those bytes, and decodes nothing.

A run that reuses an earlier result (`specloom.result_cache`) holds its files compressed;
a file is decompressed only when the writer needs its bytes (it differs from the one on
disk), and decoded only when something asks for its text.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping


class EncodedTexts(Mapping[str, str], ABC):
    """Files (relative path -> text) that give their text's UTF-8 form without decoding."""

    @abstractmethod
    def encoded(self, relative: str) -> bytes:
        """The UTF-8 form of the text of `relative`; KeyError when there is no such file."""

    def __getitem__(self, relative: str) -> str:
        # Lone surrogates pass, as `specloom.cache.packed` stores them.
        return self.encoded(relative).decode("utf-8", "surrogatepass")


def encoded(files: Mapping[str, str], relative: str) -> bytes:
    """The UTF-8 form of the text of `relative` in `files`."""
    if isinstance(files, EncodedTexts):
        return files.encoded(relative)
    return files[relative].encode("utf-8")
