"""The user's own entries of an output folder, carried over into the new tree.

Everything in the old folder that the manifest does not list belongs to the
user: it is linked (or copied) into the new tree so that the swap keeps it.
Symbolic links are carried as links and never followed; folders are walked
without following links. An entry of the user's that sits where a generated
file or folder must go is a conflict, and the run refuses it.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec

from specloom.writing.manifest import MANIFEST_NAME


class Entry(msgspec.Struct, frozen=True):
    """One entry of the old folder to recreate in the new one."""

    relative: str
    """Posix path under the output folder."""
    mode: int
    """`st_mode` from `lstat`: the entry's kind and permissions."""

    @property
    def is_folder(self) -> bool:
        return stat.S_ISDIR(self.mode)


def user_entries(out_dir: Path, generated_before: frozenset[str]) -> list[Entry]:
    """The entries of `out_dir` to carry over, parents before children.

    A folder is carried when it holds something carried, or is empty and was not made
    only to hold generated files.
    """
    generated_parents = {
        "/".join(parts[:i])
        for parts in (p.split("/") for p in generated_before)
        for i in range(1, len(parts))
    }
    carried: list[Entry] = []
    _walk(out_dir, "", generated_before, generated_parents, carried)
    return carried


def _walk(
    folder: Path,
    prefix: str,
    generated: frozenset[str],
    generated_parents: set[str],
    carried: list[Entry],
) -> bool:
    found = False
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for item in entries:
        relative = prefix + item.name
        is_generated = relative == MANIFEST_NAME or relative in generated
        if is_generated and not item.is_dir(follow_symlinks=False):
            continue
        mode = item.stat(follow_symlinks=False).st_mode
        if stat.S_ISDIR(mode):
            position = len(carried)
            carried.append(Entry(relative, mode))
            holds = _walk(Path(item.path), relative + "/", generated, generated_parents, carried)
            with os.scandir(item.path) as inside:
                empty = next(inside, None) is None
            if holds or (empty and relative not in generated_parents):
                found = True
            else:
                del carried[position:]
        else:
            carried.append(Entry(relative, mode))
            found = True
    return found


def conflicts(carried: list[Entry], generated: set[str]) -> Iterator[str]:
    """Carried entries that are in the way of a generated file (a file or link where a
    generated folder must be, or anything where a generated file must be)."""
    folders = {"/".join(p.split("/")[:i]) for p in generated for i in range(1, p.count("/") + 1)}
    for entry in carried:
        if entry.relative in generated or (entry.relative in folders and not entry.is_folder):
            yield entry.relative


def carry(entry: Entry, old_top: Path, new_top: Path, step: Callable[[str], None]) -> None:
    """Recreate `entry` of `old_top` in `new_top`: a folder, a hard link, or a copy."""
    source, target = old_top / entry.relative, new_top / entry.relative
    step(f"carry {entry.relative}")
    if entry.is_folder:
        target.mkdir(exist_ok=True)  # its own mode comes last, see `restore_folder_modes`
        return
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if stat.S_ISLNK(entry.mode):
            os.symlink(os.readlink(source), target)
        elif stat.S_ISREG(entry.mode):
            shutil.copy2(source, target, follow_symlinks=False)
        else:
            raise


def restore_folder_modes(carried: list[Entry], new_top: Path) -> None:
    """Give carried folders their old modes, children first: a read-only folder of the
    user's is still filled before it becomes read-only."""
    for entry in reversed(carried):
        if entry.is_folder:
            os.chmod(new_top / entry.relative, stat.S_IMODE(entry.mode))


def default_folder_mode() -> int:
    """The mode a folder made now gets: every permission the umask leaves."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o777 & ~mask
