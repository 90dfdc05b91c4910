"""The pipeline: load -> validate -> parse -> render -> format, each stage adding diagnostics.

Stages hand values to each other; nothing here prints or writes. A stage that
cannot produce anything ends the run early, but every diagnostic gathered up
to that point is returned, so the user sees all problems at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, has_errors
from specloom.ir import Api
from specloom.loader import LoadedSpec, ReadPolicy, load
from specloom.parser import parse
from specloom.validate import validate


@dataclass(frozen=True)
class CheckResult:
    """The outcome of loading, validating and parsing a spec."""

    api: Api | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


@dataclass(frozen=True)
class GenerateResult:
    """The generated files (None when the spec has errors) and every diagnostic."""

    files: dict[str, str] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)


def check(
    source: str | os.PathLike[str],
    *,
    skip_validation: bool = False,
    strict: bool = False,
    policy: ReadPolicy | None = None,
) -> CheckResult:
    """Load, validate and parse `source`; `api` is None when it has errors (or warnings, if strict).

    With `skip_validation`, the OpenAPI validation is not run at all: the spec is parsed
    as loaded. `policy` bounds what loading reads (see `specloom.loader.ReadPolicy`).
    """
    spec, diagnostics = load(source, policy=policy)
    if spec is None or has_errors(diagnostics):
        return CheckResult(None, _sorted(diagnostics))
    if not skip_validation:
        diagnostics += validate(spec)
    if has_errors(diagnostics):
        return CheckResult(None, _sorted(diagnostics))
    api, parse_diagnostics = parse(spec.document)
    diagnostics += [_located(spec, d) for d in parse_diagnostics]
    if has_errors(diagnostics, strict=strict):
        return CheckResult(None, _sorted(diagnostics))
    return CheckResult(api, _sorted(diagnostics))


def generate(
    source: str | os.PathLike[str],
    config: GenerateConfig,
    *,
    skip_validation: bool = False,
    policy: ReadPolicy | None = None,
) -> GenerateResult:
    """Everything up to the files' text: nothing is written."""
    # Imported here so `specloom validate` never pays for jinja2 and black.
    from specloom.render import render
    from specloom.render.format import format_files

    checked = check(source, skip_validation=skip_validation, strict=config.strict, policy=policy)
    if checked.api is None:
        return GenerateResult(None, checked.diagnostics)
    files = format_files(render(checked.api, config), config.formatter)
    return GenerateResult(files, checked.diagnostics)


def _located(spec: LoadedSpec, diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.line is not None or not diagnostic.pointer:
        return diagnostic
    file, line, column = spec.locate(diagnostic.pointer)
    return replace(diagnostic, file=diagnostic.file or file, line=line, column=column)


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(
        diagnostics, key=lambda d: (d.file, d.line or 0, d.column or 0, d.pointer, d.message)
    )
