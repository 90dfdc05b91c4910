"""Validation findings that do not depend on Python's hash seed.

jsonschema checks `additionalProperties` against the extra members of an object in the
order of a `set` of their names, which changes from one process to the next (string
hashes are salted). openapi-spec-validator reports only the first finding of a schema's
meta-check, so of two properties of one schema that are both wrong (two `minLength: "x"`),
which one is reported changed from run to run, with `specloom validate` and with
openapi-spec-validator alike. Here the extra members are checked in the order the
object holds them, one of the orders the set could have had: the findings are those
openapi-spec-validator gives in some run, and the same in every run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openapi_schema_validator
from jsonschema import validators  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

try:  # jsonschema's own keyword and helper, private: a version without them is left alone
    from jsonschema._keywords import (  # type: ignore[import-untyped]
        additionalProperties as _IN_ANY_ORDER,
    )
    from jsonschema._utils import find_additional_properties  # type: ignore[import-untyped]
except ImportError:  # another jsonschema layout
    _IN_ANY_ORDER = None

__all__ = ["install"]


def additional_properties_in_order(
    validator: Any, additional: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    """jsonschema's `additionalProperties`, walking the extra members in their order."""
    if validator.is_type(instance, "object") and validator.is_type(additional, "object"):
        for extra in dict.fromkeys(find_additional_properties(instance, schema)):
            yield from validator.descend(instance[extra], additional, path=extra)
        return
    # Otherwise it yields at most one finding, its names sorted.
    yield from _IN_ANY_ORDER(validator, additional, instance, schema)


def install() -> None:
    """Make every jsonschema validator class known so far check extra members in order."""
    if _IN_ANY_ORDER is None:
        return
    for validator_class in _validator_classes():
        checks = validator_class.VALIDATORS
        if checks.get("additionalProperties") is _IN_ANY_ORDER:
            checks["additionalProperties"] = additional_properties_in_order


def _validator_classes() -> list[Any]:
    """The drafts jsonschema registers (a meta-check runs with the draft its meta-schema
    names) and openapi-schema-validator's OpenAPI schema dialects."""
    found: list[Any] = list(validators._VALIDATORS.values())
    for name in dir(openapi_schema_validator):
        candidate = getattr(openapi_schema_validator, name)
        if isinstance(candidate, type) and isinstance(getattr(candidate, "VALIDATORS", None), dict):
            found.append(candidate)
    return found
