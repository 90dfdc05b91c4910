"""A loaded spec: the document, and the means to find where its parts were written.

Apart from the loader (`specloom.loader`, which makes them) so that code handed a
document already read (validation, a run patching the last one's result) imports
neither the loader nor YAML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specloom.loading.locator import Locator

__all__ = ["LoadedSpec"]


@dataclass(frozen=True)
class LoadedSpec:
    """A loaded OpenAPI document and the means to find where its parts were written."""

    document: dict[str, Any]
    """The root document with every external `$ref` bundled in: only local `#/...` refs remain."""
    source: str
    """The path or URL the document was loaded from, as given."""
    _locator: Locator | None = field(default=None, repr=False, compare=False)
    read_from: dict[str, str] | None = field(default=None, repr=False, compare=False)
    """Every file or URL loading read, the spec's own first, with the text read there; None
    when one could not be read (or when not known)."""

    def source_pointer(self, pointer: str) -> str:
        """The pointer into the file `locate` names; `pointer` itself unless the document
        was converted from Swagger 2.0 (then it is where the part was written)."""
        if self._locator is None or not self._locator.renamed:
            return pointer
        return self._locator.source_of(pointer)[1]

    def locate(self, pointer: str) -> tuple[str, int | None, int | None]:
        """(file, line, column) where the value at `pointer` was written; 1-based, best effort.

        For a part bundled in from another file, that file is named. The first call
        reads the source text's structure; later calls are cheap.
        """
        if self._locator is None:
            return self.source, None, None
        return self._locator.locate(pointer)

    def locate_many(self, pointers: Sequence[str]) -> list[tuple[str, int | None, int | None]]:
        """`locate` of each of `pointers`, reading each text once for all of them (placing
        many pointers one by one reads a large value once per object around it)."""
        if self._locator is None:
            return [(self.source, None, None) for _ in pointers]
        return self._locator.locate_many(pointers)
