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
from typing import Any

from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.loading.bundler import Bundler
from specloom.loading.loaded import LoadedSpec
from specloom.loading.policy import ReadPolicy
from specloom.loading.sources import Fetcher, FetchError, Sources, http_fetcher
from specloom.loading.swagger import to_openapi3

__all__ = ["FetchError", "Fetcher", "LoadedSpec", "ReadPolicy", "http_fetcher", "load"]


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
