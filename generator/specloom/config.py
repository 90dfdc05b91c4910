"""Generation options: one immutable value passed down the pipeline (no global state)."""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Literal

import msgspec

from specloom.shadowing import shadowed_module

Target = Literal["client", "server", "all"]
TARGETS: tuple[Target, ...] = ("client", "server", "all")

Formatter = Literal["ruff", "black", "none"]
FORMATTERS: tuple[Formatter, ...] = ("ruff", "black", "none")
"""`ruff` (default) and `black` both give black-formatted files; `none` leaves them as rendered."""
RuntimeMode = Literal["vendored", "dependency"]
RUNTIME_MODES: tuple[RuntimeMode, ...] = ("vendored", "dependency")
"""`vendored`: a copy of specloom_runtime inside the package (`<package>._runtime`), so it
installs from the package index alone; `dependency`: it requires `specloom-runtime`."""

_PACKAGE_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


class GenerateConfig(msgspec.Struct, frozen=True):
    """What to generate and how."""

    package_name: str
    """The import name of the generated package, e.g. `petstore`."""
    target: Target = "all"
    strict: bool = False
    """Treat warnings as errors."""
    formatter: Formatter = "ruff"
    """How the generated Python files are formatted (`specloom.render.format`)."""
    runtime: RuntimeMode = "dependency"
    """The command line's default is `vendored`; this library default keeps code that builds
    its own config (tests, tools) on the installed `specloom_runtime`."""
    distribution: str | None = None
    """The distribution name in the generated pyproject.toml (default: `<package>-client`,
    or `<package>-server` for a server alone)."""
    templates: Path | None = None
    """A folder whose templates replace the bundled ones of the same relative path."""
    source_label: str = ""
    """How the header of each generated file names the spec (its file name or URL)."""

    @property
    def with_client(self) -> bool:
        return self.target in ("client", "all")

    @property
    def with_server(self) -> bool:
        return self.target in ("server", "all")

    @property
    def distribution_name(self) -> str:
        """The name in the generated pyproject.toml: `distribution`, or by default the
        package's name with a suffix (`my_api` -> `my-api-client`), so that it never takes
        the name of the API's own project on the package index (`stripe`)."""
        if self.distribution is not None:
            return self.distribution
        suffix = "-server" if self.target == "server" else "-client"
        return self.package_name.replace("_", "-") + suffix

    @property
    def runtime_module(self) -> str:
        """The import path of the runtime in generated code."""
        if self.runtime == "vendored":
            return f"{self.package_name}.{VENDORED_RUNTIME}"
        return "specloom_runtime"


VENDORED_RUNTIME = "_runtime"
"""The name of the vendored runtime subpackage inside a generated package."""

_DISTRIBUTION_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?\Z")


def distribution_name_problem(name: str) -> str | None:
    """Why `name` cannot be a distribution name (PEP 508), or None when it can."""
    if _DISTRIBUTION_NAME.match(name):
        return None
    return (
        f"distribution name {name!r} must be letters, digits, '.', '_' and '-', "
        "starting and ending with a letter or digit"
    )


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
