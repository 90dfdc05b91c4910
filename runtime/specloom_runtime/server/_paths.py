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


def precedence(path: str) -> tuple[int, ...]:
    """A sort key putting concrete paths before templated ones (`/pets/mine`, `/pets/{id}`).

    Segment by segment, a segment without variables comes before one with a variable.
    """
    return tuple(1 if "{" in segment else 0 for segment in path.split("/"))
