"""Progress on a terminal: which spec, which stage, how long it has been running.

One status line on stderr, rewritten in place (`[2/3] specs/github.json: validating 12s`)
and erased when the run ends, so a large spec or many specs never run in silence. Nothing
is shown when stderr is not a terminal (piped, in CI logs) or with `--quiet`.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TextIO

_REFRESH_SECONDS = 0.5
_ERASE = "\r\x1b[K"


class Progress:
    """The status line; a no-op unless `enabled`. Use as a context manager."""

    def __init__(self, stream: TextIO, *, enabled: bool, total: int = 1) -> None:
        self._stream = stream
        self._enabled = enabled
        self._total = total
        self._index = 0
        self._label = ""
        self._stage = ""
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def enabled(self) -> bool:
        return self._enabled

    def __enter__(self) -> Progress:
        if self._enabled:
            self._thread = threading.Thread(target=self._tick, name="specloom-progress")
            self._thread.daemon = True
            self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.clear()

    def item(self, label: str) -> None:
        """The next spec (or table) starts."""
        with self._lock:
            self._index += 1
            self._label = label
            self._stage = ""
        self._draw()

    def stage(self, name: str) -> None:
        """The current spec enters a stage of the pipeline (`loading`, `validating`, ...)."""
        with self._lock:
            self._stage = name
            self._started = time.monotonic()
        self._draw()

    def clear(self) -> None:
        """Erase the status line (before other output is printed)."""
        if self._enabled:
            with self._lock:
                self._stream.write(_ERASE)
                self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(_REFRESH_SECONDS):
            self._draw()

    def _draw(self) -> None:
        if not self._enabled:
            return
        with self._lock:
            count = f"[{self._index}/{self._total}] " if self._total > 1 else ""
            elapsed = int(time.monotonic() - self._started)
            timer = f" {elapsed}s" if elapsed >= 1 else ""
            stage = f": {self._stage}{timer}" if self._stage else ""
            self._stream.write(f"{_ERASE}{count}{self._label}{stage}")
            self._stream.flush()
