"""Validation: every way a loaded document breaks the OpenAPI specification, as diagnostics.

openapi-spec-validator checks in two phases: the document against the
specification's JSON Schema, then checks that a schema cannot express (schemas
that are themselves invalid, defaults that break their schema, path parameters
missing from the path, duplicate operation ids). Both phases are run to the
end so that every problem is reported at once, each with a JSON pointer, file
and line. The second phase's errors do not say where they are: the place is
read from the check that was running when the error came out.

Validation is the slowest step before parsing. For a 5 MB spec with 1,500
schemas and 1,500 operations it takes about 7 s, half in each phase (loading
takes 0.2 s from JSON, 3.5 s from YAML); openapi-spec-validator alone takes
16 s, the difference being `_use_sets_for_seen_schemas`.
"""

from __future__ import annotations

import contextlib
import heapq
import re
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from types import GeneratorType
from typing import Any

from jsonschema_path import SchemaPath
from openapi_spec_validator.settings import get_resolved_cache_maxsize
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import DuplicateOperationIDError
from openapi_spec_validator.validation.validators import (
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
    SpecValidator,
)

from specloom import ordered_findings, subnode_lookup
from specloom.diagnostics import Diagnostic, Level, join_pointer
from specloom.id_members import json_may_have_id
from specloom.loading.loaded import LoadedSpec
from specloom.loading.pointers import MISSING, lookup, split_fragment, step
from specloom.messages import humanize
from specloom.quiet_schemas import pass_over_quiet_schemas
from specloom.resolved_paths import keep_every_resolved_path
from specloom.schema_phase import schema_errors, speed_up_meta_checks
from specloom.validate_findings import value_place, workaround

__all__ = ["Checked", "SecondPhase", "collect", "new_validator", "validate", "walk_all"]

ValidationError = Any
"""A `jsonschema.exceptions.ValidationError` (jsonschema ships no type hints)."""

_VERSION = re.compile(r"3\.(\d+)(?:\.|$)")
_MESSAGE_LIMIT = 300
_MAX_REF_HOPS = 32


Checked = dict[tuple[str, str], tuple[str, str | None]]
"""The second phase's findings: (pointer, message) -> (hint, the generator's workaround if any)."""

SecondPhase = Callable[[LoadedSpec, Callable[[], SpecValidator], Checked], None]
"""Runs the second phase into `Checked`, given a way to make a fresh validator; what it
gathered before raising is kept (the checks stop at the first exception)."""


def validate(spec: LoadedSpec, second_phase: SecondPhase | None = None) -> list[Diagnostic]:
    """Every problem openapi-spec-validator finds in `spec`, sorted by pointer.

    `second_phase` stands in for walking the whole document (`walk_all`): one that reuses
    earlier findings must gather exactly what `walk_all` would."""
    ordered_findings.install()
    validator_class, diagnostics = validator_for(spec)
    if validator_class is None:
        return diagnostics
    # (pointer, message) -> (hint, the generator's workaround if any)
    found: Checked = {}
    structural: set[str] = set()
    checked: Checked = {}
    with warnings.catch_warnings():
        # re's FutureWarnings ("Possible nested set") about patterns that do compile.
        warnings.simplefilter("ignore", FutureWarning)
        for error in schema_errors(validator_class, spec.document):
            pointer, message, hint = _describe(spec.document, (), _most_specific(error))
            found[pointer, message] = hint, workaround(_most_specific(error), pointer)
            structural.add(pointer)
        try:
            (second_phase or walk_all)(spec, partial(new_validator, spec, validator_class), checked)
        except Exception as exc:  # the checks assume a well-formed, fully resolvable document
            if not structural:
                level, message = _stopped_early(exc)
                diagnostics.append(_diagnostic(spec, level, "", message))
    found.update((key, value) for key, value in checked.items() if key[0] not in structural)
    said: list[tuple[Level, str, str, str]] = []  # (level, pointer, message, hint)
    warned: set[str] = set()
    for (pointer, message), (hint, instead) in sorted(found.items()):
        if instead is None:
            said.append((Level.ERROR, pointer, message, hint))
            continue
        # One warning per value worked around, at the value, whatever the findings inside it.
        place = value_place(pointer) or pointer
        if place not in warned:
            warned.add(place)
            said.append((Level.WARNING, place, f"{message}: {instead}", hint))
    # Placed together: a large JSON text is read once for all of them.
    places = spec.locate_many([pointer for _, pointer, _, _ in said])
    diagnostics += [
        Diagnostic(level, message, spec.source_pointer(pointer), file, line, column, hint=hint)
        for (level, pointer, message, hint), (file, line, column) in zip(said, places, strict=True)
    ]
    return diagnostics


