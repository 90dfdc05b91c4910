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

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema.validators import validator_for  # type: ignore[import-untyped]
from openapi_spec_validator.validation.validators import SpecValidator

__all__ = ["schema_errors"]


def schema_errors(validator_class: type[SpecValidator], document: Any) -> Iterator[Any]:
    """jsonschema's `ValidationError`s of `document` against the schema of `validator_class`
    (openapi-spec-validator's class for the document's OpenAPI version)."""
    if _compiled_says_valid(validator_class, document):
        return iter(())
    errors: Iterator[Any] = _reference(validator_class).iter_errors(document)
    return errors


def _schema_of(validator_class: type[SpecValidator]) -> Mapping[str, Any]:
    # The class attribute is a lazy proxy to a validator of either backend; both keep the
    # schema they were made from as `schema`.
    schema: Mapping[str, Any] = validator_class.schema_validator.schema
    return schema


_REFERENCE: dict[type[SpecValidator], Any] = {}
_COMPILED: dict[type[SpecValidator], Any] = {}


def _reference(validator_class: type[SpecValidator]) -> Any:
    """openapi-spec-validator's jsonschema validator, whichever backend it uses itself."""
    if validator_class not in _REFERENCE:
        schema = _schema_of(validator_class)
        _REFERENCE[validator_class] = validator_for(schema)(schema)
    return _REFERENCE[validator_class]


def _compiled(validator_class: type[SpecValidator]) -> Any:
    if validator_class not in _COMPILED:
        try:
            import jsonschema_rs
        except ImportError:  # optional speed-up: without it, jsonschema answers alone
            _COMPILED[validator_class] = None
        else:
            schema = dict(_schema_of(validator_class))
            _COMPILED[validator_class] = jsonschema_rs.validator_for(schema, validate_formats=False)
    return _COMPILED[validator_class]


def _compiled_says_valid(validator_class: type[SpecValidator], document: Any) -> bool:
    compiled = _compiled(validator_class)
    if compiled is None:
        return False
    try:
        return bool(compiled.is_valid(document))
    except (TypeError, ValueError, OverflowError):  # a value JSON has no form for
        return False
