"""Checking a `--templates` folder before it is used, and reporting its template errors.

A file in the folder replaces the bundled template with the same relative path
(`package/README.md.jinja`). One whose path matches no bundled template would be silently
unused, so it is reported (with the closest bundled path); a missing folder is an error;
a syntax or rendering error in a custom template becomes a diagnostic at its line.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from specloom.diagnostics import Diagnostic, Level
from specloom.messages import did_you_mean
from specloom.render.engine import TEMPLATES_PACKAGE
from specloom.render.format import FormattingError

if TYPE_CHECKING:
    from importlib.abc import Traversable


def bundled_templates() -> list[str]:
    """The relative paths of the bundled templates (`client/client.py.jinja`, ...)."""
    return sorted(_walk(importlib.resources.files(TEMPLATES_PACKAGE), ""))


def templates_folder_problems(folder: Path) -> list[Diagnostic]:
    """Why `folder` cannot be used as a templates folder, and the files it would not use."""
    if not folder.is_dir():
        return [Diagnostic(Level.ERROR, "the templates folder does not exist", file=str(folder))]
    bundled = bundled_templates()
    problems: list[Diagnostic] = []
    for path in sorted(folder.rglob("*.jinja")):
        relative = path.relative_to(folder).as_posix()
        if relative not in bundled:
            hint = did_you_mean(relative, bundled) or "bundled: " + ", ".join(bundled)
            problems.append(
                Diagnostic(
                    Level.WARNING,
                    f"{relative} replaces no bundled template and is not used",
                    file=str(path),
                    hint=hint,
                )
            )
    return problems


def template_error(exc: jinja2.TemplateError | FormattingError) -> Diagnostic:
    """A diagnostic for an error in a (custom) template, at its file and line."""
    if isinstance(exc, FormattingError):
        return Diagnostic(
            Level.ERROR,
            f"the generated {exc.path} is not valid Python",
            hint="check the custom templates that produce it",
        )
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = exc.filename or exc.name or ""
        return Diagnostic(
            Level.ERROR, f"template syntax error: {exc.message}", "", where, exc.lineno
        )
    return Diagnostic(Level.ERROR, f"template error: {exc}")


def _walk(folder: Traversable, prefix: str) -> Iterator[str]:
    for entry in folder.iterdir():
        if entry.is_dir():
            if not entry.name.startswith(("_", ".")):
                yield from _walk(entry, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".jinja"):
            yield prefix + entry.name
