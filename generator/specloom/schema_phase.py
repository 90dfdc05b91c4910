"""The first phase of validation: the document against the OpenAPI specification's JSON Schema.

The errors, and their messages, are those of openapi-spec-validator's reference backend
(jsonschema, in Python). Checking a large document that way takes seconds (3 s for
GitHub's spec) and almost every document checked is valid, so a compiled validator
(jsonschema-rs, 100 times faster) first answers whether there is any error at all; only
a document it finds invalid is walked by jsonschema for the errors. Both read the same
schema with the same semantics (no format assertions, as openapi-spec-validator's
document validator has none); a test over real specs, valid and invalid, checks that
the findings are the same as jsonschema's alone.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from importlib.resources import files
from typing import Any

from jsonschema.validators import validator_for  # type: ignore[import-untyped]
from openapi_schema_validator._regex import is_valid_regex
from openapi_schema_validator.validators import OAS30Validator
from openapi_spec_validator.validation.keywords import (
    OpenAPIV30SchemaValidator,
    OpenAPIV31SchemaValidator,
)
from openapi_spec_validator.validation.validators import SpecValidator

__all__ = ["schema_errors", "speed_up_meta_checks"]


def schema_errors(validator_class: type[SpecValidator], document: Any) -> Iterator[Any]:
    """jsonschema's `ValidationError`s of `document` against the schema of `validator_class`
    (openapi-spec-validator's class for the document's OpenAPI version)."""
    if _compiled_says_valid(validator_class, document):
        return iter(())
    errors: Iterator[Any] = _reference(validator_class).iter_errors(document)
    return errors


def _schema_of(validator_class: type[SpecValidator]) -> Mapping[str, Any]:
    version = _VERSIONS.get(validator_class.__name__)
    schema = None if version is None else _schema_file(version)
    if schema is not None:
        return schema
    # The class attribute is a lazy proxy to a validator of either backend; both keep the
    # schema they were made from as `schema`.
    made: Mapping[str, Any] = validator_class.schema_validator.schema
    return made


_VERSIONS = {
    "OpenAPIV30SpecValidator": "3.0",
    "OpenAPIV31SpecValidator": "3.1",
    "OpenAPIV32SpecValidator": "3.2",
}
"""The folder of each validator class's schema among openapi-spec-validator's resources."""


@functools.cache
def _schema_file(version: str) -> Mapping[str, Any] | None:
    """The OpenAPI `version` schema as openapi-spec-validator ships it, read as JSON: what
    its validator class reads, without making that validator (it reads the file through
    a YAML loader, and compiles it: 10 ms a process, for a document checked in under
    one); None when the file is not where this version of the library keeps it."""
    resource = files("openapi_spec_validator") / f"resources/schemas/v{version}/schema.json"
    try:
        schema = json.loads(resource.read_bytes())
    except (OSError, ValueError):
        return None
    return schema if isinstance(schema, dict) else None


_REFERENCE: dict[type[SpecValidator], Any] = {}
_COMPILED: dict[type[SpecValidator], Any] = {}


def _reference(validator_class: type[SpecValidator]) -> Any:
    """openapi-spec-validator's jsonschema validator, whichever backend it uses itself."""
    if validator_class not in _REFERENCE:
        schema = _schema_of(validator_class)
        _REFERENCE[validator_class] = validator_for(schema)(schema)
    return _REFERENCE[validator_class]


def _jsonschema_rs() -> Any:
    """The jsonschema-rs module, or None: it is a speed-up, jsonschema alone answers the same."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs


def _compiled(validator_class: type[SpecValidator]) -> Any:
    if validator_class not in _COMPILED:
        module = _jsonschema_rs()
        schema = dict(_schema_of(validator_class))
        _COMPILED[validator_class] = (
            None if module is None else module.validator_for(schema, validate_formats=False)
        )
    return _COMPILED[validator_class]


def _compiled_says_valid(validator_class: type[SpecValidator], document: Any) -> bool:
    compiled = _compiled(validator_class)
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(document))
    except (TypeError, ValueError, OverflowError):  # a value JSON has no form for
        return False


# The second phase checks every schema object against its meta-schema, in jsonschema: half
# of that phase's time. For OpenAPI 3.0 (a draft 4 meta-schema whose one asserted format is
# `regex`, for `pattern`), a schema that the compiled validator finds valid and whose
# `pattern`s all pass openapi-schema-validator's own regex check has no meta-schema error;
# any other schema is checked by jsonschema as before.


def speed_up_meta_checks(validator: SpecValidator) -> None:
    """Make `validator`'s meta-schema checks of OpenAPI 3.0 schema objects go through the
    compiled validator first, and those of OpenAPI 3.1 ones skip a schema written the same
    as one already found valid (same findings)."""
    schema_check = validator.keyword_validators_registry["schema"]
    if isinstance(schema_check, OpenAPIV31SchemaValidator):
        _skip_known_valid(schema_check)
        return
    module = _jsonschema_rs()
    if module is None or not isinstance(schema_check, OpenAPIV30SchemaValidator):
        return
    compiled = module.Draft4Validator(dict(OAS30Validator.META_SCHEMA), validate_formats=False)
    reference = schema_check._validate_schema_meta

    def validate_schema_meta(schema: Any, schema_value: Any) -> Any:
        if _meta_valid(compiled, schema_value):
            return None
        return reference(schema, schema_value)

    # The instance attribute shadows the method for this validator only.
    setattr(schema_check, "_validate_schema_meta", validate_schema_meta)  # noqa: B010


def _skip_known_valid(schema_check: OpenAPIV31SchemaValidator) -> None:
    # An OpenAPI 3.1 schema is checked against its dialect's meta-schema by jsonschema
    # (2020-12 with `$dynamicRef`, which the compiled validator is not trusted with here):
    # 1.5 s of discourse's 1.6 s of validation, where 189 checks are of 71 distinct texts.
    # The answer depends only on the schema (its dialect is its `$schema` or the
    # document's, the same for every schema of one validator); only "valid" is
    # remembered, so every finding is still jsonschema's own.
    reference = schema_check._validate_schema_meta
    valid: set[str] = set()

    def validate_schema_meta(schema: Any, schema_value: Any) -> Any:
        text = _canonical_text(schema_value)
        if text is not None and text in valid:
            return None
        error = reference(schema, schema_value)
        if error is None and text is not None:
            valid.add(text)
        return error

    setattr(schema_check, "_validate_schema_meta", validate_schema_meta)  # noqa: B010


def _canonical_text(schema_value: Any) -> str | None:
    """The schema as JSON text with sorted keys; None when it holds what JSON cannot write
    without losing a distinction (a YAML date, keys of mixed types)."""
    try:
        return json.dumps(schema_value, sort_keys=True, allow_nan=True)
    except (TypeError, ValueError):
        return None


def _meta_valid(compiled: Any, schema_value: Any) -> bool:
    try:
        valid = bool(compiled.is_valid(schema_value))
    except (TypeError, ValueError, OverflowError):
        return False
    return valid and all(is_valid_regex(pattern) for pattern in _patterns(schema_value))


def _patterns(value: Any) -> Iterator[str]:
    """Every string under a `pattern` key, wherever it is (more than the meta-schema reads:
    a false alarm only sends the schema to jsonschema)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            pattern = item.get("pattern")
            if isinstance(pattern, str):
                yield pattern
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
