"""Operations the generated server cannot tell apart.

Operations on one method and path shape (`/files/{file_id}` and `/files/{id}` alike) are
told apart by what a request carries (`specloom_runtime.server`'s dispatch): the constants
of their path fragment, their required query parameters and headers, their body's media
types, and the types their path variables read as. Two operations that agree on all of
these reach the same route, and only the first (in spec order) is ever called: the later
one is reported and left out of the generated server (the client keeps it), instead of
shadowed without a word.

The runtime reads a path parameter as typed when its one scalar type is not `str`; here
only the builtin types below count, read through type aliases, `Annotated` and
`| None` (an enum is taken for text), so two operations kept apart here are always
told apart there too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from msgspec.structs import replace

from specloom.ir.model import Operation, TypeAliasDef
from specloom.parser.context import ParseContext

_VARIABLE = re.compile(r"\{[^{}]*\}")
_MAX_HOPS = 16

_Key = tuple[
    frozenset[tuple[str, str]],
    frozenset[tuple[str, str]],
    frozenset[str],
    frozenset[str],
    frozenset[str] | None,
    tuple[str | None, ...],
]
_TEXT_TYPES = frozenset(
    {
        "int",
        "float",
        "bool",
        "uuid.UUID",
        "datetime.date",
        "datetime.datetime",
        "datetime.time",
        "decimal.Decimal",
    }
)
"""Path parameter types that tell operations apart (a value that does not read as one
goes to another operation on the path)."""


def mark_shadowed(
    operations: Sequence[Operation | None], ctx: ParseContext
) -> list[Operation | None]:
    """`operations` with `server_shadowed_by` set on each that an earlier one shadows."""
    aliases = {
        slot.name: slot.definition.annotation
        for slot in ctx.slots
        if isinstance(slot.definition, TypeAliasDef)
    }
    first: dict[tuple[str, str, _Key], Operation] = {}
    marked: list[Operation | None] = []
    for operation in operations:
        if operation is None:
            marked.append(None)
            continue
        key = (operation.method, _VARIABLE.sub("{}", operation.path), selector(operation, aliases))
        winner = first.setdefault(key, operation)
        if winner is operation:
            marked.append(operation)
            continue
        ctx.warn(
            f"{operation.method} {operation.path}: the server cannot tell "
            f"{operation.python_name} from {winner.python_name} ({winner.method} "
            f"{winner.path}): no constant, required parameter, body media type or path "
            "parameter type differs; "
            f"requests go to {winner.python_name}, and {operation.python_name} is left out "
            "of the server (the client still has it)",
            operation.pointer,
        )
        marked.append(replace(operation, server_shadowed_by=winner.python_name))
    return marked


def selector(operation: Operation, aliases: Mapping[str, str]) -> _Key:
    """What tells the operation apart, as the server's dispatch reads it."""
    required = [p for p in operation.parameters if p.required]
    body = operation.body
    media = None
    if body is not None:
        media = frozenset(_media_type(t) for t in (body.content_type, *(m for m, _ in body.media)))
    return (
        frozenset((name.lower(), value) for name, value in operation.constant_headers),
        frozenset(operation.constant_query),
        frozenset(p.wire_name for p in required if p.location == "query"),
        frozenset(p.wire_name.lower() for p in required if p.location == "header"),
        media,
        _path_types(operation, aliases),
    )


def _path_types(operation: Operation, aliases: Mapping[str, str]) -> tuple[str | None, ...]:
    """The type each path variable reads as, in the path's order; None for text."""
    by_wire_name = {p.wire_name: p for p in operation.parameters if p.location == "path"}
    types: list[str | None] = []
    for match in _VARIABLE.finditer(operation.path):
        parameter = by_wire_name.get(match.group()[1:-1])
        annotation = _bare(parameter.value_annotation, aliases) if parameter is not None else ""
        types.append(annotation if annotation in _TEXT_TYPES else None)
    return tuple(types)


def _bare(annotation: str, aliases: Mapping[str, str]) -> str:
    """`annotation` through type aliases, `Annotated[...]` and `| None`, as the runtime
    sees it."""
    for _ in range(_MAX_HOPS):
        annotation = annotation.strip()
        if annotation.startswith("Annotated[") and annotation.endswith("]"):
            annotation = _first_argument(annotation[len("Annotated[") : -1])
        elif annotation.endswith(" | None"):  # a nullable schema: the runtime drops None
            annotation = annotation[: -len(" | None")]
        elif annotation in aliases:
            annotation = aliases[annotation]
        else:
            return annotation
    return annotation


def _first_argument(arguments: str) -> str:
    depth = 0
    for index, character in enumerate(arguments):
        if character in "([{":
            depth += 1
        elif character in ")]}":
            depth -= 1
        elif character == "," and depth == 0:
            return arguments[:index]
    return arguments


def _media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()
