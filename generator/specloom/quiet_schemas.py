"""Passing over the schemas in which validation's second phase can find nothing.

openapi-spec-validator's second phase checks each schema it reaches, from a schema into its
`anyOf`, `oneOf`, `not`, `items` and `properties` (through `$ref`s), each schema once. In a
schema entered that way it can find only three things: a value that is not a schema (not an
object or a boolean), a `required` name that no part of an `allOf` defines, and a `default`
its schema rejects (the meta-schema check is made where the walk enters from outside a
schema, which this leaves to the validator). Every step reads through jsonschema_path, about
30 µs a schema: 1.4 s of the 1.9 s the phase takes on GitHub's spec.

A schema from which every schema the walk would reach is an object without `allOf` and
`default`, or a boolean, gives no finding, whatever was walked before. Such a group is found
here by a walk over the plain values, and its schemas are marked as visited, as the
validator's own walk would have marked them (the same ones: those reached through schemas
not visited before). Every other schema is checked by the validator itself, which sees the
same visited schemas as it would have: a group that gives no finding never reaches one that
does. References are followed as jsonschema_path follows them (`#/...` pointers into the
document); a document with a `$id` anywhere (which moves what a pointer is relative to) is
left wholly to the validator.
"""

from __future__ import annotations

from collections.abc import Container, Iterator
from typing import Any, Protocol, cast
from urllib.parse import unquote

from openapi_spec_validator.validation.keywords import KeywordValidator, SchemaValidator

__all__ = ["pass_over_quiet_schemas"]

_MAX_REF_HOPS = 64
_NOT_QUIET = object()
"""What a child resolves to when it cannot be part of a quiet group."""


class _SeenIds(Protocol):
    def __contains__(self, item: object, /) -> bool: ...

    def append(self, item: int, /) -> None: ...


class _QuietGroups:
    """Finds, in one document, groups of schemas in which the second phase finds nothing."""

    def __init__(self, document: dict[str, Any], scoped: bool | None) -> None:
        self._document = document
        self._scoped = scoped
        self._loud: set[int] = set()
        """Schemas from which a walk reached one it cannot pass over."""
        self._values: dict[tuple[object, ...], object] = {}
        """The schemas asked about, by their path (as jsonschema_path names it)."""

    def pass_over(
        self, parts: tuple[object, ...], visited: _SeenIds, meta_checked: Container[int] | None
    ) -> bool:
        """Whether the walk from the schema at `parts` finds nothing, when its meta-schema
        check is done (its id in `meta_checked`, or `meta_checked` None); if so, what the
        walk would visit is marked in `visited`."""
        if self._scoped is None:
            self._scoped = _has_id(self._document)
        if self._scoped:
            return False
        value = self._value_at(parts)
        if value is _NOT_QUIET or (meta_checked is not None and id(value) not in meta_checked):
            return False
        if id(value) in visited:
            return True  # the validator would step no further either
        # Each schema of the group, and the one the walk reached it from.
        reached_from: dict[int, object] = {id(value): None}
        stack = [value]
        while stack:
            node = stack.pop()
            if id(node) in self._loud:
                self._remember_loud(node, reached_from)
                return False
            if type(node) is dict:
                children = _children(node)
                if children is None:
                    self._remember_loud(node, reached_from)
                    return False
                for child in children:
                    resolved = self._resolved(child)
                    if resolved is _NOT_QUIET or not _is_schema(resolved):
                        self._remember_loud(node, reached_from)
                        return False
                    if id(resolved) not in reached_from and id(resolved) not in visited:
                        reached_from[id(resolved)] = node
                        stack.append(resolved)
            elif not _is_schema(node):
                return False  # not a schema: the validator says so
        for key in reached_from:
            visited.append(key)
        return True

    def _remember_loud(self, node: object, reached_from: dict[int, object]) -> None:
        """`node` and every schema the walk went through to reach it: a walk from any of
        them reaches `node` (until the validator visits it), so it is not passed over.
        Without this, a long chain of schemas ending in a finding is walked once per link."""
        at: object = node
        while at is not None and id(at) not in self._loud:
            self._loud.add(id(at))
            at = reached_from.get(id(at))

    def _value_at(self, parts: tuple[object, ...]) -> object:
        """The schema at `parts`, as jsonschema_path reads it: `$ref`s followed at each step
        (its own reading resolves each path again, the most costly part of the walk).
        Schemas asked about are kept: the next one asked about is mostly a member of one
        of their members (a property: two steps on)."""
        start, node = 0, cast(object, self._document)
        for back in (1, 2):
            known = self._values.get(parts[:-back]) if len(parts) >= back else None
            if known is not None:
                start, node = len(parts) - back, known
                break
        for part in parts[start:]:
            if type(node) is dict and type(part) is str:
                node = node.get(part, _NOT_QUIET)
            elif type(node) is list and type(part) is int and 0 <= part < len(node):
                node = node[part]
            else:
                return _NOT_QUIET
            node = self._resolved(node)
            if node is _NOT_QUIET:
                return node
        self._values[parts] = node
        return node

    def _resolved(self, node: object) -> object:
        """`node` with its `$ref`s followed, as jsonschema_path reads it."""
        for _ in range(_MAX_REF_HOPS):
            if not (type(node) is dict and isinstance(node.get("$ref"), str)):
                return node
            node = self._target(node["$ref"])
        return _NOT_QUIET

    def _target(self, ref: str) -> object:
        # As `referencing` resolves a pointer: unquoted, then split, then `~1`, `~0`.
        if not ref.startswith("#/"):
            return _NOT_QUIET
        node: object = self._document
        for segment in unquote(ref[2:]).split("/"):
            if type(node) is dict:
                node = node.get(segment.replace("~1", "/").replace("~0", "~"), _NOT_QUIET)
            elif type(node) is list and segment.isdigit() and int(segment) < len(node):
                node = node[int(segment)]
            else:
                return _NOT_QUIET
            if node is _NOT_QUIET:
                return node
        return node


