"""Formatting: the generated Python files, made black-formatted.

Three formatters, chosen with `--formatter`:

- `ruff` (the default): `ruff format`, compiled, one process over every file at once. Its
  style is black's, except where black wraps something in parentheses: a long parameter
  annotation (the emitter writes those parenthesized already, `render.signatures`) and a
  line that cannot be made to fit (`return (x.y().data)`, `name: (LongType) = Field(...)`).
  The few definitions where ruff leaves a line longer than the limit are therefore handed
  to black, one definition at a time. The result passes `black --check` (tested on the
  golden trees and on real specs) at a fraction of black's cost on large output.
- `black`: black over every whole file, in process: the reference, and slow on large specs.
- `none`: the files as rendered (valid Python, not black-formatted).
"""

from __future__ import annotations

import bisect
import functools
import importlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from specloom import cache
from specloom.config import FORMATTERS, Formatter
from specloom.render.imports import LINE_LENGTH

__all__ = [
    "FORMATTERS",
    "FormatterUnavailable",
    "FormattingError",
    "format_files",
    "format_source",
    "ruff_format",
]

DEFAULT_FORMATTER: Formatter = "ruff"

_RUFF_OPTIONS = ("--isolated", "--line-length", str(LINE_LENGTH), "--target-version", "py310")
_WRAPPER = "class _:\n"


class FormattingError(Exception):
    """A formatter rejected a generated file: a bug in the generator, not in the spec."""

    def __init__(self, path: str, message: str, formatter: str = "black") -> None:
        super().__init__(f"{formatter} cannot format generated file {path}: {message}")
        self.path = path
        self.message = message


class FormatterUnavailable(Exception):
    """`ruff format` could not run here: its scratch files could not be written or read (a
    full disk, no permission) or ruff could not be started. Neither the spec nor the
    generator is at fault."""

    hint = "free some space there, or format in memory with `--formatter black`"

    def __init__(self, error: OSError, scratch: str | None) -> None:
        where = (
            f" ({error.filename})" if error.filename else f" (under {scratch})" if scratch else ""
        )
        super().__init__(f"cannot format the generated files: {error.strerror or error}{where}")


def format_files(
    files: Mapping[str, str], formatter: Formatter = DEFAULT_FORMATTER
) -> dict[str, str]:
    """`files` with every `*.py` file formatted; other files are returned as they are.
    Returned sorted by path."""
    python = sorted(path for path in files if path.endswith(".py"))
    if formatter == "none":
        return dict(sorted(files.items()))
    # Formatting depends only on the text and the formatters: what is in the cache
    # (`specloom.cache`) from an earlier run is not formatted again.
    version = _formatters_version(formatter)
    keys = {path: cache.key_of(version, files[path]) for path in python}
    cached = cache.get_many("format", keys.values())
    formatted = _decoded(keys, cached)
    missing = [path for path in python if path not in formatted]
    fresh = (
        dict(zip(missing, _formatted(files, missing, formatter), strict=True)) if missing else {}
    )
    cache.put_many("format", {keys[path]: text.encode("utf-8") for path, text in fresh.items()})
    formatted.update(fresh)
    return {path: formatted.get(path, files[path]) for path in sorted(files)}


def _decoded(keys: Mapping[str, str], cached: dict[str, bytes]) -> dict[str, str]:
    """The cached text of each path whose key is in `cached`, each stored text dropped as
    soon as it is decoded (not all 23 MB of GitHub's held twice)."""
    texts: dict[str, str] = {}
    decoded: dict[str, str] = {}
    for path, key in keys.items():
        if key not in decoded and key in cached:
            decoded[key] = cached.pop(key).decode("utf-8")
        if key in decoded:
            texts[path] = decoded[key]
    return texts


@functools.cache
def _formatters_version(formatter: Formatter) -> str:
    """What formatted output depends on besides the text: the versions of specloom (its
    adjustments), black and, for `ruff`, ruff."""
    version = cache.installed_version
    versions = [f"specloom {version('specloom')}", f"black {version('black')}", formatter]
    if formatter == "ruff":
        versions.append(f"ruff {version('ruff')}")
    return ", ".join(versions)


def _formatted(files: Mapping[str, str], paths: list[str], formatter: Formatter) -> list[str]:
    if formatter == "black":
        return [format_source(files[path], path) for path in paths]
    formatted = ruff_format_many({path: files[path] for path in paths})
    return [_black_where_ruff_parts(formatted[path], path) for path in paths]


