"""Printing diagnostics the way a compiler does, or as JSON for tools.

Text: one `file:line:col: level: message (at #/pointer)` line per problem (the form editors
and CI problem matchers parse), a `hint:` line and related `note:` lines under it, and a
count at the end, per file when problems are in several. Coloured on a terminal; plain
when the output is piped, with `NO_COLOR` set, or with `TERM=dumb`; `FORCE_COLOR` forces
colour. JSON: one document on stdout at the end, `{"diagnostics": [...], "errors": N,
"warnings": N}`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from typing import Literal, TextIO

from specloom.diagnostics import Diagnostic, Level, Note

OutputFormat = Literal["text", "json"]
FORMATS: tuple[OutputFormat, ...] = ("text", "json")

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_STYLES = {
    Level.ERROR: "\x1b[1;31m",
    Level.WARNING: "\x1b[1;35m",
    "note": "\x1b[1;36m",
    "hint": "\x1b[1;32m",
    "pointer": "\x1b[2m",
}


def wants_color(stream: TextIO) -> bool:
    """Whether to colour what goes to `stream` (https://no-color.org, `FORCE_COLOR`)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


class Reporter:
    """Collects the diagnostics of a run, prints them and counts them."""

    def __init__(
        self, stream: TextIO, json_stream: TextIO, *, output: OutputFormat, color: bool
    ) -> None:
        self._stream = stream
        self._json_stream = json_stream
        self._output = output
        self._color = color and output == "text"
        self._all: list[Diagnostic] = []

    def report(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Print (text) or keep (JSON) these diagnostics."""
        for diagnostic in diagnostics:
            self._all.append(diagnostic)
            if self._output == "text":
                print(self.render(diagnostic), file=self._stream)

    def finish(self) -> None:
        """Print the count (text) or the whole JSON document."""
        if self._output == "json":
            json.dump(as_json(self._all), self._json_stream, indent=2)
            self._json_stream.write("\n")
            return
        if self._all:
            print(self._paint(summary(self._all), _BOLD), file=self._stream)

    def render(self, diagnostic: Diagnostic) -> str:
        """The text of one diagnostic: its line, then its hint and notes indented."""
        level = diagnostic.level
        place = _place(diagnostic.file, diagnostic.line, diagnostic.column)
        head = self._paint(place, _BOLD) + self._paint(f"{level.value}:", _STYLES[level])
        head += f" {diagnostic.message}"
        if diagnostic.pointer:
            head += self._paint(f" (at #{diagnostic.pointer})", _STYLES["pointer"])
        lines = [head]
        lines += [self._note(note) for note in diagnostic.notes]
        if diagnostic.hint:
            lines.append("  " + self._paint("hint:", _STYLES["hint"]) + f" {diagnostic.hint}")
        return "\n".join(lines)

    def _note(self, note: Note) -> str:
        place = _place(note.file, note.line, note.column)
        return (
            "  "
            + self._paint(place, _BOLD)
            + self._paint("note:", _STYLES["note"])
            + (f" {note.message}")
        )

    def _paint(self, text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if self._color and text else text


def summary(diagnostics: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning`; then one line per file when the problems are in several."""
    listed = list(diagnostics)
    total = _counts(listed)
    files = sorted({d.file for d in listed if d.file})
    if len(files) < 2:
        return total
    lines = [f"{total} in {len(files)} files:"]
    lines += [f"  {file}: {_counts([d for d in listed if d.file == file])}" for file in files]
    return "\n".join(lines)


def _counts(diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


def plural(count: int, noun: str) -> str:
    """`1 error`, `2 errors`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def as_json(diagnostics: list[Diagnostic]) -> dict[str, object]:
    """The JSON document of `--format json`."""
    errors = sum(d.level is Level.ERROR for d in diagnostics)
    return {
        "diagnostics": [_diagnostic_json(d) for d in diagnostics],
        "errors": errors,
        "warnings": len(diagnostics) - errors,
    }


def _diagnostic_json(diagnostic: Diagnostic) -> dict[str, object]:
    return {
        "level": diagnostic.level.value,
        "message": diagnostic.message,
        "file": diagnostic.file or None,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "pointer": diagnostic.pointer,
        "hint": diagnostic.hint or None,
        "notes": [
            {"message": n.message, "file": n.file or None, "line": n.line, "column": n.column}
            for n in diagnostic.notes
        ],
    }


def _place(file: str, line: int | None, column: int | None) -> str:
    where = file
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return f"{where}: " if where else ""
