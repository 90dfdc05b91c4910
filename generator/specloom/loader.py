"""Loading a spec: one OpenAPI document, from a file or URL, with its references bundled.

`load` reads YAML or JSON (YAML by the OpenAPI rules: string keys, YAML 1.2
values), follows every `$ref` into other files and URLs and bundles what they
reach into the root document, so that only local `#/...` references remain.
Problems come back as diagnostics, never as exceptions; `LoadedSpec.locate`
maps any pointer into the bundled document back to the file, line and column
it was written at. A Swagger 2.0 document is converted to OpenAPI 3.0 first
(`specloom.loading.swagger`); its diagnostics still name the original's lines and pointers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.loading.bundler import Bundler
from specloom.loading.locator import Locator
from specloom.loading.policy import ReadPolicy
from specloom.loading.sources import Fetcher, FetchError, Sources, http_fetcher
from specloom.loading.swagger import to_openapi3

__all__ = ["FetchError", "Fetcher", "LoadedSpec", "ReadPolicy", "http_fetcher", "load"]


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


def load(
    source: str | os.PathLike[str],
    *,
    fetch: Fetcher | None = None,
    policy: ReadPolicy | None = None,
) -> tuple[LoadedSpec | None, list[Diagnostic]]:
    """Read and bundle the spec at `source` (a file path, a file:// URL or an http(s) URL).

    `fetch` reads URLs (default: `http_fetcher()`, over httpx, with the policy's limits);
    `policy` says which files and URLs references may read, and how much (default: only
    files under the spec's folder, or URLs of its origin). The spec is None only when the
    root document itself cannot be used; unresolvable or refused references are reported
    and the rest is still loaded.
    """
    given = os.fspath(source)
    sources = Sources(fetch, policy)
    root = sources.read_root(given)
    if root is None:
        return None, sources.diagnostics
    if not isinstance(root.content, dict):
        problem = Diagnostic(
            Level.ERROR,
            "the document must be a mapping (an OpenAPI object) at its root, "
            f"not {_describe(root.content)}",
            file=root.display,
        )
        return None, [*sources.diagnostics, problem]
    bundler = Bundler(root, sources)
    conversion = to_openapi3(root, bundler.locator)
    if has_errors(conversion.diagnostics):
        return None, [*sources.diagnostics, *conversion.diagnostics]
    bundler.locator.renamed = conversion.renamed
    try:
        bundler.bundle()
    except RecursionError:
        too_deep = Diagnostic(Level.ERROR, "the document is nested too deeply", file=root.display)
        return None, [*sources.diagnostics, *bundler.diagnostics, too_deep]
    conversion.finish(root.content)
    spec = LoadedSpec(root.content, given, bundler.locator, sources.texts_read())
    return spec, [*sources.diagnostics, *conversion.diagnostics, *bundler.diagnostics]


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return f"a {type(value).__name__}"
