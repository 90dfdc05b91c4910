"""Configuration files: one `[[tool.specloom.generate]]` table per generated package.

A project keeps its generation settings in `pyproject.toml` (`[[tool.specloom.generate]]`)
or in `specloom.toml` (`[[generate]]`, the same keys without the `tool.specloom.` prefix).
Every option of `specloom generate` is a key, spelled like its `--long-flag` with
underscores (`skip_validation = true`); `spec` and `out` are required. The keys are read
from the command line's own parser, so a new flag is a new key with nothing else to do.

Relative paths in a table are relative to the file's folder. A problem (an unknown key,
a value of the wrong type, a TOML syntax error) is a diagnostic naming the file, the line
and the key.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

import msgspec

from specloom.diagnostics import Diagnostic, Level, join_pointer
from specloom.loading.policy import parse_size

if TYPE_CHECKING:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

CONFIG_FILE = "specloom.toml"
PYPROJECT = "pyproject.toml"

Kind = Literal["bool", "int", "number", "size", "str", "path", "list"]

_NOT_KEYS = frozenset({"help", "version", "config", "command"})
_REQUIRED = ("spec", "out")
_FOLDER_LISTS = frozenset({"allow_ref_root"})
"""List keys whose items are folders, relative to the configuration file like paths."""
_HEADER = re.compile(r"\s*(\[\[?)([^\]]*)\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


class Option(msgspec.Struct, frozen=True):
    """One key a generate table may hold, as the command line defines it."""

    key: str
    kind: Kind
    choices: tuple[str, ...] = ()


class GenerateTable(msgspec.Struct, frozen=True):
    """One `[[generate]]` table: the options of one generated package."""

    values: dict[str, Any]
    """Key -> value, paths made absolute against the file's folder."""
    file: Path
    line: int
    """The line of the table's header."""


def options_of(parser: argparse.ArgumentParser) -> dict[str, Option]:
    """The keys a generate table accepts: one per argument of `parser`."""
    options: dict[str, Option] = {}
    for action in parser._actions:
        if action.dest in _NOT_KEYS or action.dest == argparse.SUPPRESS:
            continue
        options[action.dest] = Option(action.dest, _kind_of(action), tuple(action.choices or ()))
    return options


def _kind_of(action: argparse.Action) -> Kind:
    if action.nargs == 0 and isinstance(action.const, bool):
        return "bool"
    if isinstance(action, argparse.BooleanOptionalAction):
        return "bool"
    if isinstance(action, argparse._AppendAction):
        return "list"
    if action.type is int:
        return "int"
    if action.type is float:
        return "number"
    if action.metavar == "SIZE":
        return "size"
    if action.type is Path or action.dest in ("spec",):
        return "path"
    return "str"


def find_config(start: Path) -> Path | None:
    """The nearest `specloom.toml`, or `pyproject.toml` with a `[tool.specloom]` table, in
    `start` or a folder above it."""
    for folder in [start, *start.parents]:
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return _relative_to_cwd(candidate)
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _mentions_specloom(pyproject):
            return _relative_to_cwd(pyproject)
    return None


def _relative_to_cwd(path: Path) -> Path:
    """`path` relative to the working folder when it is below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _mentions_specloom(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return any(
        _table_name(line) in ("tool.specloom", "tool.specloom.generate")
        for line in text.splitlines()
    )


def read_config(
    path: Path, options: Mapping[str, Option]
) -> tuple[list[GenerateTable], list[Diagnostic]]:
    """The generate tables of the file at `path`, and every problem found in it."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Diagnostic(Level.ERROR, f"cannot read the configuration: {exc}", file=display)]
    toml = _toml()
    try:
        document = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        return [], [_syntax_error(exc, display)]
    lines = _KeyLines(text)
    prefix = ("tool", "specloom") if path.name == PYPROJECT else ()
    section: Any = document
    for part in prefix:
        section = section.get(part, {}) if isinstance(section, dict) else {}
    reader = _Reader(display, lines, prefix, options, path.resolve().parent)
    return reader.tables(section), reader.problems


