"""Validation findings reused between runs, path item by path item.

The second phase of validation (`specloom.validate`) walks every path item, then every
component schema. What it finds inside a path item depends only on that path item, on
everything outside `paths` (the components it references) and on which of its operation
ids the path items before it use too (a repeated id is reported at its second use). So
the findings are kept in the cache (`specloom.cache`) per path item, keyed by a hash of
exactly that, plus the findings outside `paths` keyed by everything outside `paths`. A
run after one path item changed walks that path item alone and takes the rest from the
cache.

Splitting is only done where it gives the answer of a whole walk, else the whole
document is walked as before (and nothing is reused):

- the findings outside `paths` are those of parts always checked (`tags`, component
  schemas), not of parts checked only when a path item reaches them (a component
  parameter or response), whose findings depend on which path items reach them;
- no `$ref` points into `paths` and no path item is itself a `$ref`;
- no value is shared by two places in `paths` (a YAML alias): the validator checks an
  object once, where it first meets it;
- walking a path item raises nothing (a whole walk stops at the first exception).

A change outside `paths` (a component schema) makes every key new: the whole document
is walked again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
from openapi_spec_validator.validation.validators import SpecValidator

from specloom import __version__, cache
from specloom.diagnostics import Diagnostic
from specloom.loading.loaded import LoadedSpec
from specloom.path_item_check import ids_used_before, path_items, walk_alone
from specloom.validate import Checked, validate, walk_all

__all__ = ["validate_reusing"]

_KIND = "validation"
_SOURCES = (
    "validate.py",
    "validation_cache.py",
    "path_item_check.py",
    "messages.py",
    "validate_findings.py",
)
_SOURCES_ALSO = (
    "schema_phase.py",
    "diagnostics.py",
    "path_keys.py",
    "quiet_schemas.py",
    "ordered_findings.py",
    "default_text.py",
    "escaping.py",
)
_VALIDATORS = (
    "openapi-spec-validator",
    "openapi-schema-validator",
    "jsonschema",
    "jsonschema-path",
    "jsonschema-rs",
)


def validate_reusing(spec: LoadedSpec) -> list[Diagnostic]:
    """`specloom.validate.validate(spec)`, reusing the findings of path items unchanged since
    an earlier run (the same diagnostics, whatever the cache holds)."""
    return validate(spec, _by_path_item)


class _Plan(msgspec.Struct, frozen=True):
    """The cache keys of one document: of what lies outside `paths`, and of each path item."""

    outside: str
    items: dict[str, str]
    """path (URL template) -> key"""


def _by_path_item(spec: LoadedSpec, new: Callable[[], SpecValidator], found: Checked) -> None:
    """The second phase into `found`, as `walk_all` would gather it."""
    plan = _plan(spec.document)
    if plan is None:
        walk_all(spec, new, found)
        return
    stored = _stored([plan.outside, *plan.items.values()])
    if plan.outside not in stored:
        _walk_and_keep(spec, new, plan, found)
        return
    changed = [path for path, key in plan.items.items() if key not in stored]
    walked: Checked = {}
    fresh: dict[str, bytes] = {}
    if changed:
        validator = new()
        repeated = ids_used_before(spec.document["paths"])
        items = path_items(validator)
        for path in changed:
            mine: Checked = {}
            try:
                walk_alone(spec, validator, path, items[path], repeated[path], mine)
            except Exception:  # the whole walk says what stopped it, and where
                walk_all(spec, new, found)
                return
            if any(_path_of(at) != path and not _always_checked(at) for at, _ in mine):
                walk_all(spec, new, found)
                return
            walked.update(mine)
            fresh[plan.items[path]] = _encoded(
                {key: value for key, value in mine.items() if _path_of(key[0]) == path}
            )
    for key in (plan.outside, *(plan.items[p] for p in plan.items if p not in changed)):
        found.update(stored[key])
    found.update(walked)
    cache.put_many(_KIND, fresh)


def _walk_and_keep(
    spec: LoadedSpec, new: Callable[[], SpecValidator], plan: _Plan, found: Checked
) -> None:
    """The whole walk, its findings kept per path item when they can be reused."""
    walk_all(spec, new, found)  # an exception leaves nothing in the cache
    per_path: dict[str, Checked] = {path: {} for path in plan.items}
    outside: Checked = {}
    for key, value in found.items():
        path = _path_of(key[0])
        if path in per_path:
            per_path[path][key] = value
        elif path is None and _always_checked(key[0]):
            outside[key] = value
        else:
            return  # found where only reaching it checks it: not reusable
    entries = {plan.items[path]: _encoded(checked) for path, checked in per_path.items()}
    entries[plan.outside] = _encoded(outside)
    cache.put_many(_KIND, entries)


def _plan(document: dict[str, Any]) -> _Plan | None:
    """The keys of `document`'s parts, or None when it cannot be split (see the module)."""
    paths = document.get("paths")
    if cache.cache_dir() is None or not isinstance(paths, dict):
        return None
    if any(not isinstance(item, dict) or "$ref" in item for item in paths.values()):
        return None
    try:
        rest = _json({key: value for key, value in document.items() if key != "paths"})
        texts = {path: _json(item) for path, item in paths.items()}
    except (TypeError, ValueError):  # a value JSON has no form for: not worth a cache
        return None
    if any(_REF_ELSEWHERE.search(text) for text in (rest, *texts.values())):
        return None
    if _shares_values(paths):
        return None
    # The validator is chosen by the `openapi` version, which `rest` holds.
    outside = cache.key_of(_fingerprint(), rest)
    repeated = ids_used_before(paths)
    items = {
        path: cache.key_of(outside, path, text, _json(repeated[path]))
        for path, text in texts.items()
    }
    return _Plan(outside, items)


