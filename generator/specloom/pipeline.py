"""The pipeline: load -> validate -> parse -> render -> format, each stage adding diagnostics.

Stages hand values to each other; nothing here prints or writes. A stage that
cannot produce anything ends the run early, but every diagnostic gathered up
to that point is returned, so the user sees all problems at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.ir import Api
from specloom.loader import LoadedSpec, load
from specloom.parser import parse
from specloom.validate import validate
from specloom.validate_findings import SKIP_VALIDATION_HINT


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
    source: str | os.PathLike[str], *, skip_validation: bool = False, strict: bool = False
) -> CheckResult:
    """Load, validate and parse `source`; `api` is None when it has errors (or warnings, if strict).

    With `skip_validation`, schema-validation problems are reported as warnings and the
    spec is parsed anyway.
    """
    spec, diagnostics = load(source)
    if spec is None or has_errors(diagnostics):
        return CheckResult(None, _sorted(diagnostics))
    found = validate(spec)
    if skip_validation:
        found = [replace(d, level=Level.WARNING) for d in found]
    else:
        found = [_with_hint(d) for d in found]
    diagnostics += found
    if has_errors(diagnostics):
        return CheckResult(None, _sorted(diagnostics))
    api, parse_diagnostics = parse(spec.document)
    diagnostics += [_located(spec, d) for d in parse_diagnostics]
    if has_errors(diagnostics, strict=strict):
        return CheckResult(None, _sorted(diagnostics))
    return CheckResult(api, _sorted(diagnostics))


def generate(
    source: str | os.PathLike[str], config: GenerateConfig, *, skip_validation: bool = False
) -> GenerateResult:
    """Everything up to the files' text: nothing is written."""
    # Imported here so `specloom validate` never pays for jinja2 and black.
    from specloom.render import render
    from specloom.render.format import format_files

    checked = check(source, skip_validation=skip_validation, strict=config.strict)
    if checked.api is None:
        return GenerateResult(None, checked.diagnostics)
    files = format_files(render(checked.api, config))
    return GenerateResult(files, checked.diagnostics)


def _with_hint(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.level is not Level.ERROR:
        return diagnostic
    return replace(diagnostic, message=f"{diagnostic.message} {SKIP_VALIDATION_HINT}")


def _located(spec: LoadedSpec, diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.line is not None or not diagnostic.pointer:
        return diagnostic
    file, line, column = spec.locate(diagnostic.pointer)
    return replace(diagnostic, file=diagnostic.file or file, line=line, column=column)


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(
        diagnostics, key=lambda d: (d.file, d.line or 0, d.column or 0, d.pointer, d.message)
    )