def format_source(text: str, path: str = "<source>") -> str:
    """Python source formatted by black; `path` names it in the error, if black fails."""
    import black  # imported when first used: a run formatting with ruff seldom needs it

    try:
        return black.format_str(text, mode=_black_mode())
    except Exception as exc:
        # black raises InvalidInput for unparsable code and AssertionError-derived
        # errors when its output would not be equivalent; both mean a generator bug.
        raise FormattingError(path, str(exc)) from exc


@functools.cache
def _black_mode() -> Any:
    import black
    from black.mode import TargetVersion

    return black.Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)


def _black_where_ruff_parts(text: str, path: str) -> str:
    lines = _one_blank_line_after_imports(text.split("\n"))
    overflowing = _overflowing_statements(lines)
    return _reformat_with_black(lines, overflowing, path) if overflowing else "\n".join(lines)


_FILES_PER_RUN = 2000
"""Files named on one `ruff format` command line (well below the system's limit)."""

_PARSE_FAILURE = re.compile(r"Failed to parse (?P<path>.+?):\d+:\d+: (?P<message>.*)")


def ruff_format_many(files: Mapping[str, str]) -> dict[str, str]:
    """`files` (relative POSIX path -> Python source) formatted by `ruff format`, one
    process for all of them (ruff spreads the files over the cores)."""
    if len(files) == 1:
        [(path, text)] = files.items()
        return {path: ruff_format(text, path)}
    scratch_parent = _scratch_parent()
    if scratch_parent is not None:
        try:
            return _ruff_format_in(scratch_parent, files)
        except OSError:
            pass  # /dev/shm is often small (64 MiB in a container): try the temporary folder
    try:
        return _ruff_format_in(None, files)
    except OSError as error:
        raise FormatterUnavailable(error, tempfile.gettempdir()) from error


def _ruff_format_in(scratch_parent: str | None, files: Mapping[str, str]) -> dict[str, str]:
    with tempfile.TemporaryDirectory(prefix="specloom-format-", dir=scratch_parent) as scratch:
        root = Path(scratch)
        for folder in {PurePosixPath(path).parent for path in files}:
            (root / folder).mkdir(parents=True, exist_ok=True)
        for path, text in files.items():
            with open(root / path, "wb") as file:
                file.write(text.encode("utf-8"))
        paths = list(files)
        for start in range(0, len(paths), _FILES_PER_RUN):
            chunk = paths[start : start + _FILES_PER_RUN]
            completed = subprocess.run(
                [_ruff_binary(), "format", *_RUFF_OPTIONS, "--", *chunk],
                cwd=root,
                capture_output=True,
                check=False,
            )
            if completed.returncode != 0:
                raise _ruff_failure(completed.stderr.decode("utf-8", "replace"), chunk)
        formatted: dict[str, str] = {}
        for path in paths:
            with open(root / path, "rb") as file:
                formatted[path] = file.read().decode("utf-8")
        return formatted


def _scratch_parent() -> str | None:
    """Where the files to format are written: memory (`/dev/shm`) where there is one, as
    thousands of small files cost more on a disk shared with other work than formatting."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None


def _ruff_failure(stderr: str, paths: list[str]) -> FormattingError:
    found = _PARSE_FAILURE.search(stderr)
    if found is not None and found["path"] in paths:
        return FormattingError(found["path"], f"cannot parse: {found['message']}", "ruff")
    return FormattingError(paths[0], stderr.strip(), formatter="ruff")


def ruff_format(text: str, path: str = "<source>") -> str:
    """Python source formatted by `ruff format` with black's settings, ignoring any
    configuration files around."""
    try:
        completed = subprocess.run(
            [_ruff_binary(), "format", *_RUFF_OPTIONS, "--stdin-filename", path, "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise FormatterUnavailable(error, None) from error
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise FormattingError(path, f"cannot parse: {message}", formatter="ruff")
    return completed.stdout.decode("utf-8")


def _ruff_binary() -> str:
    try:
        finder: Callable[[], str] = importlib.import_module("ruff.__main__").find_ruff_bin
        return os.fspath(finder())
    except (ImportError, FileNotFoundError, AttributeError):
        found = shutil.which("ruff")
        if found is None:
            raise FileNotFoundError("ruff is not installed: pip install ruff") from None
        return found


# Where ruff's style and black's part.

_IMPORTS = ("import ", "from ")
_DEFINITIONS = ("class ", "def ", "async def ", "@")


def _one_blank_line_after_imports(lines: list[str]) -> list[str]:
    """`lines` with one blank line, not two, between the top-level imports and a statement
    that is not a definition: black requires one (since 26; earlier versions keep one),
    ruff keeps two."""
    index = _after_module_docstring(lines)
    last_import: int | None = None
    while index < len(lines):
        line = lines[index]
        if line.startswith(_IMPORTS):
            if line.endswith("("):  # a parenthesized import ends on its closing line
                while index + 1 < len(lines) and lines[index] != ")":
                    index += 1
            last_import = index
        elif line and not line[0].isspace():
            break
        elif line:  # indented code before any definition: not an import block's end
            return lines
        index += 1
    if last_import is None or index >= len(lines) or lines[index].startswith(_DEFINITIONS):
        return lines
    if index - last_import == 3:  # two blank lines between
        del lines[last_import + 1]
    return lines


def _after_module_docstring(lines: list[str]) -> int:
    """The index after the leading comments and the module docstring."""
    start = 0
    while start < len(lines) and (not lines[start] or lines[start].startswith("#")):
        start += 1
    if start == len(lines) or not lines[start].startswith('"""'):
        return start
    if lines[start].count('"""') >= 2:
        return start + 1
    after = range(start + 1, len(lines))
    return next((i for i in after if '"""' in lines[i]), len(lines) - 1) + 1


