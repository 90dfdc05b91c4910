"""Formatting: black, in process, over the generated Python files."""

from __future__ import annotations

from collections.abc import Mapping

import black
from black.mode import TargetVersion

_MODE = black.Mode(target_versions={TargetVersion.PY310})


class FormattingError(Exception):
    """black rejected a generated file: a bug in the generator, not in the spec."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"black cannot format generated file {path}: {message}")
        self.path = path
        self.message = message


def format_files(files: Mapping[str, str]) -> dict[str, str]:
    """`files` with every `*.py` file formatted by black; other files are returned as they
    are. Files are formatted in path order and returned sorted by path."""
    return {path: _format(path, files[path]) for path in sorted(files)}


def format_source(text: str, path: str = "<source>") -> str:
    """Python source formatted by black; `path` names it in the error, if black fails."""
    try:
        return black.format_str(text, mode=_MODE)
    except Exception as exc:
        # black raises InvalidInput for unparsable code and AssertionError-derived
        # errors when its output would not be equivalent; both mean a generator bug.
        raise FormattingError(path, str(exc)) from exc


def _format(path: str, text: str) -> str:
    return format_source(text, path) if path.endswith(".py") else text
