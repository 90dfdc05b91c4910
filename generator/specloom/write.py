"""Writing a generated tree: staged in a temporary folder, then moved into place.

Nothing in the output folder changes until every file has been written to a
staging folder beside it. A folder that was never written by specloom, or a
file in it that specloom did not write, is never overwritten: the manifest
`MANIFEST_NAME` records which files belong to the generator, so files that
a previous run wrote and this one does not are removed, and the user's own
files are left alone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from specloom.diagnostics import Diagnostic, error

MANIFEST_NAME = ".specloom-manifest.json"


def write_tree(out_dir: Path, files: Mapping[str, str]) -> list[Diagnostic]:
    """Write `files` (relative posix path -> text) under `out_dir`; problems come back as values."""
    problems = [
        error(f"refusing to write outside the output folder: {p!r}")
        for p in files
        if not _is_safe(p)
    ]
    if problems:
        return problems
    if out_dir.exists() and not out_dir.is_dir():
        return [error(f"output path {out_dir} exists and is not a folder")]
    previous = _read_manifest(out_dir)
    clobbered = sorted(p for p in files if p not in previous and (out_dir / p).exists())
    if clobbered:
        listing = ", ".join(clobbered[:5]) + (" ..." if len(clobbered) > 5 else "")
        return [
            error(
                f"refusing to overwrite files specloom did not write in {out_dir}: {listing}; "
                "choose another --out folder or remove them"
            )
        ]
    try:
        _stage_and_swap(out_dir, files, previous)
    except OSError as exc:
        return [error(f"could not write {out_dir}: {exc}")]
    return []


def differences(out_dir: Path, files: Mapping[str, str]) -> list[str]:
    """Relative paths whose content on disk differs from `files` (missing, changed or stale)."""
    previous = _read_manifest(out_dir)
    changed = [p for p, text in files.items() if _read_text(out_dir / p) != text]
    stale = [p for p in previous if p not in files]
    return sorted(changed + stale)


def _is_safe(relative: str) -> bool:
    path = PurePosixPath(relative)
    return (
        bool(relative)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in relative
        and ":" not in relative
        and path.name != MANIFEST_NAME
    )


def _stage_and_swap(out_dir: Path, files: Mapping[str, str], previous: frozenset[str]) -> None:
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=parent))
    try:
        for relative, text in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        manifest = json.dumps({"files": sorted(files)}, indent=2) + "\n"
        (staging / MANIFEST_NAME).write_text(manifest, encoding="utf-8", newline="\n")
        if not out_dir.exists():
            os.replace(staging, out_dir)
            return
        _move_into(staging, out_dir, [*files, MANIFEST_NAME])
        for stale in sorted(previous - set(files)):
            _remove_stale(out_dir, stale)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into(staging: Path, out_dir: Path, relatives: list[str]) -> None:
    for relative in relatives:
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relative, target)


def _remove_stale(out_dir: Path, relative: str) -> None:
    if not _is_safe(relative):
        return
    target = out_dir / relative
    if target.is_file():
        target.unlink()
        _prune_empty_parents(target.parent, out_dir)


def _prune_empty_parents(folder: Path, top: Path) -> None:
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _read_manifest(out_dir: Path) -> frozenset[str]:
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return frozenset()
    listed = data.get("files") if isinstance(data, dict) else None
    if not isinstance(listed, list):
        return frozenset()
    return frozenset(p for p in listed if isinstance(p, str))


def _read_text(path: Path) -> str | None:
    try:
        with path.open(encoding="utf-8", newline="") as file:
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None
