"""Send schema-valid data through both generated sides of real specs and count what survives.

    nice python scripts/round_trip.py "$(../shared/corpus/fetch)" --sample 30 --seed 12

For each spec of a seeded sample: generate the package (client and server, default
options; `--skip-validation` only when validation fails), implement every operation of the
server with a stub that answers schema-valid data for the operation's success response,
and call every operation through the generated `AsyncClient` with a schema-valid request
(every parameter and the body), over ASGI (`httpx.ASGITransport`, no socket). The data is
built from the spec's schemas (enum values, formats, limits, `pattern`s through
hypothesis' `from_regex`, the chosen `oneOf` branch with its discriminator), and checked
against the schema with openapi-schema-validator (requests without `readOnly` properties,
responses without `writeOnly` ones) before it is used.

An operation round-trips when the server accepts the request, hands the handler the values
that were sent, and the client parses the answer into the declared type, equal to what the
handler returned. Every other operation gets a failure class (`reason`); the classes and
their counts are printed at the end, and `--json FILE` keeps every operation's outcome.

Each spec runs in its own process (`--timeout` seconds per spec, one at a time by
default: the machine is shared), so a hang or a crash is pinned to its spec. `--workers N`
runs N such processes side by side; the report keeps the sample's order either way.
`--specs FILE` (one corpus-relative path a line) or repeated `--spec PATH` run the given
specs instead of a sample:

    python scripts/round_trip.py CORPUS --spec googleapis.com/mirror/v1/openapi.yaml
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import functools
import importlib
import inspect
import json
import random
import re
import string
import subprocess
import sys
import tempfile
import time
import urllib.parse
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "round_trip_api"
BASE_URL = "http://round-trip.test"
MAX_DEPTH = 6
"""How deep generated data nests through references before optional parts are left out."""
CALL_TIMEOUT = 20.0
"""Seconds one operation's call may take."""

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


# --- data from schemas -----------------------------------------------------------------------


class NoData(Exception):
    """No schema-valid value could be built for a schema."""


