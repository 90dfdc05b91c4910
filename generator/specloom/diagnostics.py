"""Diagnostics: problems found in a spec, collected as values and reported together.

Every stage of the pipeline returns what it could build plus a list of
`Diagnostic`s instead of raising, so one bad schema or operation never stops
the rest. Each diagnostic carries a JSON pointer into the source document and,
where known, the file and the line/column it came from.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import msgspec


class Level(enum.Enum):
    """How serious a diagnostic is; `ERROR` fails the run, `WARNING` only with --strict."""

    WARNING = "warning"
    ERROR = "error"


class Note(msgspec.Struct, frozen=True, order=True):
    """A place related to a diagnostic, e.g. where an unclosed bracket was opened."""

    message: str
    file: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{_place(self.file, self.line, self.column)}note: {self.message}"


class Diagnostic(msgspec.Struct, frozen=True, order=True):
    """One problem: what is wrong, how bad it is, and where in the source it sits."""

    level: Level
    message: str
    pointer: str = ""
    """A JSON pointer (RFC 6901) into the document, e.g. `/paths/~1pets/get`."""
    file: str = ""
    """The source file (or URL) the pointer refers to; empty when not known."""
    line: int | None = None
    """1-based line in `file`, when the loader knows it."""
    column: int | None = None
    """1-based column in `file`, when the loader knows it."""
    hint: str = ""
    """What the user can do about it, when there is something to say."""
    notes: tuple[Note, ...] = ()
    """Related places, e.g. where the construct that broke began."""

    def __str__(self) -> str:
        """The compiler form editors and CI problem matchers read:
        `file:line:col: level: message (at #/pointer)`."""
        at = f" (at #{self.pointer})" if self.pointer else ""
        where = _place(self.file, self.line, self.column)
        return f"{where}{self.level.value}: {self.message}{at}"


def _place(file: str, line: int | None, column: int | None) -> str:
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return f"{where}: " if where else ""


def error(message: str, pointer: str = "", file: str = "") -> Diagnostic:
    """An error diagnostic: generation fails when any is present."""
    return Diagnostic(Level.ERROR, message, pointer, file)


def warning(message: str, pointer: str = "", file: str = "") -> Diagnostic:
    """A warning diagnostic: what was skipped or guessed; fatal only with --strict."""
    return Diagnostic(Level.WARNING, message, pointer, file)


def has_errors(diagnostics: Iterable[Diagnostic], *, strict: bool = False) -> bool:
    """Whether these diagnostics fail the run (warnings too when `strict`)."""
    return any(d.level is Level.ERROR or strict for d in diagnostics)


def escape_pointer_token(token: str | int) -> str:
    """Escape one reference token for a JSON pointer (RFC 6901 section 3)."""
    text = str(token)
    if "~" not in text and "/" not in text:  # the common case, on a hot path for big specs
        return text
    return text.replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: str | int) -> str:
    """Append escaped reference tokens to a JSON pointer."""
    return "/".join([base, *map(escape_pointer_token, tokens)])  # a hot path for big specs