class _Reader:
    def __init__(
        self,
        display: str,
        lines: _KeyLines,
        prefix: tuple[str, ...],
        options: Mapping[str, Option],
        folder: Path,
    ) -> None:
        self.display = display
        self.lines = lines
        self.prefix = prefix
        self.options = options
        self.folder = folder
        self.problems: list[Diagnostic] = []

    def tables(self, section: Mapping[str, Any]) -> list[GenerateTable]:
        where = ".".join((*self.prefix, "generate"))
        for key in section:
            if key != "generate":
                self._problem(
                    f"unknown key {key!r} in [{'.'.join(self.prefix) or 'top level'}]",
                    self.lines.line_of(self.prefix, key),
                    (*self.prefix, key),
                    hint=f"generation settings go in [[{where}]] tables",
                )
        entries = section.get("generate")
        if entries is None:
            self._problem(
                f"no [[{where}]] table: nothing to generate",
                1,
                self.prefix,
                hint=f'add one per package: [[{where}]] with spec = "..." and out = "..."',
            )
            return []
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            line = self.lines.line_of(self.prefix, "generate")
            self._problem(
                f"'{where}' must be an array of tables, written [[{where}]]",
                line,
                (*self.prefix, "generate"),
            )
            return []
        tables = [self._table(index, entry) for index, entry in enumerate(entries)]
        return [table for table in tables if table is not None]

    def _table(self, index: int, entry: Mapping[str, Any]) -> GenerateTable | None:
        header = self.lines.table_line(self.prefix, index)
        values: dict[str, Any] = {}
        valid = True
        for key, value in entry.items():
            line = self.lines.line_of((*self.prefix, "generate", str(index)), key, header)
            place = (*self.prefix, "generate", index, key)
            option = self.options.get(key)
            if option is None:
                self._problem(f"unknown key {key!r}", line, place, hint=self._suggest(key))
                valid = False
                continue
            problem = _type_problem(option, value)
            if problem is not None:
                self._problem(problem, line, place)
                valid = False
                continue
            values[key] = self._resolved(option, value)
        for key in _REQUIRED:
            if key not in entry:
                self._problem(
                    f"the table has no {key!r}",
                    header,
                    (*self.prefix, "generate", index),
                    hint=f"every [[generate]] table needs {' and '.join(_REQUIRED)}",
                )
                valid = False
        if not valid:
            return None
        return GenerateTable(values, Path(self.display), header)

    def _resolved(self, option: Option, value: Any) -> Any:
        if option.kind == "list" and option.key in _FOLDER_LISTS:
            return [str(_relative_to_cwd(self.folder / item)) for item in value]
        if option.kind != "path" or _is_url(value):
            return value
        path = _relative_to_cwd(self.folder / value)
        return str(path) if option.key == "spec" else path

    def _suggest(self, key: str) -> str:
        spelled = key.replace("-", "_")
        if spelled in self.options:
            return f"did you mean {spelled!r}? keys use underscores"
        import difflib  # imported for a misspelled key only

        close = difflib.get_close_matches(key, list(self.options), n=1)
        if close:
            return f"did you mean {close[0]!r}?"
        return "known keys: " + ", ".join(sorted(self.options))

    def _problem(self, message: str, line: int, place: Iterable[object], hint: str = "") -> None:
        self.problems.append(
            Diagnostic(
                Level.ERROR,
                message,
                join_pointer("", *(str(part) for part in place)),
                self.display,
                line,
                None,
                hint=hint,
            )
        )


def _type_problem(option: Option, value: Any) -> str | None:
    if option.kind == "bool":
        return None if isinstance(value, bool) else _wrong(option.key, "true or false", value)
    if option.kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else _wrong(option.key, "an integer", value)
    if option.kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0
        return None if ok else _wrong(option.key, "a positive number", value)
    if option.kind == "size":
        return _size_problem(option.key, value)
    if option.kind == "list":
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return None if ok else _wrong(option.key, "a list of strings", value)
    if not isinstance(value, str):
        return _wrong(option.key, "a string", value)
    if option.choices and value not in option.choices:
        listed = ", ".join(repr(choice) for choice in option.choices)
        return f"{option.key!r} must be one of {listed}, not {value!r}"
    return None


def _size_problem(key: str, value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return None if value > 0 else _wrong(key, "a positive size", value)
    if not isinstance(value, str):
        return _wrong(key, 'a size (bytes, or a string such as "64M")', value)
    try:
        parse_size(value)
    except ValueError as error:
        return f"{key!r}: {error}"
    return None


def _wrong(key: str, expected: str, value: Any) -> str:
    return f"{key!r} must be {expected}, not {_toml_kind(value)} ({_shown(value)})"


def _toml_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _toml() -> ModuleType:
    """tomllib, imported when a configuration file is read (most runs read none)."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # pragma: no cover - exercised on Python 3.10 only

    return tomli  # pragma: no cover


def _is_url(value: Any) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def _syntax_error(exc: tomllib.TOMLDecodeError, display: str) -> Diagnostic:
    message = str(exc)
    match = _TOML_POSITION.search(message)
    line = column = None
    if match is not None:
        line, column = int(match.group(1)), int(match.group(2))
        message = message[: match.start()].strip()
    return Diagnostic(Level.ERROR, f"TOML syntax error: {message}", "", display, line, column)


def _table_name(line: str) -> str | None:
    match = _HEADER.match(line)
    if match is None:
        return None
    return ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))


class _KeyLines:
    """Where keys and tables are written in TOML text, found by reading its lines.

    tomllib gives values without positions; a line scan is enough to point at a key of a
    plain `key = value` or a table header (nested inline tables point at their parent).
    """

    def __init__(self, text: str) -> None:
        self._keys: dict[tuple[str, str], int] = {}
        self._tables: dict[str, list[int]] = {}
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            name = _table_name(line)
            if name is not None:
                is_array = line.lstrip().startswith("[[")
                lines = self._tables.setdefault(name, [])
                lines.append(number)
                table = f"{name}.{len(lines) - 1}" if is_array else name
                continue
            match = _KEY.match(line)
            if match is not None:
                key = next(group for group in match.groups() if group is not None)
                self._keys.setdefault((table, key), number)

    def table_line(self, prefix: tuple[str, ...], index: int) -> int:
        lines = self._tables.get(".".join((*prefix, "generate")), [])
        return lines[index] if index < len(lines) else 1

    def line_of(self, table: tuple[str, ...], key: str, default: int = 1) -> int:
        return self._keys.get((".".join(table), key), default)