@dataclass
class Builder:
    """Builds one value per schema of `document` (an OpenAPI 3.x document, refs internal)."""

    document: dict[str, Any]
    writing: bool
    """Building a request (leave `readOnly` properties out) or a response (`writeOnly`)."""
    seed: int = 0
    _expanding: set[int] = field(default_factory=set)
    """The discriminated bases whose subtypes are being built (a subtype includes its base)."""

    def build(self, schema: Any, depth: int = 0) -> Any:
        schema = self.resolve(schema)
        if not isinstance(schema, dict):
            return "x"
        if depth > MAX_DEPTH + 4:
            raise NoData("the schema nests too deeply")
        if "const" in schema:
            return schema["const"]
        if self._is_base_of_subtypes(schema):
            return self._subtype(schema, depth)
        if "example" in schema and self._fits(schema["example"], schema):
            return schema["example"]
        if isinstance(schema.get("examples"), list):
            for example in schema["examples"]:
                if self._fits(example, schema):
                    return example
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            values = [value for value in schema["enum"] if value is not None]
            return values[0] if values else None
        if "allOf" in schema:
            return self._all_of(schema, depth)
        for key in ("oneOf", "anyOf"):
            if isinstance(schema.get(key), list) and schema[key]:
                return self._one_of(schema, key, depth)
        kind = self._type(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind == "integer":
            return int(self._number(schema, integer=True))
        if kind == "number":
            return self._number(schema, integer=False)
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return "x"

    def resolve(self, schema: Any) -> Any:
        seen = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            seen += 1
            if seen > 50:
                raise NoData("a reference cycle")
            schema = self.pointer(schema["$ref"])
        return schema

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise NoData(f"an external reference {ref}")
        node: Any = self.document
        try:
            for part in urllib.parse.unquote(ref[1:]).split("/")[1:]:
                part = part.replace("~1", "/").replace("~0", "~")
                node = node[int(part)] if isinstance(node, list) else node[part]
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise NoData(f"a reference to nothing: {ref}") from exc
        return node

    def _fits(self, value: Any, schema: dict[str, Any]) -> bool:
        return self.checker.is_valid(value, schema)

    @property
    def checker(self) -> Checker:
        if not hasattr(self, "_checker"):
            self._checker = Checker.of(self.document, writing=self.writing)
        return self._checker

    def _type(self, schema: dict[str, Any]) -> str | None:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [k for k in kind if k != "null"]
            kind = kinds[0] if kinds else "null"
        if kind is None:
            if "properties" in schema or "additionalProperties" in schema:
                return "object"
            if "items" in schema:
                return "array"
        return kind if isinstance(kind, str) else None

    def _all_of(self, schema: dict[str, Any], depth: int) -> Any:
        common = _common_types([schema, *(self.resolve(part) for part in schema["allOf"])])
        if common == set():
            # codat's `allOf: [{$ref: Currency}, {type: "null"}]`: no value is valid.
            raise NoData("the allOf parts allow no common type")
        if common == {"null"}:
            return None
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        properties: dict[str, Any] = dict(merged.get("properties") or {})
        required: list[str] = list(merged.get("required") or [])
        others: list[Any] = []
        for part in schema["allOf"]:
            part = self.resolve(part)
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                value = self._all_of(part, depth + 1)
                if isinstance(value, dict):
                    others.append(value)
                    continue
                return value
            if any(key in part for key in ("oneOf", "anyOf")):
                others.append(self.build(part, depth + 1))
                continue
            for name, declared in (part.get("properties") or {}).items():
                # Declared by several parts (github's SCIM `members`): a value must satisfy
                # each declaration, not the last one alone.
                known = properties.get(name)
                properties[name] = declared if known is None else {"allOf": [known, declared]}
            required += [name for name in part.get("required") or [] if name not in required]
            for key, value in part.items():
                if key == "enum" and isinstance(merged.get("enum"), list):
                    # every part's enum holds: the values they share
                    merged["enum"] = [v for v in merged["enum"] if v in value]
                elif key not in ("properties", "required"):
                    merged.setdefault(key, value)
        merged["properties"] = properties
        if required:
            merged["required"] = required
        if not properties and not others and self._type(merged) not in (None, "object"):
            return self.build(merged, depth + 1)
        value = self._object(merged, depth)
        for other in others:
            if isinstance(other, dict):
                value = {**other, **value}
        return self._with_own_tag(schema, value)

    def _with_own_tag(self, schema: dict[str, Any], value: Any) -> Any:
        """`value` of a schema below a discriminated base (`allOf: [{$ref: Base}, ...]`, at
        any depth), with the tag that selects this schema: a class's tag is a `Literal` of
        its own tags in the generated code (docs/generated-code.md), as OpenAPI means it.
        A tag its own tag property does not allow (`enum: [view]` against the name
        `ViewEvent`) is left as built: such a schema is no member of the union."""
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        own = next((name for name, known in schemas.items() if known is schema), None)
        discriminator = self._inherited_discriminator(schema)
        if own is None or not isinstance(value, dict) or discriminator is None:
            return value
        name = discriminator.get("propertyName")
        if not isinstance(name, str):
            return value
        tag = _tag_of(discriminator, own, schema)
        allowed = self._allowed_tags(schema, name, set())
        return value if allowed is not None and tag not in allowed else {**value, name: tag}

    def _allowed_tags(self, schema: Any, name: str, seen: set[int]) -> list[Any] | None:
        """The values every declaration of the property `name` in `schema` and the classes
        it extends allows; None when none sets any."""
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return None
        seen.add(id(schema))
        declared = (schema.get("properties") or {}).get(name)
        found = self._allowed_values(declared) if declared is not None else None
        for part in schema.get("allOf") or []:
            each = self._allowed_tags(part, name, seen)
            if each is not None:
                found = each if found is None else [v for v in found if v in each]
        return found

    def _allowed_values(self, declared: Any) -> list[Any] | None:
        """The values a property's `enum` or `const` allows (every declaration's, when it
        is declared by several `allOf` parts); None when it sets none."""
        declared = self.resolve(declared)
        if not isinstance(declared, dict):
            return None
        if "const" in declared or isinstance(declared.get("enum"), list):
            return [declared["const"]] if "const" in declared else declared["enum"]
        found: list[Any] | None = None
        for part in declared.get("allOf") or []:
            each = self._allowed_values(part)
            if each is not None:
                found = each if found is None else [v for v in found if v in each]
        return found

    def _inherited_discriminator(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """The discriminator of the nearest class above `schema` (its own `allOf` parts
        first: Microsoft Graph declares an intermediate class's inline), with the `mapping`
        entries of every class above on the same tag property."""
        found: dict[str, Any] | None = None
        mapping: dict[str, Any] = {}
        queue, seen = [schema], {id(schema)}
        while queue:
            current = queue.pop(0)
            parts = current.get("allOf")
            for part in parts if isinstance(parts, list) else []:
                target = self.resolve(part)
                if not isinstance(target, dict) or id(target) in seen:
                    continue
                seen.add(id(target))
                own = target.get("discriminator")
                if isinstance(own, dict) and "oneOf" not in target and "anyOf" not in target:
                    found = found or own
                    if own.get("propertyName") == found.get("propertyName"):
                        for tag, where in (own.get("mapping") or {}).items():
                            mapping.setdefault(tag, where)
                if "$ref" in part:
                    queue.append(target)
        if found is None:
            return None
        return {**found, "mapping": mapping}

    def _is_base_of_subtypes(self, schema: dict[str, Any]) -> bool:
        """A schema with a `discriminator` and no `oneOf`/`anyOf`: a base that subtypes extend
        (`allOf: [{$ref: Base}, ...]`); the tag names the subtype, and one naming none is
        invalid in OpenAPI's terms although JSON Schema would accept it."""
        return (
            isinstance(schema.get("discriminator"), dict)
            and "oneOf" not in schema
            and "anyOf" not in schema
            and id(schema) not in self._expanding
        )

    def _subtype(self, base: dict[str, Any], depth: int) -> Any:
        """A value of the first subtype of `base` that gives one, with its tag."""
        discriminator = base["discriminator"]
        name = discriminator.get("propertyName")
        schemas = (self.document.get("components") or {}).get("schemas") or {}
        self._expanding.add(id(base))
        try:
            for schema_name, schema in schemas.items():
                parts = schema.get("allOf") if isinstance(schema, dict) else None
                if not isinstance(parts, list) or not any(
                    self.resolve(part) is base for part in parts
                ):
                    continue
                tag = _tag_of(discriminator, schema_name, schema)
                try:
                    value = self.build(schema, depth + 1)
                except NoData:
                    continue
                if isinstance(value, dict) and isinstance(name, str):
                    value = {**value, name: tag}
                if self._fits(value, schema):
                    return value
            return self.build(base, depth + 1)  # no subtype gives a value: the base itself
        finally:
            self._expanding.discard(id(base))

    def _one_of(self, schema: dict[str, Any], key: str, depth: int) -> Any:
        discriminator = schema.get("discriminator")
        rest = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        for branch in schema[key]:
            try:
                value = self.build(
                    {"allOf": [rest, branch]} if _has_shape(rest) else branch, depth + 1
                )
            except NoData:
                continue
            if isinstance(discriminator, dict) and isinstance(value, dict):
                value = self._tagged(value, discriminator, branch)
            if self._fits(value, schema):
                return value
        raise NoData(f"no {key} branch gave a valid value")

    def _tagged(self, value: dict[str, Any], discriminator: dict[str, Any], branch: Any) -> Any:
        name = discriminator.get("propertyName")
        if not isinstance(name, str):
            return value
        ref = branch.get("$ref") if isinstance(branch, dict) else None
        for tag, target in (discriminator.get("mapping") or {}).items():
            if target == ref or (isinstance(ref, str) and target == ref.rsplit("/", 1)[-1]):
                return {**value, name: tag}
        if isinstance(ref, str) and name not in value:
            return {**value, name: ref.rsplit("/", 1)[-1]}
        return value

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        required = set(schema.get("required") or [])
        value: dict[str, Any] = {}
        for name, property_schema in (schema.get("properties") or {}).items():
            if self._hidden(property_schema):
                continue
            if name not in required and depth >= MAX_DEPTH:
                continue
            try:
                value[name] = self.build(property_schema, depth + 1)
            except NoData:
                if name in required:
                    raise
        for name in sorted(required - value.keys()):
            if name not in (schema.get("properties") or {}):
                value[name] = "text"  # required, but not declared: anything will do
        extra = schema.get("additionalProperties")
        if not value and isinstance(extra, dict) and depth < MAX_DEPTH:
            value["key"] = self.build(extra, depth + 1)
        return value

    def _hidden(self, property_schema: Any) -> bool:
        """Whether a property is marked `readOnly` in a request (`writeOnly` in a response),
        directly, through its reference, or in one of its `allOf` parts (a property that
        several parts of an `allOf` declare, see `_all_of`)."""
        flag = "readOnly" if self.writing else "writeOnly"
        resolved = self.resolve(property_schema)
        if not isinstance(resolved, dict):
            return False
        if any(isinstance(part, dict) and part.get(flag) for part in (property_schema, resolved)):
            return True
        parts = resolved.get("allOf")
        return isinstance(parts, list) and any(self._hidden(part) for part in parts)

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        low = schema.get("minItems") or 0
        high = schema.get("maxItems")
        count = max(low, 1 if depth < MAX_DEPTH else 0)
        if isinstance(high, int):
            count = min(count, high)
        items = schema.get("items", {})
        if count == 0:
            return []
        first = self.build(items, depth + 1)
        if count == 1 or not schema.get("uniqueItems"):
            return [first] * count
        raise NoData("several unique items")

    def _string(self, schema: dict[str, Any]) -> str:
        low = schema.get("minLength") or 0
        high = schema.get("maxLength")
        pattern = (
            as_generated(schema["pattern"]) if isinstance(schema.get("pattern"), str) else None
        )
        if pattern is not None:
            return self._matching(pattern, low, high)
        text = _FORMATS.get(str(schema.get("format")), "text")
        if len(text) < low:
            text += "x" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        return text

    def _matching(self, pattern: str, low: int, high: int | None) -> str:
        key = (pattern, low, high)
        if key not in _REGEX_VALUES:
            # Once per run: the search takes a tenth of a second or more, and finding
            # nothing takes longest (every operation of a spec builds its own values).
            try:
                _REGEX_VALUES[key] = _from_regex(pattern, low, high)
            except NoData as no_match:
                _REGEX_VALUES[key] = no_match
        found = _REGEX_VALUES[key]
        if isinstance(found, NoData):
            raise found
        return found

    def _number(self, schema: dict[str, Any], *, integer: bool) -> float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        step = schema.get("multipleOf")
        exclusive_low = schema.get("exclusiveMinimum")
        exclusive_high = schema.get("exclusiveMaximum")
        if isinstance(exclusive_low, (int, float)) and not isinstance(exclusive_low, bool):
            low = exclusive_low + (1 if integer else 0.5)
        elif exclusive_low is True and isinstance(low, (int, float)):
            low = low + (1 if integer else 0.5)
        if isinstance(exclusive_high, (int, float)) and not isinstance(exclusive_high, bool):
            high = exclusive_high - (1 if integer else 0.5)
        elif exclusive_high is True and isinstance(high, (int, float)):
            high = high - (1 if integer else 0.5)
        value: float = 1 if integer else 1.5
        if isinstance(low, (int, float)) and value < low:
            value = low
        if isinstance(high, (int, float)) and value > high:
            value = high
        if isinstance(step, (int, float)) and step > 0:
            value = step * max(1, -(-value // step)) if value > 0 else 0
        if integer:
            return int(value) if float(value).is_integer() else int(value) + 1
        return value


_REGEX_VALUES: dict[tuple[str, int, int | None], str | NoData] = {}
"""The string built for each pattern and length limits, or why none could be."""

_FORMATS = {
    "date": "2024-01-02",
    "date-time": "2024-01-02T03:04:05Z",
    "time": "03:04:05Z",
    "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "email": "someone@example.com",
    "uri": "https://example.com/x",
    "url": "https://example.com/x",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": base64.b64encode(b"text").decode(),
    "binary": "text",
    "password": "secret",
    "duration": "P1D",
}


def _common_types(parts: Sequence[Any]) -> set[str] | None:
    """The JSON types every part of an `allOf` allows; None when no part names one."""
    common: set[str] | None = None
    for part in parts:
        if not isinstance(part, dict) or "type" not in part:
            continue
        kind = part["type"]
        kinds = {k for k in kind if isinstance(k, str)} if isinstance(kind, list) else {kind}
        if part.get("nullable") is True:
            kinds.add("null")
        if "number" in kinds:
            kinds.add("integer")
        common = kinds if common is None else common & kinds
    return common


def _has_shape(schema: dict[str, Any]) -> bool:
    return any(key in schema for key in ("properties", "required", "allOf", "type"))


def _from_regex(pattern: str, low: int, high: int | None) -> str:
    """The simplest string matching `pattern` (searched, as JSON Schema does) within limits."""
    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st

    try:
        re.compile(pattern)
    except re.error as exc:
        subset = python_subset(pattern)
        if subset is None:
            raise NoData(f"pattern Python cannot compile: {exc}") from exc
        pattern = subset

    def fits(text: str) -> bool:
        return len(text) >= low and (high is None or len(text) <= high)

    chosen = settings(
        database=None,
        max_examples=400,
        phases=[Phase.generate],  # the first match will do: shrinking takes seconds
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # ECMA-262's \w, \d and \b are ASCII, where Python's are Unicode: a value
            # with `¾` matches `\w` in Python's re but not in JSON Schema's dialect.
            ecma = re.compile(pattern, re.ASCII)
            return str(find(st.from_regex(ecma, fullmatch=True), fits, settings=chosen))
    except Exception as exc:
        repeated = _repeated_class(pattern, low, high)
        if repeated is not None:
            return repeated
        raise NoData(f"no string matching the pattern within the length limits ({exc})") from exc


_REPEATED_CLASS = re.compile(r"\^?(\[(?:\\.|[^]\\])+\]|\\[dw])([+*])\$?")
_CANDIDATES = string.ascii_letters + string.digits + "-_.:"


def _repeated_class(pattern: str, low: int, high: int | None) -> str | None:
    """For one repeated class (`^[0-9a-fA-F]+$`) with length limits hypothesis' short
    strings rarely meet (github's 40-character commit SHA): one of its characters, as many
    times as the lower limit asks. None for any other pattern."""
    found = _REPEATED_CLASS.fullmatch(pattern)
    if found is None:
        return None
    atom = re.compile(found.group(1), re.ASCII)
    char = next((c for c in _CANDIDATES if atom.fullmatch(c)), None)
    count = max(low, 1) if found.group(2) == "+" else low
    if char is None or (high is not None and count > high):
        return None
    return char * count


_PROPERTY_CLASSES = {
    "L": "a-zA-Z",
    "Letter": "a-zA-Z",
    "Lu": "A-Z",
    "Ll": "a-z",
    "N": "0-9",
    "Nd": "0-9",
    "Number": "0-9",
    "P": r"!-#%-*,-/:;?@\[-\]_{}",
    "S": r"$+<->^`|~",
    "Z": " ",
    "Zs": " ",
}
"""ASCII members of the ECMA-262 Unicode property classes specs use most (`\\p{L}`)."""

_PROPERTY_CLASS = re.compile(r"\\p\{(\w+)\}")


def python_subset(pattern: str) -> str | None:
    """A pattern Python's `re` compiles whose matches all match `pattern`: its ECMA-262
    property classes (`\\p{L}`, which `re` does not know) narrowed to their ASCII members.
    None when `pattern` has a class this cannot narrow soundly (an unknown one, a negated
    `\\P{...}`, or one inside a negated set, where narrowing would widen the matches)."""
    out: list[str] = []
    index = 0
    in_set = negated = False
    while index < len(pattern):
        char = pattern[index]
        found = _PROPERTY_CLASS.match(pattern, index) if char == "\\" else None
        if found is not None:
            members = _PROPERTY_CLASSES.get(found.group(1))
            if members is None or (in_set and negated):
                return None
            out.append(members if in_set else f"[{members}]")
            index = found.end()
            continue
        if char == "\\":
            if pattern[index : index + 2] == "\\P":
                return None
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_set:
            in_set, negated = True, pattern[index + 1 : index + 2] == "^"
        elif char == "]" and in_set:
            in_set = False
        out.append(char)
        index += 1
    subset = "".join(out)
    try:
        re.compile(subset)
    except re.error:
        return None
    return subset


@functools.lru_cache(maxsize=1024)
def as_generated(pattern: str) -> str | None:
    """`pattern` as the generated code enforces it: a pattern written with a regex's
    delimiters that no string matches as written (sinao.app's `/^SAP[0-9]{9}$/i`) is the
    delimited regex (`(?i)^SAP[0-9]{9}$`); one that neither regex engine compiles
    (opsworkscm's `\\p{Alnum}`, Java's, not ECMA-262's) is None: the generator drops it
    with a warning, so no text breaks it; any other is kept as written."""
    from specloom.parser.patterns import check_pattern, delimited_reading

    reading = delimited_reading(pattern) or pattern
    return None if isinstance(check_pattern(reading), str) else reading


def searches(pattern: str, text: str) -> bool:
    """Whether `pattern` matches somewhere in `text`, as JSON Schema's `pattern` asks, read
    as the generated code reads it (`as_generated`): with Python's `re`, or where `re`
    cannot read the pattern (ECMA-262 `\\p{L}`), with pydantic's regex engine, which the
    generated code enforces such patterns with."""
    enforced = as_generated(pattern)
    if enforced is None:
        return True
    try:
        return re.search(enforced, text) is not None
    except re.error:
        return bool(_rust_pattern(enforced).isinstance_python(text))


@functools.lru_cache(maxsize=256)
def _rust_pattern(pattern: str) -> Any:
    from pydantic_core import SchemaValidator, core_schema

    return SchemaValidator(core_schema.str_schema(pattern=pattern))


def _pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]

    if validator.is_type(instance, "string") and isinstance(pattern, str):
        try:
            matched = searches(pattern, instance)
        except Exception:  # neither engine reads the pattern
            matched = False
        if not matched:
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _no_check(validator: Any, value: Any, instance: Any, schema: Any) -> Iterator[Any]:
    return iter(())


def _properties_keyword(document: dict[str, Any], flag: str) -> Any:
    """The `properties` keyword, which also refuses a present property whose schema (or the
    component it refers to) is marked `flag` (`readOnly` in a request). A discriminator's
    tag property travels both ways whatever it is marked (docs/generated-code.md: a union
    in a request cannot be told apart without it)."""
    from jsonschema._keywords import (  # type: ignore[import-untyped]
        properties as plain_properties,
    )
    from jsonschema.exceptions import ValidationError

    pointing = Builder(document, writing=False)

    def marked(schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("urn:spec#"):
            try:
                schema = pointing.pointer(ref.removeprefix("urn:spec"))
            except NoData:
                return False
        return isinstance(schema, dict) and schema.get(flag) is True

    def properties(validator: Any, declared: Any, instance: Any, schema: Any) -> Iterator[Any]:
        yield from plain_properties(validator, declared, instance, schema)
        if not validator.is_type(instance, "object") or not isinstance(declared, dict):
            return
        discriminator = schema.get("discriminator") if isinstance(schema, dict) else None
        tag = discriminator.get("propertyName") if isinstance(discriminator, dict) else None
        for name, property_schema in declared.items():
            if name in instance and name != tag and marked(property_schema):
                yield ValidationError(f"{flag} property {name!r} is present")

    return properties


class Checker:
    """Is a value valid for a schema of the document (OpenAPI 3.0 or 3.1 rules)?"""

    def __init__(self, document: dict[str, Any], *, writing: bool) -> None:
        import openapi_schema_validator as validators
        from jsonschema.validators import extend  # type: ignore[import-untyped]
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT4, DRAFT202012

        self._v31 = str(document.get("openapi", "")).startswith("3.1")
        specification = DRAFT202012 if self._v31 else DRAFT4
        resource = Resource.from_contents(document, default_specification=specification)
        self._registry: Any = Registry().with_resource("urn:spec", resource)
        if self._v31:
            base: Any = validators.OAS31Validator
            self._formats: Any = validators.oas31_format_checker
        else:
            base = validators.OAS30WriteValidator if writing else validators.OAS30ReadValidator
            self._formats = validators.oas30_format_checker
        keywords: dict[str, Any] = {"pattern": _pattern_keyword}
        if not self._v31:
            # OpenAPI 3.0's readOnly and writeOnly are "relevant only for Schema
            # "properties" definitions": osf.io marks an array's items readOnly inside a
            # writable property, which the validator would refuse to write.
            flag = "readOnly" if writing else "writeOnly"
            keywords |= {flag: _no_check, "properties": _properties_keyword(document, flag)}
        self._class: Any = extend(base, keywords)

    @classmethod
    def of(cls, document: dict[str, Any], *, writing: bool) -> Checker:
        """The checker of `document`, made once (registering a large spec takes a tenth of a
        second, and every operation asks for one)."""
        key = (id(document), writing)
        cached = _CHECKERS.get(key)
        if cached is None or cached[0] is not document:
            cached = _CHECKERS[key] = (document, cls(document, writing=writing))
        return cached[1]

    def errors(self, value: Any, schema: Any) -> list[str]:
        schema = _rebased(schema)
        validator = self._class(schema, registry=self._registry, format_checker=self._formats)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return [error.message[:200] for error in validator.iter_errors(value)]
            except Exception as exc:  # a schema the validator cannot use
                return [f"validator: {type(exc).__name__}: {exc}"[:200]]

    def is_valid(self, value: Any, schema: Any) -> bool:
        return not self.errors(value, schema)


_CHECKERS: dict[tuple[int, bool], tuple[dict[str, Any], Checker]] = {}
"""The checker of each document, with the document (an id alone may be reused)."""


def _rebased(schema: Any) -> Any:
    """`schema` with its internal references pointed at the registered document."""
    if isinstance(schema, dict):
        rebased = {key: _rebased(value) for key, value in schema.items()}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            rebased["$ref"] = "urn:spec" + ref
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and isinstance(discriminator.get("mapping"), dict):
            mapping = {
                tag: "urn:spec" + target
                if isinstance(target, str) and target.startswith("#")
                else target
                for tag, target in discriminator["mapping"].items()
            }
            rebased["discriminator"] = {**discriminator, "mapping": mapping}
        return rebased
    if isinstance(schema, list):
        return [_rebased(item) for item in schema]
    return schema


# --- one spec --------------------------------------------------------------------------------


@dataclass
class OperationOutcome:
    spec: str
    operation: str
    ok: bool
    reason: str = ""
    detail: str = ""


@dataclass
class SpecOutcome:
    spec: str
    generated: bool
    skip_validation: bool = False
    reason: str = ""
    seconds: float = 0.0
    operations: list[OperationOutcome] = field(default_factory=list)


def run_spec(spec: Path, label: str) -> SpecOutcome:
    """Generate `spec`, serve it with stubs and call every operation; never raises."""
    from specloom.config import GenerateConfig
    from specloom.diagnostics import Level
    from specloom.pipeline import generate
    from specloom.write import write_tree

    started = time.perf_counter()
    config = GenerateConfig(package_name=PACKAGE, formatter="none")
    skipped = False
    result = generate(spec, config)
    if result.files is None:
        skipped = True
        result = generate(spec, config, skip_validation=True)
    if result.files is None:
        errors = [d.message for d in result.diagnostics if d.level is Level.ERROR]
        reason = "generation failed: " + (errors[0][:200] if errors else "no diagnostic")
        return SpecOutcome(label, False, skipped, reason, time.perf_counter() - started)
    with tempfile.TemporaryDirectory(prefix="specloom-round-trip-") as folder:
        out = Path(folder) / "out"
        problems = write_tree(out, result.files)
        if problems:
            return SpecOutcome(label, False, skipped, "write failed: " + problems[0].message)
        sys.path.insert(0, str(out))
        try:
            outcomes = asyncio.run(_round_trips(label))
        except Exception as exc:
            return SpecOutcome(
                label, True, skipped, f"harness: {type(exc).__name__}: {str(exc)[:200]}"
            )
        finally:
            sys.path.remove(str(out))
    return SpecOutcome(label, True, skipped, "", time.perf_counter() - started, outcomes)


@dataclass
class _Planned:
    operation: Any
    """The generated `OperationSpec`."""
    args: dict[str, Any]
    body: Any
    has_body: bool
    response: Any
    """The Python value the stub answers with."""


async def _round_trips(label: str) -> list[OperationOutcome]:
    import httpx
    from pydantic import TypeAdapter

    from specloom_runtime.operation import OperationSpec
    from specloom_runtime.server import ALLOW_ANONYMOUS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        operations_module = importlib.import_module(f"{PACKAGE}._operations")
        server = importlib.import_module(f"{PACKAGE}.server")
        client_module = importlib.import_module(f"{PACKAGE}.client")
    assert server.__file__ is not None  # a module imported from its file
    document = json.loads((Path(server.__file__).parent / "openapi.json").read_text())
    exported = [getattr(operations_module, name) for name in operations_module.__all__]
    # Webhooks and callbacks are requests the API sends (`create_webhooks_app`): not here.
    sent = {
        id(operation)
        for name in getattr(server, "_WEBHOOKS_CLASSES", ())
        for operation in getattr(server, name).operations
    }
    operations = [
        value for value in exported if isinstance(value, OperationSpec) and id(value) not in sent
    ]
    outcomes: dict[str, OperationOutcome] = {}
    planned: dict[str, _Planned] = {}
    for operation in operations:
        try:
            planned[operation.name] = _plan(document, operation)
        except _Failure as failure:
            outcomes[operation.name] = OperationOutcome(
                label, operation.name, False, failure.reason, failure.detail
            )

    received: dict[str, dict[str, Any]] = {}
    implementations = []
    for api_class in _api_classes(server):
        methods: dict[str, Any] = {}
        for operation in api_class.operations:
            if operation.name in planned:
                methods[operation.name] = _stub(planned[operation.name], received)
        implementations.append(type(f"Stub{api_class.__name__}", (api_class,), methods)())
    schemes = inspect.signature(server.create_app).parameters
    options: dict[str, Any] = {}
    if "security" in schemes:
        options["security"] = {name: ALLOW_ANONYMOUS for name in _scheme_names(operations)}
    app = server.create_app(*implementations, **options)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        client = client_module.AsyncClient(
            base_url=BASE_URL, http_client=http, **_credentials(client_module.AsyncClient)
        )
        # Services are made on first use: `_SERVICES` names the client's attributes.
        services = [getattr(client, name) for name in client_module._SERVICES]
        for name, plan in planned.items():
            method = _client_method(services, name)
            if method is None:
                outcomes[name] = OperationOutcome(label, name, False, "harness: no client method")
                continue
            outcomes[name] = await _call(label, plan, method, received, TypeAdapter)
    return [outcomes[op.name] for op in operations]


class _Failure(Exception):
    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail[:500]


def _credentials(client_class: Any) -> dict[str, Any]:
    """A stand-in credential for each security scheme keyword of the client."""
    import httpx

    found: dict[str, Any] = {}
    for name, parameter in inspect.signature(client_class).parameters.items():
        annotation = str(parameter.annotation)
        if name in ("base_url", "auth", "http_client") or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if "TokenCredential" in annotation:
            found[name] = "token"
        elif "SecretValue" in annotation:
            found[name] = "key"
        elif "tuple[str, str]" in annotation:
            found[name] = ("user", "password")
        elif "httpx.Auth" in annotation:
            found[name] = httpx.Auth()
    return found


def _scheme_names(operations: Sequence[Any]) -> set[str]:
    names: set[str] = set()
    for operation in operations:
        for requirement in operation.security:
            for use in requirement.uses:
                names.add(use.scheme.name)
    return names


def _api_classes(server: Any) -> list[Any]:
    """The API classes `server` exports (each defined in a `_server` module): what
    `create_app` serves. The webhooks classes beside them (`_WEBHOOKS_CLASSES`) are served
    by `create_webhooks_app` instead."""
    found = []
    webhooks = set(getattr(server, "_WEBHOOKS_CLASSES", ()))
    for name in server.__all__:
        if name in webhooks:
            continue
        value = getattr(server, name)
        if (
            isinstance(value, type)
            and value.__module__.startswith(f"{server.__package__}._server.")
            and isinstance(getattr(value, "operations", None), tuple)
        ):
            found.append(value)
    return found


def _client_method(services: Sequence[Any], name: str) -> Any:
    for service in services:
        method = getattr(service, name, None)
        if method is not None and inspect.iscoroutinefunction(method):
            return method
    return None


def _spec_operation(document: dict[str, Any], operation: Any) -> tuple[dict[str, Any], list[Any]]:
    paths = document.get("paths") or {}
    key, method = _path_key(operation)
    item = paths.get(key)
    if isinstance(item, dict) and isinstance(item.get(method), dict):
        return item[method], list(item.get("parameters") or [])
    path_item = paths.get(operation.path)
    # A key with a fragment (`/tags/{arn}#tagKeys`, `/#Action=X`) names its operation's path
    # before the `#`, maybe beside the plain path with other methods or operations.
    candidates = [key for key in paths if (key.split("#")[0] or "/") == operation.path]
    for key in candidates:
        raw = paths[key].get(operation.method.lower())
        if isinstance(raw, dict) and _python_name_matches(raw, operation):
            path_item = paths[key]
            break
    if not isinstance(path_item, dict) or operation.method.lower() not in path_item:
        raise _Failure("harness: operation not found in the spec", operation.path)
    return path_item[operation.method.lower()], list(path_item.get("parameters") or [])


def _path_key(operation: Any) -> tuple[str, str]:
    """The operation's key in `paths` as the spec writes it (with a fragment, or a query
    string as weatherbit's `/alerts?lat={lat}&lon={lon}`) and its method, read from its
    pointer; ("", "") when the pointer names no path item's operation."""
    tokens = str(getattr(operation, "pointer", "")).split("/")
    if len(tokens) != 4 or tokens[:2] != ["", "paths"]:
        return "", ""
    return tokens[2].replace("~1", "/").replace("~0", "~"), tokens[3]


def _query_string_variables(operation: Any) -> dict[str, str]:
    """The `name={variable}` terms of a query string written into the operation's path key
    (its pointer names the key as the spec writes it): variable by name."""
    from specloom.path_keys import is_variable, query_string_terms

    key, _ = _path_key(operation)
    return {name: value[1:-1] for name, value in query_string_terms(key) if is_variable(value)}


def _python_name_matches(raw: dict[str, Any], operation: Any) -> bool:
    identifier = str(raw.get("operationId", ""))
    flat = re.sub(r"[^a-z0-9]", "", identifier.lower())
    return bool(flat == operation.name.replace("_", ""))


def _plan(document: dict[str, Any], operation: Any) -> _Planned:
    try:
        return _planned(document, operation)
    except NoData as exc:
        raise _Failure("harness: unreadable spec", str(exc)) from exc


def _tag_of(discriminator: dict[str, Any], schema_name: str, schema: dict[str, Any]) -> Any:
    """The tag that selects the component `schema_name` of a discriminated base: the first
    `mapping` entry naming it, else Azure's `x-ms-discriminator-value`, else its name."""
    ref = f"#/components/schemas/{schema_name}"
    mapping = discriminator.get("mapping") or {}
    tags = [tag for tag, target in mapping.items() if target in (ref, schema_name)]
    return tags[0] if tags else schema.get("x-ms-discriminator-value", schema_name)


def _planned(document: dict[str, Any], operation: Any) -> _Planned:
    from pydantic import TypeAdapter

    raw, shared = _spec_operation(document, operation)
    request = Builder(document, writing=True)
    response = Builder(document, writing=False)
    parameters: dict[tuple[str, str], Any] = {}
    for parameter in shared + list(raw.get("parameters") or []):
        parameter = request.resolve(parameter)
        if isinstance(parameter, dict):
            parameters[(str(parameter.get("in")), str(parameter.get("name")))] = parameter
    key_terms = _query_string_variables(operation)
    args: dict[str, Any] = {}
    for spec in operation.params:
        parameter = parameters.get((spec.location, spec.wire_name))
        if parameter is None and spec.location == "query" and spec.wire_name in key_terms:
            # A `name={variable}` term of a query string written into the path key is the
            # query parameter `name`: the spec may declare `variable` `in: path`
            # (weatherbit), or nothing, and the generator types it as a string.
            parameter = parameters.get(("path", key_terms[spec.wire_name])) or {
                "name": spec.wire_name,
                "in": "query",
                "schema": {"type": "string"},
            }
        if parameter is None:
            if spec.required:
                raise _Failure("harness: parameter not found in the spec", spec.wire_name)
            continue
        schema = parameter.get("schema")
        if schema is None and isinstance(parameter.get("content"), dict):
            media: Any = next(iter(parameter["content"].values()), {})
            schema = media.get("schema") if isinstance(media, dict) else None
        resolved = request.resolve(schema)
        if isinstance(resolved, dict) and resolved.get("readOnly"):
            # readOnly speaks of properties; a parameter whose schema is a readOnly component
            # (github's `alert-number`) is sent all the same.
            schema = {key: value for key, value in resolved.items() if key != "readOnly"}
        target = request.resolve(schema)
        if spec.location == "path" and isinstance(target, dict) and target.get("type") == "string":
            # An empty value makes an empty path segment: a request to another path shape,
            # which no router matches to this operation.
            schema = {**target, "minLength": max(1, int(target.get("minLength") or 0))}
        value = _value(request, schema or {}, f"parameter {spec.wire_name}")
        args[spec.name] = _python(
            TypeAdapter,
            spec.annotation,
            value,
            "client parameter type rejects a schema-valid value",
        )
    body: Any = None
    has_body = False
    if operation.body is not None:
        content = (request.resolve(raw.get("requestBody")) or {}).get("content") or {}
        media = content.get(operation.body.content_type) or next(iter(content.values()), {})
        schema = media.get("schema") if isinstance(media, dict) else None
        if schema is not None:
            if _is_form(operation.body.content_type) and not _has_shape(request.resolve(schema)):
                schema = ANY_FORM  # any object is valid for the schema, and a form is one
            value = _value(request, schema, "request body")
            value = _representable(
                operation.body.content_type, operation.body.annotation, value, "request body"
            )
            body = _python(
                TypeAdapter,
                operation.body.annotation,
                value,
                "client body type rejects a schema-valid value",
            )
            has_body = True
        elif operation.body.required:
            raise _Failure("harness: no schema for the required body")
    answer: Any = None
    success = operation.success
    if success is not None and success.annotation is not None:
        responses = raw.get("responses") or {}
        declared = response.resolve(
            responses.get(success.status) or responses.get(success.status.upper())
        )
        content = (declared or {}).get("content") or {}
        media = content.get(success.content_type) if success.content_type else None
        media = media or next(iter(content.values()), {})
        schema = media.get("schema") if isinstance(media, dict) else None
        value = _value(response, schema or {}, "response body")
        value = _representable(
            success.content_type or "", success.annotation, value, "response body"
        )
        answer = _python(
            TypeAdapter,
            success.annotation,
            value,
            "server response type rejects a schema-valid value",
        )
    return _Planned(operation, args, body, has_body, answer)


ANY_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["field"],
    "properties": {"field": {"type": "string"}},
}
"""A form's value for a form or multipart body whose schema says nothing (`schema: {}`)."""


def _is_form(content_type: str) -> bool:
    base = content_type.split(";")[0].strip().lower()
    return base in ("multipart/form-data", "application/x-www-form-urlencoded")


def _representable(content_type: str, annotation: Any, value: Any, what: str) -> Any:
    """`value` as the generated type can carry it: a binary or text body typed `bytes` or
    `str` whose schema describes structured data (an object under `image/gif`) carries the
    JSON text of a schema-valid value (docs/generated-code.md). XML is not such a body but
    structured data of its own, which a `str` cannot stand for."""
    if annotation not in (bytes, str) or isinstance(value, str):
        return value
    base = content_type.split(";")[0].strip().lower()
    if base.endswith(("/xml", "+xml")):
        raise _Failure(f"harness: a {base} {what} whose schema is not a string", base)
    return json.dumps(value)


def _value(builder: Builder, schema: Any, what: str) -> Any:
    try:
        value = builder.build(schema)
    except NoData as exc:
        raise _Failure(f"harness: no schema-valid {what.split()[0]} value", str(exc)) from exc
    except (KeyError, IndexError, TypeError, RecursionError) as exc:
        raise _Failure(f"harness: unreadable schema for the {what}", repr(exc)) from exc
    errors = builder.checker.errors(value, schema)
    if errors:
        raise _Failure(f"harness: no schema-valid {what.split()[0]} value", errors[0])
    return value


def _python(adapter_class: Any, annotation: Any, value: Any, reason: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if annotation is bytes and isinstance(value, str):
                return value.encode()
            return adapter_class(annotation).validate_json(json.dumps(value))
    except Exception as exc:
        raise _Failure(reason, f"{json.dumps(value)[:200]}: {_one_line(str(exc))}") from exc


def _stub(plan: _Planned, received: dict[str, dict[str, Any]]) -> Any:
    async def handler(self: Any, **kwargs: Any) -> Any:
        received[plan.operation.name] = {key: _plain(value) for key, value in kwargs.items()}
        return plan.response

    return handler


async def _call(
    label: str,
    plan: _Planned,
    method: Any,
    received: dict[str, dict[str, Any]],
    adapter_class: Any,
) -> OperationOutcome:
    name = plan.operation.name
    keywords = dict(plan.args)
    if plan.has_body:
        body_names = [
            p for p in inspect.signature(method).parameters if p not in keywords and p != "self"
        ]
        if not body_names:
            return OperationOutcome(label, name, False, "harness: no body keyword")
        keywords[body_names[0]] = plan.body
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = await asyncio.wait_for(method(**keywords), CALL_TIMEOUT)
    except Exception as exc:
        return OperationOutcome(label, name, False, *_classify(exc))
    got = received.get(name)
    if got is None:
        return OperationOutcome(label, name, False, "handler not called")
    for spec in plan.operation.params:
        if spec.name in plan.args:
            sent = _dumped(adapter_class, spec.annotation, plan.args[spec.name])
            seen = _dumped(adapter_class, spec.annotation, got.get(spec.name))
            if sent != seen and not _empty_exploded_object(spec, sent, got.get(spec.name)):
                return OperationOutcome(
                    label,
                    name,
                    False,
                    f"server got a different {spec.location} parameter",
                    f"{spec.wire_name}: sent {sent[:150]}, got {seen[:150]}",
                )
    if plan.has_body and plan.operation.body is not None:
        received_body = next(
            (v for k, v in got.items() if k not in {p.name for p in plan.operation.params}), None
        )
        sent = _dumped(adapter_class, plan.operation.body.annotation, plan.body)
        seen = _dumped(adapter_class, plan.operation.body.annotation, received_body)
        if sent != seen:
            return OperationOutcome(
                label,
                name,
                False,
                "server got a different body",
                f"sent {sent[:150]}, got {seen[:150]}" + _first_difference(sent, seen),
            )
    success = plan.operation.success
    if success is not None and success.annotation is not None:
        sent = _dumped(adapter_class, success.annotation, plan.response)
        seen = _dumped(adapter_class, success.annotation, result)
        if sent != seen:
            return OperationOutcome(
                label,
                name,
                False,
                "client got a different response body",
                f"sent {sent[:150]}, got {seen[:150]}" + _first_difference(sent, seen),
            )
    return OperationOutcome(label, name, True)


def _first_difference(sent: str, seen: str) -> str:
    """Where two dumped bodies part, when their first 150 characters (all the outcome's
    detail shows of each) are the same; empty otherwise."""
    if sent[:150] != seen[:150]:
        return ""
    at = next(
        (i for i, (a, b) in enumerate(zip(sent, seen, strict=False)) if a != b),
        min(len(sent), len(seen)),
    )
    start = max(0, at - 60)
    return f"; from character {at}: sent ...{sent[start : at + 60]}, got ...{seen[start : at + 60]}"


def _plain(value: Any) -> Any:
    """`value` with each uploaded file replaced by its content (what the client sent)."""
    from pydantic import BaseModel

    from specloom_runtime.uploads import UploadedFile

    if isinstance(value, UploadedFile):
        value.seek(0)
        return value.read()
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return value.model_copy(update={name: _plain(getattr(value, name)) for name in fields})
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def _empty_exploded_object(spec: Any, sent: str, received: Any) -> bool:
    """An optional exploded `form` or `deepObject` query object sent empty and received
    absent: the wire has no form for `{}` there (docs/generated-code.md), so both are the
    same request."""
    exploded_form = spec.effective_style == "form" and spec.effective_explode
    return (
        spec.location == "query"
        and not spec.required
        and (exploded_form or spec.effective_style == "deepObject")
        and sent == "{}"
        and received is None
    )


def _dumped(adapter_class: Any, annotation: Any, value: Any) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return str(adapter_class(annotation).dump_json(value, by_alias=True).decode())
    except Exception:
        return repr(value)


def _classify(exc: BaseException) -> tuple[str, str]:
    kind = type(exc).__name__
    text = _one_line(str(exc))
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(exc, "status_code", None)
    if isinstance(exc, TimeoutError):
        return "call timed out", ""
    if isinstance(exc, Warning):
        return f"warning during the call: {kind}", text
    if status is not None:
        body = ""
        raw = getattr(response, "http", None) or getattr(response, "raw", None)
        content = getattr(raw, "text", None) or getattr(response, "text", None)
        if isinstance(content, str):
            body = content[:300]
        return f"status {status} ({kind})", f"{text} {body}"
    if "validation error" in text.lower():
        return f"{kind}: validation error before or after sending", text
    return kind, text


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


# --- the sample and the report ---------------------------------------------------------------


def select_specs(corpus: Path, *, sample: int, seed: int) -> list[Path]:
    specs = sorted(path for path in corpus.rglob("*") if path.suffix in (".json", ".yaml", ".yml"))
    if sample < len(specs):
        specs = sorted(random.Random(seed).sample(specs, sample))
    return specs


def _run_isolated(spec: Path, label: str, timeout: float) -> SpecOutcome:
    command = [sys.executable, __file__, "--one", str(spec), "--label", label]
    try:
        completed = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return SpecOutcome(label, False, reason=f"timed out after {timeout:g} s", seconds=timeout)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if completed.returncode != 0 or not lines:
        tail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return SpecOutcome(label, False, reason=f"crashed: {_one_line(tail, 200)}")
    data = json.loads(lines[-1])
    data["operations"] = [OperationOutcome(**o) for o in data["operations"]]
    return SpecOutcome(**data)


def group(reason: str) -> str:
    reason = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", reason)
    return re.sub(r"\b\d{4,}\b", "N", reason)


def report(outcomes: Sequence[SpecOutcome]) -> Iterator[str]:
    operations = [o for spec in outcomes for o in spec.operations]
    generated = [spec for spec in outcomes if spec.generated and not spec.reason]
    passed = [o for o in operations if o.ok]
    yield f"specs: {len(outcomes)}, served and called: {len(generated)}"
    yield f"  of which needed --skip-validation: {sum(s.skip_validation for s in outcomes)}"
    for spec in outcomes:
        if not spec.generated or spec.reason:
            yield f"  spec not run: {spec.spec}: {spec.reason}"
    share = 100 * len(passed) / len(operations) if operations else 0.0
    yield f"operations: {len(operations)}, round-trip: {len(passed)} ({share:.1f}%)"
    harness = [o for o in operations if not o.ok and o.reason.startswith("harness:")]
    tried = len(operations) - len(harness)
    if tried:
        yield f"  of the {tried} the harness could build data for: {100 * len(passed) / tried:.1f}%"
    classes: Counter[str] = Counter(group(o.reason) for o in operations if not o.ok)
    specs_of: dict[str, set[str]] = {}
    for o in operations:
        if not o.ok:
            specs_of.setdefault(group(o.reason), set()).add(o.spec)
    yield "failure classes (operations / specs):"
    for reason, count in classes.most_common():
        yield f"  {count:5d} / {len(specs_of[reason]):3d}  {reason}"
    yield "per spec (round-trip / operations):"
    for spec in outcomes:
        total = len(spec.operations)
        ok = sum(o.ok for o in spec.operations)
        yield f"  {ok:4d} / {total:4d}  {spec.spec}  ({spec.seconds:.0f} s)"


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?", help="a folder of OpenAPI specs")
    parser.add_argument("--sample", type=int, default=30, help="specs in the sample (30)")
    parser.add_argument("--seed", type=int, default=12, help="the sample's seed (12)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per spec (300)")
    parser.add_argument(
        "--workers", type=_positive, default=1, help="specs run side by side, one process each (1)"
    )
    parser.add_argument(
        "--specs",
        type=Path,
        help="a file of specs to run instead of a sample, one path (relative to the corpus) a line",
    )
    parser.add_argument(
        "--spec",
        action="append",
        default=[],
        help="a spec to run instead of a sample, relative to the corpus (repeatable)",
    )
    parser.add_argument("--json", type=Path, help="write every operation's outcome here")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--label", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def chosen_specs(corpus: Path, listed: Sequence[str], listing: Path | None) -> list[Path]:
    """The specs named by `--spec` and in the `--specs` file, in that order, each once."""
    names = list(listed)
    if listing is not None:
        lines = listing.read_text(encoding="utf-8").splitlines()
        names += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    specs: list[Path] = []
    for name in names:
        spec = corpus / name
        if spec not in specs:
            specs.append(spec)
    return specs


def run_all(
    specs: Sequence[Path], corpus: Path, *, timeout: float, workers: int, json_out: Path | None
) -> list[SpecOutcome]:
    """Every spec in its own process, `workers` at a time; outcomes in the order of `specs`."""
    labels = [_label(spec, corpus) for spec in specs]
    outcomes: list[SpecOutcome | None] = [None] * len(specs)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(_run_isolated, spec, label, timeout)
            for spec, label in zip(specs, labels, strict=True)
        ]
        for index, future in enumerate(futures):
            outcome = future.result()
            outcomes[index] = outcome
            ok = sum(o.ok for o in outcome.operations)
            print(
                f"[{index + 1}/{len(specs)}] {outcome.spec}: {ok}/{len(outcome.operations)} "
                f"{outcome.reason} ({outcome.seconds:.0f} s)",
                file=sys.stderr,
                flush=True,
            )
            if json_out is not None:
                done = [asdict(o) for o in outcomes if o is not None]
                json_out.write_text(json.dumps(done, indent=1))
    return [outcome for outcome in outcomes if outcome is not None]


def _label(spec: Path, corpus: Path) -> str:
    try:
        return str(spec.relative_to(corpus))
    except ValueError:
        return str(spec)


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments(argv)
    if args.one is not None:
        warnings.simplefilter("ignore")
        outcome = run_spec(args.one, args.label or str(args.one))
        print(json.dumps(asdict(outcome)))
        return 0
    if args.corpus is None:
        print("give the corpus folder", file=sys.stderr)
        return 2
    if args.spec or args.specs is not None:
        specs = chosen_specs(args.corpus, args.spec, args.specs)
        missing = [str(spec) for spec in specs if not spec.is_file()]
        if missing:
            print(f"no such spec: {', '.join(missing)}", file=sys.stderr)
            return 2
    else:
        specs = select_specs(args.corpus, sample=args.sample, seed=args.seed)
    started = time.perf_counter()
    outcomes = run_all(
        specs, args.corpus, timeout=args.timeout, workers=args.workers, json_out=args.json
    )
    for line in report(outcomes):
        print(line)
    print(f"{time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
