"""Whether validation finds anything in one path item: what a rebuild of one operation
asks (`specloom.operation_edits`), and what `specloom.validation_cache` stands on.

The module docstring of `specloom.validation_cache` says why the findings of a path item
walked alone are those of a whole walk there. Apart from that module so that a process
asking only this (`specloom.validation_standby`'s child) imports neither the cache nor
hashlib.
"""

from __future__ import annotations

import warnings
from typing import Any, cast

from openapi_spec_validator.validation.keywords import OperationValidator, PathValidator
from openapi_spec_validator.validation.validators import SpecValidator

from specloom import ordered_findings
from specloom.loading.loaded import LoadedSpec
from specloom.schema_phase import schema_errors
from specloom.validate import Checked, OperationIds, collect, new_validator, validator_for

__all__ = ["ids_used_before", "path_item_is_clean", "path_items", "walk_alone"]

_OPERATIONS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")


def path_item_is_clean(spec: LoadedSpec, path: str, may_have_id: bool | None = None) -> bool:
    """Whether neither phase of validation finds anything in `spec`'s path item `path`:
    the first phase checking the document with that path item alone, the second walking
    it alone as a run reusing the other path items' findings walks a changed one (see
    `specloom.validation_cache`: for a document whose path items hold no `$ref` but into
    `components`, whatever else validation finds is then what it found before that path
    item changed).
    False when that cannot be told. `may_have_id`: whether the document may hold a `$id`
    member, when known (`specloom.validate.new_validator`)."""
    document = spec.document
    paths = document.get("paths")
    item = paths.get(path) if isinstance(paths, dict) else None
    if not isinstance(paths, dict) or not isinstance(item, dict):
        return False
    validator_class, said = validator_for(spec)
    if validator_class is None or said:
        return False
    ordered_findings.install()
    found: Checked = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # as `validate` does
        # Against the OpenAPI schema, each path item is checked by itself: the document
        # with that path item alone finds what the whole one finds in it.
        # What it finds outside the path item is what it found before (the rest is as it
        # was): a top-level key it warns about, say.
        alone = {key: value for key, value in document.items() if key not in _PARTS}
        for error in schema_errors(validator_class, {**alone, "paths": {path: item}}):
            if tuple(error.absolute_path)[:2] in (("paths",), ("paths", path)):
                return False
        try:
            validator = new_validator(spec, validator_class, may_have_id)
            used_before = ids_used_before(paths)[path]
            walk_alone(spec, validator, path, path_items(validator)[path], used_before, found)
        except Exception:  # a whole walk would say what stopped it
            return False
    return not found


def walk_alone(
    spec: LoadedSpec,
    validator: SpecValidator,
    path: str,
    item: Any,
    used_before: list[Any],
    found: Checked,
) -> None:
    """The keyword walk of the path item `path` alone (`item`, as `path_items` gives it)
    into `found`, as a whole walk meets it: told which of its operation ids the path items
    before it use too (`ids_used_before`), the only thing of theirs its findings depend on.
    Raises what the walk raises."""
    registry = validator.keyword_validators_registry
    operations = cast(OperationValidator, registry["operation"])
    operations.operation_ids_registry = OperationIds(used_before)
    walk = cast(PathValidator, registry["path"])
    collect(spec, walk(path, item), found)


def path_items(validator: SpecValidator) -> dict[str, Any]:
    """The validator's `SchemaPath` of each path item, by path, as its walk over `paths`
    makes them (`paths / path` would read a `#` in a path as a fragment)."""
    return {str(url): item for url, item in (validator.schema_path / "paths").items()}


_PARTS = frozenset({"paths", "components", "webhooks"})
"""The parts of a document the OpenAPI schema checks member by member."""


def ids_used_before(paths: dict[str, Any]) -> dict[str, list[Any]]:
    """For each path item, those of its operation ids that a path item before it uses too,
    in the validator's order."""
    met = OperationIds()
    repeated: dict[str, list[Any]] = {}
    for path, item in paths.items():
        ids = _operation_ids(item)
        repeated[path] = [operation_id for operation_id in ids if operation_id in met]
        for operation_id in ids:
            met.append(operation_id)
    return repeated


def _operation_ids(item: Any) -> list[Any]:
    """The operation ids of a path item, in the order the validator meets them."""
    if not isinstance(item, dict):
        return []
    ids: list[Any] = []
    for name, operation in item.items():
        if name in _OPERATIONS and isinstance(operation, dict) and "operationId" in operation:
            ids.append(operation["operationId"])
        elif name == "additionalOperations" and isinstance(operation, dict):
            ids.extend(
                extra["operationId"]
                for extra in operation.values()
                if isinstance(extra, dict) and "operationId" in extra
            )
    return ids