def new_validator(
    spec: LoadedSpec, validator_class: type[SpecValidator], may_have_id: bool | None = None
) -> SpecValidator:
    """A validator of `spec`'s document that has checked nothing yet; `may_have_id`, when
    given, says whether the document may hold a `$id` member (else its text is searched)."""
    subnode_lookup.install()
    # No resolver handlers: the loader has bundled every reference, and validation
    # must never read files or URLs of its own.
    document = SchemaPath.from_dict(
        spec.document, handlers={}, resolved_cache_maxsize=get_resolved_cache_maxsize()
    )
    keep_every_resolved_path(document)
    validator = validator_class(document)
    _use_sets_for_seen_schemas(validator)
    _use_a_set_for_operation_ids(validator)
    schema_check = validator.keyword_validators_registry["schema"]
    scoped = _may_have_id(spec) if may_have_id is None else may_have_id
    pass_over_quiet_schemas(schema_check, spec.document, scoped)
    _collect_properties_once(validator)
    speed_up_meta_checks(validator)
    return validator


def _may_have_id(spec: LoadedSpec) -> bool | None:
    """Whether the document may hold a `$id` member, told from its text when it was read
    from one JSON file (None: not known)."""
    texts = list((spec.read_from or {}).values())
    if len(texts) != 1 or not texts[0].lstrip().startswith("{"):
        return None
    return json_may_have_id(texts[0])


def walk_all(spec: LoadedSpec, new: Callable[[], SpecValidator], found: Checked) -> None:
    """The second phase over the whole document, as openapi-spec-validator runs it."""
    validator = new()
    collect(spec, validator.root_validator(validator.schema_path), found)


def collect(spec: LoadedSpec, checks: Iterator[ValidationError], found: Checked) -> None:
    """The findings of `checks` (a running keyword check) into `found`; raises what they raise."""
    for error in checks:
        if _is_pattern_finding(error):
            # Python's re judging an ECMA-262 pattern, and only the first in each
            # schema: the parser reports every pattern, with what it does instead.
            continue
        checked = _checked_place(checks, error)
        pointer, message, hint = _describe(spec.document, checked, _most_specific(error))
        found[pointer, message] = hint, workaround(_most_specific(error), pointer)


def _is_pattern_finding(error: ValidationError) -> bool:
    most_specific = _most_specific(error)
    return bool(most_specific.validator == "format" and most_specific.validator_value == "regex")


def _stopped_early(exc: Exception) -> tuple[Level, str]:
    ref = getattr(exc, "ref", None)
    if isinstance(ref, str):
        shown = f"#{ref}" if ref.startswith("/") else ref
        return Level.ERROR, f"validation stopped early: reference {shown!r} cannot be resolved"
    if isinstance(exc, RecursionError):
        reason = "the schemas nest too deeply for openapi-spec-validator"
    else:
        reason = f"openapi-spec-validator failed: {type(exc).__name__}: {exc}"
        if len(reason) > _MESSAGE_LIMIT:
            reason = reason[: _MESSAGE_LIMIT - 3] + "..."
    # Not a problem of the spec: the structural checks above did finish.
    return Level.WARNING, f"validation of the schemas stopped early: {reason}"