def _is_schema(value: object) -> bool:
    return type(value) is dict or type(value) is bool


def _children(schema: dict[str, Any]) -> list[object] | None:
    """The schemas the second phase would step into from `schema`; None when it can find
    something in `schema` itself (or reads it in a way not followed here)."""
    if "allOf" in schema or "default" in schema:
        return None
    children: list[object] = []
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            parts = schema[keyword]
            if type(parts) is not list:
                return None
            children.extend(parts)
    for keyword in ("not", "items"):
        if keyword in schema:
            children.append(schema[keyword])
    if "properties" in schema:
        properties = schema["properties"]
        if type(properties) is not dict:
            return None
        children.extend(properties.values())
    return children


def _has_id(document: object) -> bool:
    stack = [document]
    while stack:
        node = stack.pop()
        if type(node) is dict:
            if "$id" in node:
                return True
            stack.extend(node.values())
        elif type(node) is list:
            stack.extend(node)
    return False


def pass_over_quiet_schemas(
    schema_check: KeywordValidator, document: dict[str, Any], scoped: bool | None = None
) -> None:
    """Make `schema_check` (the validator's schema check, walking `document`) pass over the
    groups of schemas in which it would find nothing. `scoped`: whether the document holds
    a `$id` member, when known (else it is looked for, at the first check)."""
    if (
        not isinstance(schema_check, SchemaValidator)
        or type(schema_check).__call__ is not SchemaValidator.__call__
    ):
        return  # not the walk described above: left as it is
    groups = _QuietGroups(document, scoped)
    check_in_full = type(schema_check).__call__

    class PassingOver(type(schema_check)):  # type: ignore[misc]
        # Not a generator itself: the validator's generator is returned as it is, so the
        # chain of running checks (how findings are located) is the validator's own.
        def __call__(
            self,
            schema: Any,
            require_properties: bool = True,
            meta_checked: bool = False,
        ) -> Iterator[Any]:
            visited, meta_ids = self.visited_schema_ids, self.meta_checked_schema_ids
            known = visited is not None and (meta_checked or meta_ids is not None)
            meta_done = None if meta_checked else meta_ids
            if known and groups.pass_over(schema.parts, visited, meta_done):
                return iter(())
            return check_in_full(self, schema, require_properties, meta_checked)

    PassingOver.__name__ = PassingOver.__qualname__ = type(schema_check).__name__
    schema_check.__class__ = PassingOver
