"""The pipeline: load -> validate -> parse -> render -> format, each stage adding diagnostics.

Stages hand values to each other; nothing here prints or writes. A stage that
cannot produce anything ends the run early, but every diagnostic gathered up
to that point is returned, so the user sees all problems at once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import msgspec

from specloom.collection import fewer_collections
from specloom.config import GenerateConfig
from specloom.diagnostics import Diagnostic, Level, has_errors
from specloom.loading.pointers import MISSING, lookup, split_fragment
from specloom.loading.policy import ReadPolicy
from specloom.result_cache import Reuse
from specloom.validate_findings import SKIP_VALIDATION_HINT

if TYPE_CHECKING:
    from specloom.ir import Api
    from specloom.loading.loaded import LoadedSpec
    from specloom.render.engine import ModelsModule
    from specloom.validation_standby import ValidatorStandby

T = TypeVar("T")

_PATHS_WORTH_A_PROCESS = 100
"""From this many paths on, validation runs in a second process beside the parse."""


class CheckResult(msgspec.Struct, frozen=True):
    """The outcome of loading, validating and parsing a spec."""

    api: Api | None
    diagnostics: list[Diagnostic] = msgspec.field(default_factory=list)


@dataclass(frozen=True)
class GenerateResult:
    """The generated files (None when the spec has errors) and every diagnostic."""

    files: Mapping[str, str] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    digests: Mapping[str, bytes] | None = field(default=None, compare=False)
    """The files' digests as the result cache stored them (`result_cache.form_digest`),
    when it did: the writer's record of the output folder keeps them (not part of what a
    result is: equal results may have been stored in different forms)."""


StageCallback = Callable[[str], None]
"""Told the name of each stage as it starts (`loading`, `validating`, ...), for progress."""


def _quiet(stage: str) -> None:
    pass


def check(
    source: str | os.PathLike[str],
    *,
    skip_validation: bool = False,
    strict: bool = False,
    policy: ReadPolicy | None = None,
    on_stage: StageCallback = _quiet,
) -> CheckResult:
    """Load, validate and parse `source`; `api` is None when it has errors (or warnings, if strict).

    With `skip_validation`, the OpenAPI validation is not run at all: the spec is parsed
    as loaded. `policy` bounds what loading reads (see `specloom.loader.ReadPolicy`).
    """
    with fewer_collections():
        checked, _, _ = _check_then(source, None, skip_validation, strict, policy, on_stage)
    return checked


def findings(
    source: str | os.PathLike[str],
    *,
    strict: bool = False,
    policy: ReadPolicy | None = None,
    on_stage: StageCallback = _quiet,
) -> tuple[bool, list[Diagnostic]]:
    """Whether `source` is valid (as `check` finds it, validated) and its diagnostics; what
    an earlier check of the same inputs found, when it found the spec valid and nothing it
    read has changed since (`specloom.result_cache`)."""
    reuse = Reuse.of_check(source, strict=strict, policy=policy)
    earlier = reuse.stored()
    if earlier is not None:
        return True, earlier.diagnostics
    with fewer_collections():
        checked, _, spec = _check_then(source, None, False, strict, policy, on_stage)
    if checked.api is None:
        return False, checked.diagnostics
    reuse.keep({}, checked.diagnostics, spec.read_from if spec else None)
    return True, checked.diagnostics


def generate(
    source: str | os.PathLike[str],
    config: GenerateConfig,
    *,
    skip_validation: bool = False,
    policy: ReadPolicy | None = None,
    on_stage: StageCallback = _quiet,
    output: Path | None = None,
    standby: ValidatorStandby | None = None,
) -> GenerateResult:
    """Everything up to the files' text: nothing is written. `output`, the folder the
    files are to be written to, may hold the last run's files as it wrote them: a run
    that patches that result reads them there (`specloom.earlier_files`). `standby`, a
    child that validates a rebuilt operation's path item aside, is closed once this run
    knows whether it rebuilds one (`specloom.validation_standby`)."""
    models_modules: list[ModelsModule] = []
    """The models modules the render made, which the record for patching keeps some of."""

    def files_of(api: Api, spec: LoadedSpec) -> dict[str, str]:
        if config.with_server:  # the server serves the spec it was generated from
            api = msgspec.structs.replace(api, spec_json=_spec_json(spec.document))
        # Imported here: `specloom validate` and a run that reuses an earlier result never
        # pay for jinja2 and black.
        from specloom.render import render
        from specloom.render.format import format_files
        from specloom.render.vendor import vendored_files
        from specloom.render_cache import reusing_renders

        operations = sum(len(service.operations) for service in api.services)
        on_stage(f"rendering {_count(len(api.types), 'type')}, {_count(operations, 'operation')}")
        with reusing_renders(config):
            rendered = render(api, config, models_modules)
        python_files = sum(path.endswith(".py") for path in rendered)
        on_stage(f"formatting {_count(python_files, 'file')}")
        files = format_files(rendered, config.formatter)
        files.update(vendored_files(config))  # copied as they are: already formatted
        return files

    reuse = Reuse.of(source, config, skip_validation=skip_validation, policy=policy)
    try:
        earlier = reuse.stored()
        if earlier is not None:
            return GenerateResult(earlier.files, earlier.diagnostics, earlier.digests)
        # Imported here: a run that reuses an earlier result whole does not patch one.
        from specloom import doc_edits, operation_edits

        with fewer_collections():  # the last run's record, the spec read anew: many objects
            last = doc_edits.current(reuse)
            patched = doc_edits.patched(reuse, last, output)  # an edit of one operation's prose
            if patched is None:  # a change inside one operation
                patched = operation_edits.patched(
                    reuse,
                    last,
                    config,
                    skip_validation=skip_validation,
                    output=output,
                    standby=standby,
                )
    finally:
        if standby is not None:
            standby.close()
    if patched is not None:
        return GenerateResult(patched.files, patched.diagnostics, patched.digests)
    with fewer_collections():
        checked, files, spec = _check_then(
            source, files_of, skip_validation, config.strict, policy, on_stage
        )
        if checked.api is None or files is None or spec is None:
            return GenerateResult(None, checked.diagnostics)
        digests = reuse.keep(files, checked.diagnostics, spec.read_from)
        if digests is not None:
            doc_edits.remember(reuse, spec, checked.api, files, config, models_modules)
    return GenerateResult(files, checked.diagnostics, digests)


def _validated(spec: LoadedSpec) -> list[Diagnostic]:
    """The validator's findings, each error's hint ending with `--skip-validation`."""
    # Imported here: openapi-spec-validator and what it stands on take ~0.5 s to import,
    # which a large spec's validation process pays while this one parses.
    from specloom.validator_imports import import_validator_lightly

    import_validator_lightly()
    from specloom.validation_cache import validate_reusing

    return [_with_hint(d) for d in validate_reusing(spec)]


def _with_hint(diagnostic: Diagnostic) -> Diagnostic:
    """A validation error, its hint ending with `--skip-validation` (the last thing said)."""
    if diagnostic.level is not Level.ERROR:
        return diagnostic
    hint = f"{diagnostic.hint} (or {SKIP_VALIDATION_HINT})" if diagnostic.hint else ""
    return msgspec.structs.replace(diagnostic, hint=hint or SKIP_VALIDATION_HINT)


def _check_then(
    source: str | os.PathLike[str],
    then: Callable[[Api, LoadedSpec], T] | None,
    skip_validation: bool,
    strict: bool,
    policy: ReadPolicy | None,
    on_stage: StageCallback,
) -> tuple[CheckResult, T | None, LoadedSpec | None]:
    """`check`, and `then(api, spec)` when the spec has no errors; the spec as loaded.

    A large spec is validated in a second process while this one parses it and runs
    `then`; the outcome is the one of doing each after the other (the parse's results
    are dropped when validation finds errors).
    """
    # The loader and the parser are imported here: a run that reuses an earlier run's
    # result (`specloom.result_cache`) needs neither.
    from specloom import background
    from specloom.loader import load

    on_stage("loading")
    spec, diagnostics = load(source, policy=policy)
    if spec is None:
        return CheckResult(None, _sorted(diagnostics)), None, None
    if has_errors(diagnostics):
        # A reference that cannot be resolved still leaves the rest of the document to
        # check: one load error does not hide every other problem.
        if not skip_validation:
            on_stage("validating")
            diagnostics += _validated(_without_broken_references(spec))
        return CheckResult(None, _sorted(diagnostics)), None, spec
    parsed: _Parsed[T] | None
    if skip_validation:
        parsed = _parsed(spec, then, strict, on_stage)
    elif _path_count(spec.document) >= _PATHS_WORTH_A_PROCESS:
        on_stage("validating")
        validation = background.start(partial(_validated, spec), aside=True)
        parsed = _parsed(spec, then, strict, on_stage)
        diagnostics += validation.result()
    else:
        on_stage("validating")
        diagnostics += _validated(spec)
        parsed = None if has_errors(diagnostics) else _parsed(spec, then, strict, on_stage)
    if parsed is None or has_errors(diagnostics):
        return CheckResult(None, _sorted(diagnostics)), None, spec
    # The validator has already said what is dropped there (a default of the wrong type):
    # the parser's warning about the same place would say it twice.
    validated = {d.pointer for d in diagnostics if d.level is Level.WARNING and d.pointer}
    diagnostics += [
        d for d in parsed.diagnostics if d.level is not Level.WARNING or d.pointer not in validated
    ]
    if parsed.api is None or has_errors(diagnostics, strict=strict):
        return CheckResult(None, _sorted(diagnostics)), None, spec
    return CheckResult(parsed.api, _sorted(diagnostics)), parsed.output, spec


def _path_count(document: dict[str, object]) -> int:
    """The number of paths; 0 when `paths` is not an object (validation reports that)."""
    paths = document.get("paths")
    return len(paths) if isinstance(paths, dict) else 0


class _Parsed(msgspec.Struct, Generic[T], frozen=True):
    api: Api | None
    diagnostics: list[Diagnostic]
    output: T | None


def _parsed(
    spec: LoadedSpec,
    then: Callable[[Api, LoadedSpec], T] | None,
    strict: bool,
    on_stage: StageCallback,
) -> _Parsed[T]:
    from specloom.parser import parse

    on_stage("parsing")
    api, found = parse(spec.document)
    diagnostics = _located(spec, found)
    if then is None or has_errors(diagnostics, strict=strict):
        return _Parsed(api, diagnostics, None)
    return _Parsed(api, diagnostics, then(api, spec))


def _spec_json(document: object) -> str:
    """The document as JSON text; values JSON has no type for (YAML dates) become strings."""
    from specloom import indented_json

    return indented_json.dumps(document) + "\n"


def _without_broken_references(spec: LoadedSpec) -> LoadedSpec:
    """`spec` with each local `$ref` that leads nowhere replaced by `{}`, so that validation
    checks the rest instead of stopping at the first one (the loader has reported them)."""
    document = spec.document
    return replace(spec, document=_mended(document, document))


def _mended(node: Any, document: dict[str, Any]) -> Any:
    # Parts that change are copied; the loaded document is left as it is.
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):  # after bundling, one that is not local failed to load
            tokens = split_fragment(ref[1:]) if ref.startswith("#") else None
            return node if tokens is not None and lookup(document, tokens) is not MISSING else {}
        mended = {key: _mended(value, document) for key, value in node.items()}
        return node if all(mended[k] is node[k] for k in node) else mended
    if isinstance(node, list):
        items = [_mended(item, document) for item in node]
        return node if all(a is b for a, b in zip(items, node, strict=True)) else items
    return node


def _located(spec: LoadedSpec, found: list[Diagnostic]) -> list[Diagnostic]:
    """`found`, each with the file, line and column of its pointer unless it has them."""
    unplaced = [d for d in found if d.line is None and d.pointer]
    places = iter(spec.locate_many([d.pointer for d in unplaced]))
    located = []
    for diagnostic in found:
        if diagnostic.line is None and diagnostic.pointer:
            file, line, column = next(places)
            diagnostic = msgspec.structs.replace(
                diagnostic,
                pointer=spec.source_pointer(diagnostic.pointer),
                file=diagnostic.file or file,
                line=line,
                column=column,
            )
        located.append(diagnostic)
    return located


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """Sorted by place, each said once (a schema parsed for two shapes warns twice)."""
    return sorted(
        dict.fromkeys(diagnostics),
        key=lambda d: (d.file, d.line or 0, d.column or 0, d.pointer, d.message),
    )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
