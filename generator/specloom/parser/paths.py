"""The operations of `paths`, in spec order, before anything about them is typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from specloom.diagnostics import join_pointer
from specloom.parser.context import ParseContext

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace", "query")
"""The fixed fields of a Path Item that hold operations (`query` is OpenAPI 3.2)."""


class RawOperation(msgspec.Struct, frozen=True):
    """One operation as found: where it is, and the path item's shared parameters."""

    path: str
    method: str
    """Upper-case HTTP method."""
    spec: Mapping[str, Any]
    pointer: str
    path_parameters: tuple[tuple[Any, str], ...]
    """The path item's `parameters` with their pointers."""

    @property
    def tags(self) -> tuple[str, ...]:
        tags = self.spec.get("tags")
        if not isinstance(tags, list):
            return ()
        return tuple(t for t in tags if isinstance(t, str) and t)

    @property
    def operation_id(self) -> str:
        value = self.spec.get("operationId")
        return value if isinstance(value, str) else ""


def collect_operations(document: Mapping[str, Any], ctx: ParseContext) -> list[RawOperation]:
    """Every operation of every path item, in path order then method order (fixed methods,
    then OpenAPI 3.2 `additionalOperations`)."""
    paths = document.get("paths", {})
    if not isinstance(paths, dict):
        ctx.error("paths must be an object; no operations are generated", "/paths")
        return []
    found: list[RawOperation] = []
    for path, item in paths.items():
        if not isinstance(path, str) or path.startswith("x-"):
            continue
        pointer = join_pointer("/paths", path)
        item, _ = ctx.resolver.follow(item)
        if not isinstance(item, dict):
            ctx.error("path item must be an object (or a resolvable $ref); skipped", pointer)
            continue
        found.extend(_path_operations(path, item, pointer, ctx))
    return found


def _path_operations(
    path: str, item: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> list[RawOperation]:
    shared = _parameters(item.get("parameters"), join_pointer(pointer, "parameters"), ctx)
    candidates = [
        (method, item[method], join_pointer(pointer, method))
        for method in HTTP_METHODS
        if method in item
    ]
    additional = item.get("additionalOperations")
    if isinstance(additional, dict):
        base = join_pointer(pointer, "additionalOperations")
        candidates += [(str(m), op, join_pointer(base, str(m))) for m, op in additional.items()]
    operations = []
    for method, spec, op_pointer in candidates:
        if not isinstance(spec, dict):
            ctx.error("operation must be an object; skipped", op_pointer)
            continue
        operations.append(RawOperation(path, method.upper(), spec, op_pointer, shared))
    return operations


def _parameters(value: Any, pointer: str, ctx: ParseContext) -> tuple[tuple[Any, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        ctx.error("parameters must be a list; ignored", pointer)
        return ()
    return tuple((param, join_pointer(pointer, index)) for index, param in enumerate(value))
