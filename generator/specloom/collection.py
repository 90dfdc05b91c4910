"""Fewer passes of Python's cycle collector while a spec is loaded, parsed and rendered.

A run builds millions of objects that live until it ends (the loaded document, the
parsed API, the rendered files) and makes almost no cyclic garbage. With the default
thresholds the collector starts after every 700 new objects and keeps walking the
long-lived ones again: on GitHub's spec that was 829 collections and about 1 s of CPU,
a tenth of the run, for the same peak memory. During a run the first threshold is
raised, as mypy does for the same reason; garbage is still collected, just in fewer,
larger passes. The previous thresholds are restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_RUN_THRESHOLDS = (200_000, 30, 30)
"""New objects before a young collection, and young (then middle) collections before
an older one."""


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The cycle collector set for a run's many long-lived objects, then as it was."""
    previous = gc.get_threshold()
    gc.set_threshold(*_RUN_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def for_the_process() -> None:
    """Keep the run's thresholds until the process ends: for the command, whose process
    ends with its run. Restoring the default ones at the end of each stage (as
    `fewer_collections` does for a library caller) makes the next allocation collect
    every object the run still holds: 46 ms of a 0.55 s regeneration of GitHub's spec."""
    gc.set_threshold(*_RUN_THRESHOLDS)