def validator_for(spec: LoadedSpec) -> tuple[type[SpecValidator] | None, list[Diagnostic]]:
    """The validator class for the document's `openapi` version, or diagnostics saying why none."""
    document = spec.document
    version = document.get("openapi")
    if version is None:
        if "swagger" in document:
            message = "a Swagger 2.0 document must be loaded with specloom.loader.load first"
            return None, [_diagnostic(spec, Level.ERROR, "/swagger", message)]
        message = "the document has no 'openapi' field: the OpenAPI version, e.g. \"3.1.0\""
        return None, [_diagnostic(spec, Level.ERROR, "", message)]
    if not isinstance(version, str):
        message = f"'openapi' must be a version string such as \"3.1.0\" (quoted), not {version!r}"
        return None, [_diagnostic(spec, Level.ERROR, "/openapi", message)]
    match = _VERSION.match(version)
    minor = -1 if match is None else int(match.group(1))
    if minor == 0:
        return OpenAPIV30SpecValidator, []
    if minor == 1:
        return OpenAPIV31SpecValidator, []
    if minor == 2:
        return _v32_validator(spec)
    message = f"unsupported OpenAPI version {version!r}: specloom reads 3.0, 3.1 and 3.2"
    return None, [_diagnostic(spec, Level.ERROR, "/openapi", message)]


def _v32_validator(spec: LoadedSpec) -> tuple[type[SpecValidator], list[Diagnostic]]:
    try:
        from openapi_spec_validator.validation.validators import OpenAPIV32SpecValidator
    except ImportError:  # openapi-spec-validator before 0.8
        message = (
            "this openapi-spec-validator has no OpenAPI 3.2 rules: "
            "the document is validated as OpenAPI 3.1"
        )
        file, line, column = spec.locate("/openapi")
        warning = Diagnostic(Level.WARNING, message, "/openapi", file, line, column)
        return OpenAPIV31SpecValidator, [warning]
    return OpenAPIV32SpecValidator, []


def _diagnostic(
    spec: LoadedSpec, level: Level, pointer: str, message: str, hint: str = ""
) -> Diagnostic:
    file, line, column = spec.locate(pointer)
    return Diagnostic(level, message, spec.source_pointer(pointer), file, line, column, hint=hint)


class _SeenIds(set[int]):
    """A set that also answers to `append`, standing in for a list of seen ids."""

    def append(self, item: int) -> None:
        self.add(item)


def _use_sets_for_seen_schemas(validator: SpecValidator) -> None:
    # openapi-spec-validator 0.9 remembers the schemas it has checked in lists, so
    # each check costs a scan of all the ones before: quadratic, and most of the
    # time on a spec with thousands of schemas. Sets give the same answers.
    schema_check = validator.keyword_validators_registry["schema"]
    for name in ("visited_schema_ids", "meta_checked_schema_ids"):
        if isinstance(getattr(schema_check, name, None), list):
            setattr(schema_check, name, _SeenIds())


class OperationIds(list[Any]):
    """The operation ids met so far, as openapi-spec-validator lists them, answering `in`
    from a set: its list scan made the check quadratic (Graph's 11,422 ids: 65 million
    comparisons). An id that cannot be hashed (not a string: validation reports it) is
    looked for as the list looks."""

    def __init__(self, ids: Iterable[Any] = ()) -> None:
        super().__init__()
        self._hashable: set[Any] = set()
        for operation_id in ids:
            self.append(operation_id)

    def append(self, operation_id: Any) -> None:
        super().append(operation_id)
        with contextlib.suppress(TypeError):  # unhashable: found by the list's own scan
            self._hashable.add(operation_id)

    def __contains__(self, operation_id: object) -> bool:
        try:
            return operation_id in self._hashable
        except TypeError:
            return super().__contains__(operation_id)


def _use_a_set_for_operation_ids(validator: SpecValidator) -> None:
    operation_check = validator.keyword_validators_registry["operation"]
    if isinstance(getattr(operation_check, "operation_ids_registry", None), list):
        operation_check.operation_ids_registry = OperationIds()  # type: ignore[attr-defined]


def _collect_properties_once(validator: SpecValidator) -> None:
    # `_collect_properties` walks every path through `allOf`/`anyOf`/`oneOf` again,
    # references included, for each schema that reaches it: exponential in the nesting
    # of shared parts (a 2 KB spec with six references per level, eight levels deep,
    # never finishes). Each distinct schema has one answer; a cycle adds nothing new.
    schema_check = validator.keyword_validators_registry["schema"]
    walk_once = getattr(type(schema_check), "_collect_properties", None)
    if walk_once is None:
        return
    known: dict[int, set[str]] = {}

    def collect(schema: SchemaPath) -> set[str]:
        key = id(schema.read_value())
        if key not in known:
            known[key] = set()  # seen while being collected: a cycle ends here
            known[key] = set(walk_once(schema_check, schema))
        return known[key]

    vars(schema_check)["_collect_properties"] = collect


