"""The vendored runtime: a copy of `specloom_runtime` inside the generated package.

With `--runtime vendored` (the default) the generated package carries the runtime it was
generated with as its private subpackage `<package>._runtime`, and its modules import it
from there (`from petstore._runtime.client import ClientCore`). The package then depends only on
what the runtime depends on (httpx, pydantic; starlette for a server), all on the package
index, so `pip install` works anywhere. The runtime's own modules import each other
relatively, so they are copied as they are. Its test helpers (`server/testing.py`) are
left out, and a client-only package leaves out the server side: `server/` and every
module that imports starlette (`resources.py`), so that it imports only what it requires.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from specloom.config import VENDORED_RUNTIME, GenerateConfig

if TYPE_CHECKING:
    from importlib.abc import Traversable

RUNTIME_PACKAGE = "specloom_runtime"
RUNTIME_DISTRIBUTION = "specloom-runtime"

_LEFT_OUT = frozenset({"server/testing.py"})
# Both start with their literal text, which lets `re` search for it at C speed (a leading
# `^` or `\b` made it try every position of the ~10 MB generated for a large spec).
_IMPORT = re.compile(r"from specloom_runtime\b")
"""Checked to start its line, after indentation only: see `_rewrite_imports`."""
_RUNTIME_NAME = re.compile(r"specloom_runtime\.(?<!\wspecloom_runtime\.)")
"""`specloom_runtime.` not preceded by a word character (the same as a leading `\\b`)."""
_SERVER_IMPORT = re.compile(r"^(from|import) (starlette|python_multipart)\b", re.MULTILINE)


def runtime_version() -> str:
    """The version of the runtime the generator is installed with."""
    import importlib.metadata  # here: its import (16 ms) only when a run reads metadata

    return importlib.metadata.version(RUNTIME_DISTRIBUTION)


def runtime_requirements(extra: str | None = None) -> tuple[str, ...]:
    """The runtime's requirements (without extra), or those of one of its extras."""
    import importlib.metadata

    found: list[str] = []
    for requirement in importlib.metadata.requires(RUNTIME_DISTRIBUTION) or []:
        spec, _, marker = requirement.partition(";")
        wanted = extra is None if not marker.strip() else _is_extra(marker, extra)
        if wanted:
            found.append(spec.strip())
    return tuple(found)


def _is_extra(marker: str, extra: str | None) -> bool:
    pattern = rf"\s*extra\s*==\s*['\"]{extra}['\"]\s*"
    return extra is not None and re.fullmatch(pattern, marker) is not None


def vendored_files(config: GenerateConfig) -> dict[str, str]:
    """The runtime's files under `<package>/_runtime/` (empty unless vendored)."""
    if config.runtime != "vendored":
        return {}
    base = f"{config.package_name}/{VENDORED_RUNTIME}"
    header = (
        f"# Vendored by specloom from {RUNTIME_DISTRIBUTION} {runtime_version()}; do not edit.\n"
    )
    return {
        f"{base}/{relative}": header + text if relative.endswith(".py") else text
        for relative, text in _runtime_sources(config)
    }


def vendored_packages(config: GenerateConfig) -> list[str]:
    """The import names of the vendored runtime's packages, for the generated pyproject."""
    if config.runtime != "vendored":
        return []
    prefix = f"{config.package_name}.{VENDORED_RUNTIME}"
    folders = {
        relative.rpartition("/")[0]
        for relative, _ in _runtime_sources(config)
        if relative.endswith("__init__.py")
    }
    return sorted(".".join(filter(None, (prefix, *folder.split("/")))) for folder in folders)


def use_vendored_runtime(files: Mapping[str, str], config: GenerateConfig) -> dict[str, str]:
    """`files` with their runtime imports pointed at the vendored copy, when vendored."""
    if config.runtime != "vendored":
        return dict(files)
    package = config.package_name
    rewritten: dict[str, str] = {}
    for path, text in files.items():
        if path.endswith(".py"):
            text = _rewrite_imports(text, f"from {package}.{VENDORED_RUNTIME}")
        if path.endswith(".py") or path == "README.md":
            # Names in docstrings and prose too (`specloom_runtime.server.request_context()`):
            # the copy's are the ones that work with the generated code.
            text = _RUNTIME_NAME.sub(f"{package}.{VENDORED_RUNTIME}.", text)
        rewritten[path] = text
    return rewritten


def _rewrite_imports(text: str, replacement: str) -> str:
    """`text` with each `from specloom_runtime` that starts a line (indented or not)
    replaced; the same elsewhere (in a docstring's sentence) is left."""

    def replaced(match: re.Match[str]) -> str:
        start = match.start()
        line_start = text.rfind("\n", 0, start) + 1
        indentation = text[line_start:start]
        return replacement if not indentation or indentation.isspace() else match.group()

    return _IMPORT.sub(replaced, text)


def _runtime_sources(config: GenerateConfig) -> Iterator[tuple[str, str]]:
    root = importlib.resources.files(RUNTIME_PACKAGE)
    for relative, resource in sorted(_walk(root, "")):
        if relative in _LEFT_OUT:
            continue
        text = resource.read_text(encoding="utf-8")
        if not config.with_server and (
            relative.startswith("server/") or _SERVER_IMPORT.search(text)
        ):
            continue
        yield relative, text


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__pycache__")):
            continue
        relative = prefix + entry.name
        if entry.is_dir():
            yield from _walk(entry, relative + "/")
        elif entry.name.endswith(".py") or entry.name == "py.typed":
            yield relative, entry
