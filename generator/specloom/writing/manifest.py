"""The manifest: the list of files a previous run wrote, and the checks it must pass.

The manifest lives in the output folder, which may be committed and edited by
anyone, so it is read as untrusted input: it must be exactly what specloom
writes (a JSON object whose only member `files` lists relative paths), and
every path must stay inside the folder once symbolic links on the way are
resolved. Anything else is refused rather than guessed at.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

MANIFEST_NAME = ".specloom-manifest.json"
_MAX_MANIFEST_BYTES = 16 * 1024 * 1024


class ManifestError(Exception):
    """The manifest in an output folder cannot be trusted; the message says why."""


def manifest_text(files: Iterable[str]) -> str:
    """The manifest specloom writes for `files`."""
    return json.dumps({"files": sorted(files)}, indent=2) + "\n"


def is_safe_relative(relative: str) -> bool:
    """Whether `relative` is a plain relative path that stays inside its folder."""
    parts = relative.split("/")  # a string's parts, not PurePosixPath's: this runs per file
    named = [part for part in parts if part]
    return (
        bool(named)
        and not relative.startswith("/")
        and ".." not in parts
        and "." not in parts
        and "\\" not in relative
        and ":" not in relative
        and "\x00" not in relative
        and named[-1] != MANIFEST_NAME
    )


def read_manifest(out_dir: Path) -> frozenset[str]:
    """The files a previous run wrote in `out_dir` (empty when there is no manifest).

    Raises `ManifestError` when the manifest is not one specloom wrote, or lists a
    path that leads outside `out_dir`.
    """
    path = out_dir / MANIFEST_NAME
    if not os.path.lexists(path):
        return frozenset()
    listed = _listed_files(path)
    check_inside(out_dir, listed)
    return frozenset(listed)


def check_inside(out_dir: Path, listed: Iterable[str]) -> None:
    """Raise `ManifestError` when one of the paths the manifest of `out_dir` lists leads
    outside it through a symbolic link."""
    top = os.path.realpath(out_dir)
    folders: dict[str, str] = {}  # each folder on the way resolved once, not once a file
    for relative in listed:
        joined = os.path.join(top, relative)
        folder, name = os.path.split(joined)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        plain = not os.path.islink(joined)
        resolved = os.path.join(folders[folder], name) if plain else os.path.realpath(joined)
        if os.path.commonpath([top, resolved]) != top:
            raise ManifestError(
                f"{out_dir / MANIFEST_NAME} lists {relative!r}, which leads outside {out_dir} "
                "through a symbolic link; remove the manifest or the link"
            )


def _listed_files(path: Path) -> list[str]:
    refused = f"{path} does not look like a manifest specloom wrote"
    if path.is_symlink() or not path.is_file():
        raise ManifestError(f"{refused}: it is not a regular file; remove it")
    try:
        with path.open("rb") as stream:
            data = json.loads(stream.read(_MAX_MANIFEST_BYTES + 1))
    except (OSError, ValueError, RecursionError) as exc:
        raise ManifestError(f"{refused}: {type(exc).__name__}; remove it") from None
    if not isinstance(data, dict) or set(data) != {"files"} or not isinstance(data["files"], list):
        raise ManifestError(f'{refused}: expected {{"files": [...]}} only; remove it')
    listed = data["files"]
    bad = [p for p in listed if not isinstance(p, str) or not is_safe_relative(p)]
    if bad:
        shown = repr(bad[0])[:80]
        raise ManifestError(f"{refused}: it lists {shown}, not a path inside the folder")
    return listed
