"""The tree an output folder held before the last write, kept to build the next one from.

A new tree is built beside the output folder and swapped in whole (`specloom.write`): every
unchanged file is linked into it, and the old tree is deleted once the new one is in
place. On GitHub's spec that is 1,088 links and 1,100 unlinks, most of the writer's time,
for a regeneration that changes four files. The old tree differs from the next one only in
the files that changed in the last two runs, so it is kept instead (as a spare, in the
cache folder, `specloom.cache`), and the next write makes the new tree out of it
(`cleared`): a file is kept only when it is the very file (same device and inode) that
the output folder holds with the content to write; every other entry is removed, and
what is missing is linked or written as in a tree built afresh.

A spare is kept only on the output folder's file system (it is moved by renaming), only
when the cache is on, and without the user's own entries (those are carried from the
output folder again). A spare that cannot be used (on another file system, or with an
entry that cannot be removed) is deleted, and the tree built afresh. Spares unused for
`cache.MAX_AGE_S` are deleted when another one is kept.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Collection, Iterable
from pathlib import Path

from specloom import cache
from specloom.writing.carry import default_folder_mode

__all__ = ["cleared", "keep", "take"]

_FOLDER = "spare-trees"


def take(out_dir: Path, staging: Path) -> bool:
    """Move the spare tree of `out_dir` onto the empty folder `staging` (beside
    `out_dir`); False when there is none, or it cannot be moved there (then it is
    deleted)."""
    spare = _spare_of(out_dir)
    if spare is None or not spare.is_dir() or spare.is_symlink():
        return False
    # The empty folder goes first: not every system renames a folder onto one.
    os.rmdir(staging)
    try:
        os.rename(spare, staging)
    except OSError:  # another file system, say: of no use to this folder
        os.mkdir(staging, 0o700)
        shutil.rmtree(spare, ignore_errors=True)
        return False
    return True


def keep(old_tree: Path, out_dir: Path, carried: Iterable[str]) -> bool:
    """Keep `old_tree` (what `out_dir` held before the swap) as its spare, without the
    user's files (`carried`, relative paths); False when it cannot be kept (then the
    caller deletes it)."""
    spare = _spare_of(out_dir)
    if spare is None:
        return False
    try:
        for relative in carried:
            path = old_tree / relative
            if not path.is_dir() or path.is_symlink():
                os.unlink(path)
        spare.parent.mkdir(parents=True, exist_ok=True)
        _drop_old(spare.parent)
        os.utime(old_tree)  # its age is the time since it was last kept
        os.rename(old_tree, spare)
    except OSError:
        return False
    return True


def cleared(top: Path, files: Collection[str]) -> dict[str, os.stat_result]:
    """Clear the tree at `top` (a spare taken) for `files` (relative paths of regular
    files): every entry that is not one of `files` or a folder holding one is removed,
    and folders get the mode a new folder gets; the regular files left, each with what
    `lstat` says of it. OSError when an entry cannot be removed."""
    folders = {path[:index] for path in files for index in _slashes(path)}
    mode = default_folder_mode()
    found: dict[str, os.stat_result] = {}
    pending = [("", os.fspath(top))]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            listed = list(entries)
        for entry in listed:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if relative in folders:
                    os.chmod(entry.path, mode)
                    pending.append((relative + "/", entry.path))
                else:
                    _remove_folder(entry.path)
                continue
            status = entry.stat(follow_symlinks=False)
            if relative in files and stat.S_ISREG(status.st_mode):
                found[relative] = status
            else:
                os.unlink(entry.path)
    return found


def _slashes(path: str) -> Iterable[int]:
    index = path.find("/")
    while index != -1:
        yield index
        index = path.find("/", index + 1)


def _remove_folder(path: str) -> None:
    shutil.rmtree(path)  # raises when something cannot be removed


def _spare_of(out_dir: Path) -> Path | None:
    folder = cache.cache_dir()
    if folder is None:
        return None
    return folder / _FOLDER / cache.key_of("spare tree", os.path.realpath(out_dir))


def _drop_old(folder: Path) -> None:
    """Delete the spares in `folder` unused for `cache.MAX_AGE_S`. Each is first renamed
    away: another run taking it at that moment (for its own output folder) gets either
    the whole of it or nothing, never a tree being deleted under it."""
    too_old = time.time() - cache.MAX_AGE_S
    with os.scandir(folder) as entries:
        old = [
            entry.path
            for entry in entries
            if entry.is_dir(follow_symlinks=False)
            and entry.stat(follow_symlinks=False).st_mtime < too_old
        ]
    for path in old:
        dropped = f"{path}.{os.getpid()}.dropped"
        try:
            os.rename(path, dropped)
        except OSError:  # taken, or dropped, by another run
            continue
        shutil.rmtree(dropped, ignore_errors=True)