# Locating the second phase's errors.


def _checked_place(checks: Iterator[ValidationError], error: ValidationError) -> list[Any]:
    """Where the innermost running keyword check is looking, when `error` comes out of it.

    The checks are generators delegating with `yield from`: while an error is being
    yielded, the chain `gi_yieldfrom` leads from the outermost check to the one that
    produced it, suspended with its arguments (the `SchemaPath` it was given) in
    its frame. Reading them there, instead of wrapping every check in a generator
    of our own, keeps the recursion as shallow as the validator's own, which is
    what limits how deeply nested a spec can be validated.
    """
    place: list[Any] = []
    generator: Any = checks
    while isinstance(generator, GeneratorType):
        frame = generator.gi_frame
        variables = {} if frame is None else frame.f_locals
        check = variables.get("self")
        where = next((v for v in variables.values() if isinstance(v, SchemaPath)), None)
        if isinstance(check, keywords.KeywordValidator) and where is not None:
            place = [*where.parts, *_checked_part(check, error)]
        generator = generator.gi_yieldfrom
    return place


def _checked_part(check: keywords.KeywordValidator, error: ValidationError) -> list[str]:
    """The member of the value given to `check` that `error` is about, if any."""
    if isinstance(check, keywords.ValueValidator):
        return ["default"]  # given a schema, it checks the schema's default
    if isinstance(error, DuplicateOperationIDError):
        return ["operationId"]
    return []


def _canonical(document: Mapping[str, Any], parts: Iterable[Any]) -> list[str]:
    """The pointer tokens of the place `parts` names, with `$ref`s on the way followed
    (the validator walks through references; a diagnostic points where the text is)."""
    tokens: list[str] = []
    node: Any = document
    for part in parts:
        token = str(part)
        hops = 0
        while _is_local_ref(node) and step(node, token) is MISSING and hops < _MAX_REF_HOPS:
            target = split_fragment(node["$ref"][1:])
            if target is None:
                break
            tokens, node, hops = list(target), lookup(document, target), hops + 1
        tokens.append(token)
        node = step(node, token)
    return tokens


def _is_local_ref(node: Any) -> bool:
    return isinstance(node, dict) and str(node.get("$ref", "")).startswith("#")


def _relevance(error: ValidationError) -> tuple[int, bool, bool]:
    # Like jsonschema's `relevance`: deeper errors first, then a failed oneOf/anyOf
    # (to descend into), and a wrong value before a wrong type (the alternative
    # of the right type is the one that was meant).
    return -len(error.path), error.validator not in ("anyOf", "oneOf"), error.validator == "type"


# Messages.


def _most_specific(error: ValidationError) -> ValidationError:
    """The deepest error under a `oneOf`/`anyOf` failure, as `jsonschema.best_match` picks it,
    ignoring the "or a Reference Object" alternative when the value is not a reference."""
    best = error
    while best.context:
        candidates = [e for e in best.context if not _is_reference_alternative(e)]
        if not candidates:
            break
        smallest = heapq.nsmallest(2, candidates, key=_relevance)
        if len(smallest) == 2 and _relevance(smallest[0]) == _relevance(smallest[1]):
            break
        best = smallest[0]
    return best


def _is_reference_alternative(error: ValidationError) -> bool:
    return bool(error.validator == "required" and error.validator_value == ["$ref"])


def _describe(
    document: Mapping[str, Any], checked: Iterable[Any], error: ValidationError
) -> tuple[str, str, str]:
    """The pointer, message and hint of `error`, found below the place `checked` (if known).

    Messages are put in words a person can act on by `specloom.messages`."""
    tokens = _canonical(document, [*checked, *error.absolute_path])
    return (join_pointer("", *tokens), *humanize(error, tokens))
