"""Generation options: one immutable value passed down the pipeline (no global state)."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import Literal

from specloom.shadowing import shadowed_module

Target = Literal["client", "server", "all"]
TARGETS: tuple[Target, ...] = ("client", "server", "all")

Formatter = Literal["ruff", "black", "none"]
FORMATTERS: tuple[Formatter, ...] = ("ruff", "black", "none")
"""`ruff` (default) and `black` both give black-formatted files; `none` leaves them as rendered."""

_PACKAGE_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


@dataclass(frozen=True)
class GenerateConfig:
    """What to generate and how."""

    package_name: str
    """The import name of the generated package, e.g. `petstore`."""
    target: Target = "all"
    strict: bool = False
    """Treat warnings as errors."""
    formatter: Formatter = "ruff"
    """How the generated Python files are formatted (`specloom.render.format`)."""

    @property
    def with_client(self) -> bool:
        return self.target in ("client", "all")

    @property
    def with_server(self) -> bool:
        return self.target in ("server", "all")

    @property
    def distribution_name(self) -> str:
        """The name in the generated pyproject.toml (`my_api` -> `my-api`)."""
        return self.package_name.replace("_", "-")


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's import name, or None when it can."""
    if not _PACKAGE_NAME.match(name):
        return (
            f"package name {name!r} must be a lower-case Python identifier "
            "(letters, digits and underscores, not starting with a digit)"
        )
    if keyword.iskeyword(name):
        return f"package name {name!r} is a Python keyword"
    shadowed = shadowed_module(name)
    if shadowed is not None:
        return f"package name {name!r} would shadow {shadowed}, so imports would break"
    return None