_REF_ELSEWHERE = re.compile(r'"\$ref":"(?!#/components/)')
"""A reference that may lead into `paths` (compact JSON: a `"` inside a string is escaped)."""


def _stored(keys: list[str]) -> dict[str, Checked]:
    """The findings the cache holds for `keys`; an entry that cannot be read is left out."""
    decoded = {key: _decoded(data) for key, data in cache.get_many(_KIND, keys).items()}
    return {key: checked for key, checked in decoded.items() if checked is not None}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def _shares_values(paths: dict[str, Any]) -> bool:
    """Whether one object or list stands at two places under `paths` (a YAML alias)."""
    seen: set[int] = set()
    stack: list[Any] = list(paths.values())
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            children: Iterator[Any] = iter(value.values())
        elif isinstance(value, list):
            children = iter(value)
        else:
            continue
        if id(value) in seen:
            return True
        seen.add(id(value))
        stack.extend(children)
    return False


def _path_of(pointer: str) -> str | None:
    """The path (URL template) of the path item `pointer` is in, if any."""
    if not pointer.startswith("/paths/"):
        return None
    token = pointer.split("/", 3)[2]
    return token.replace("~1", "/").replace("~0", "~")


def _always_checked(pointer: str) -> bool:
    return pointer == "/tags" or pointer.startswith(("/tags/", "/components/schemas/"))


def _encoded(checked: Checked) -> bytes:
    rows = [
        [pointer, message, hint, instead] for (pointer, message), (hint, instead) in checked.items()
    ]
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")


def _decoded(data: bytes) -> Checked | None:
    """The findings stored as `data`; None for an entry that is not what `_encoded` writes."""
    try:
        rows = json.loads(data.decode("utf-8"))
        return {
            (str(pointer), str(message)): (str(hint), None if instead is None else str(instead))
            for pointer, message, hint, instead in rows
        }
    except (ValueError, TypeError):
        return None


@functools.cache
def _fingerprint() -> str:
    """What findings depend on besides the document: the code that finds and words them."""
    here = Path(__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for name in (*_SOURCES, *_SOURCES_ALSO):
        digest.update((here / name).read_bytes())
    for distribution in _VALIDATORS:
        digest.update(f"{distribution} {cache.installed_version(distribution)}".encode())
    return digest.hexdigest()