# black, one definition at a time, where ruff leaves an over-long line.

# A long line that starts a statement black may wrap in parentheses: `return x.y().data`,
# `name: LongType = Field(`, `name = value`; not a keyword argument (`path="..."`).
_WRAPPABLE = re.compile(r" *(?:return |[A-Za-z_][\w.]*(?:: | = ))")
_CLOSING = (")", "]", "}")


def _overflowing_statements(lines: list[str]) -> list[int]:
    """Indexes of the over-long lines, outside strings, that start a wrappable statement."""
    found: list[int] = []
    in_string = False
    for index, line in enumerate(lines):
        quotes = line.count('"""')
        if len(line) > LINE_LENGTH and not in_string and not quotes and _WRAPPABLE.match(line):
            found.append(index)
        if quotes % 2:
            in_string = not in_string
    return found


def _reformat_with_black(lines: list[str], overflowing: list[int], path: str) -> str:
    """`lines` with the definitions holding the `overflowing` lines formatted by black: a
    top-level statement, or one statement of a class body, in the context of a class."""
    starts = _statement_starts(lines)
    spans = {_span(lines, starts, index) for index in overflowing}
    for first, end, indented in sorted(spans, reverse=True):
        chunk = "\n".join(lines[first:end]) + "\n"
        if indented:
            out = format_source(_WRAPPER + chunk, path)[len(_WRAPPER) :]
        else:
            out = format_source(chunk, path)
        lines[first:end] = out.rstrip("\n").split("\n")
    return "\n".join(lines)


def _statement_starts(lines: list[str]) -> dict[int, list[int]]:
    """The indexes of the lines that start a statement at indentation 0 and 4 (in ruff's
    output: the lines at that indentation, outside strings, that do not close a bracket)."""
    starts: dict[int, list[int]] = {0: [], 4: []}
    in_string = False
    for index, line in enumerate(lines):
        if not in_string and line.strip() and not line.lstrip().startswith(_CLOSING):
            indent = len(line) - len(line.lstrip(" "))
            if indent in starts:
                starts[indent].append(index)
        if line.count('"""') % 2:
            in_string = not in_string
    return starts


def _span(lines: list[str], starts: dict[int, list[int]], index: int) -> tuple[int, int, bool]:
    """(first, end, inside a class) of the statement holding line `index`."""
    top = starts[0]
    position = bisect.bisect_right(top, index) - 1
    first = top[position] if position >= 0 else 0
    end = top[position + 1] if position + 1 < len(top) else len(lines)
    if lines[first].startswith("class ") and index > first:
        members = starts[4]
        at = bisect.bisect_right(members, index) - 1
        if at >= 0 and members[at] > first:
            member_first = members[at]
            following = members[at + 1] if at + 1 < len(members) else end
            return member_first, _trimmed(lines, member_first, min(following, end)), True
    return first, _trimmed(lines, first, end), False


def _trimmed(lines: list[str], first: int, end: int) -> int:
    """`end` moved up past the blank lines before it."""
    while end > first + 1 and not lines[end - 1].strip():
        end -= 1
    return end
