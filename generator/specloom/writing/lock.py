"""One writer at a time per output folder: an advisory lock on the folder that holds it.

The lock is taken on the parent folder, which outlives every swap of the output
folder itself, and it is released by the kernel when the process ends, however it
ends: a killed run never leaves a stale lock behind. Where `fcntl` is missing
(Windows) runs are not serialised.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def folder_lock(folder: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive lock on `folder`; `on_wait` is called once if another holder
    makes this one wait."""
    if sys.platform == "win32":
        yield
        return
    import fcntl

    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
