"""Path templates: OpenAPI's `{wire-name}` variables in Starlette's `{python_name}` syntax."""

from __future__ import annotations

import re

from ..operation import OperationSpec

_VARIABLE = re.compile(r"\{([^{}]*)\}")


def starlette_path(operation: OperationSpec) -> str:
    """The operation's path with each variable named by its parameter's Python name.

    Raises ValueError for a variable without a path parameter, or one whose Python name
    Starlette cannot use.
    """
    names = {p.wire_name: p.name for p in operation.params if p.location == "path"}

    def rename(match: re.Match[str]) -> str:
        wire_name = match.group(1)
        name = names.get(wire_name)
        if name is None:
            raise ValueError(
                f"{operation.name}: path variable {{{wire_name}}} has no path parameter"
            )
        if not (name.isidentifier() and name.isascii()):
            raise ValueError(f"{operation.name}: {name!r} is not an ASCII identifier")
        return "{" + name + "}"

    return _VARIABLE.sub(rename, operation.path)


def path_shape(path: str) -> str:
    """The path with its variables unnamed: `/files/{id}` and `/files/{file_id}` are one
    shape, served by one route."""
    return _VARIABLE.sub("{}", path)


def variable_names(path: str) -> tuple[str, ...]:
    """The names of the path's variables, in order."""
    return tuple(_VARIABLE.findall(path))


def precedence(path: str) -> tuple[int, ...]:
    """A sort key putting concrete paths before templated ones (`/pets/mine`, `/pets/{id}`).

    Segment by segment, a literal segment comes first, then one that mixes a variable with
    literal text, then a lone variable: `/v1/{name}:verify` before `/v1/{name}`, which
    would match `x:verify` too.
    """
    return tuple(_segment_rank(segment) for segment in path.split("/"))


def _segment_rank(segment: str) -> int:
    if "{" not in segment:
        return 0
    return 2 if _VARIABLE.fullmatch(segment) else 1
