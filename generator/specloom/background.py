"""Running one piece of work in a second process while this one goes on with another.

Validating a large spec and parsing, rendering and formatting it are independent until
the end, when validation's findings decide whether the files are kept. On a machine with
two cores or more the validation runs in a forked child: it inherits the loaded document
(nothing is copied or pickled on the way in), and only its findings come back. Without
`fork` or a second core, the work simply runs in this process when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

from specloom.forking import can_fork_aside

T = TypeVar("T")

_INHERITED: Callable[[], Any] | None = None
"""The work a forked child runs: set just before the fork, so the child has it as is."""


def _run_inherited() -> Any:
    assert _INHERITED is not None
    return _INHERITED()


def can_run_aside() -> bool:
    """Whether work can run in a second process: `fork` is available and so is a core."""
    return can_fork_aside() and "fork" in multiprocessing.get_all_start_methods()


class Pending(Generic[T]):
    """Work started aside (or deferred); `result()` waits for it."""

    def __init__(self, work: Callable[[], T], *, aside: bool) -> None:
        self._work = work
        self._executor: ProcessPoolExecutor | None = None
        self._future: Future[T] | None = None
        if aside:
            global _INHERITED
            _INHERITED = work
            context = multiprocessing.get_context("fork")
            self._executor = ProcessPoolExecutor(max_workers=1, mp_context=context)
            self._future = self._executor.submit(_run_inherited)
            _INHERITED = None  # the child has forked with it; the parent lets it go

    def result(self) -> T:
        """The work's result; if the child process failed, the work is run here."""
        if self._future is None or self._executor is None:
            return self._work()
        try:
            return self._future.result()
        except BrokenProcessPool:
            return self._work()
        finally:
            self._executor.shutdown()


def start(work: Callable[[], T], *, aside: bool) -> Pending[T]:
    """`work`, started in a forked child when `aside` (and `can_run_aside()`), else deferred."""
    return Pending(work, aside=aside and can_run_aside())
