"""Putting a finished tree in place of the output folder in one step.

On Linux, `renameat2(RENAME_EXCHANGE)` swaps two folders atomically: at every
instant the output path names either the whole old tree or the whole new one.
Elsewhere (or on a file system without it) the old folder is first renamed to a
backup name and the new one renamed into place; a run killed between the two
renames leaves the backup, and `recover` puts it back on the next run.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing folders atomically; False when the system cannot do that."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    renameat2.argtypes.append(ctypes.c_uint)
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_in_two_steps(new: Path, out: Path, backup: Path) -> None:
    """Move `out` aside to `backup`, then `new` to `out` (not atomic: see `recover`)."""
    os.rename(out, backup)
    os.rename(new, out)


def recover(out: Path, backup: Path) -> None:
    """Undo a `replace_in_two_steps` that was interrupted between its two renames."""
    if not os.path.lexists(out) and backup.is_dir() and not backup.is_symlink():
        os.rename(backup, out)
