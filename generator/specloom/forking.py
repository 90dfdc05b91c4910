"""Whether work can run in a forked child beside this process."""

from __future__ import annotations

import os

__all__ = ["can_fork_aside"]


def can_fork_aside() -> bool:
    """Whether a forked child can run beside this process: `fork` exists and this process
    may use a second core (as its CPU affinity says, where the system tells it)."""
    if not hasattr(os, "fork"):
        return False
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return cores > 1
