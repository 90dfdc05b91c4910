"""Path templates: OpenAPI's `{wire-name}` variables in Starlette's `{python_name}` syntax."""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import ValidationError

from .._adapters import adapter_for
from ..operation import OperationSpec, ParamSpec

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


def precedence(path: str) -> tuple[tuple[int, int], ...]:
    """A sort key putting concrete paths before templated ones (`/pets/mine`, `/pets/{id}`).

    Segment by segment, a literal segment comes first, then one that mixes variables with
    literal text, the more text first, then a lone variable: `/v1/{name}:verify` before
    `/v1/{name}`, which would match `x:verify` too, and `{id}.schema.jsonld` before
    `{id}.jsonld`, which would match `text.schema.jsonld` as the record `text.schema`.
    """
    return tuple(_segment_rank(segment) for segment in path.split("/"))


def _segment_rank(segment: str) -> tuple[int, int]:
    if "{" not in segment:
        return (0, 0)
    if _VARIABLE.fullmatch(segment):
        return (2, 0)
    return (1, -len(_VARIABLE.sub("", segment)))


_KEPT_ENCODED = frozenset("%,/;=")
"""Characters the routing path keeps percent-encoded (`_routing`): a value holding one is
matched as it is sent, which a plain alternative would not do."""


def adjacent_choices(path: str, operations: Sequence[OperationSpec]) -> dict[str, tuple[str, ...]]:
    """The texts each variable of `path` may be, for a variable written right beside
    another one in its segment (`/blog/{page}{extension}`) whose parameter, in each of
    `operations` (those served on `path`, their variables in the same places), allows only
    some texts (an enum or a `Literal`, in the `simple` style).

    Two variables side by side are split by the route's pattern greedily (`text.json` as
    `text.jso` and `n`); matching the fixed one against its texts splits them as meant.
    """
    choices: dict[str, tuple[str, ...]] = {}
    for index, name in _adjacent_variables(path):
        texts: list[str] = []
        for operation in operations:
            allowed = _allowed_texts(operation, index)
            if allowed is None:
                break
            texts += [text for text in allowed if text not in texts]
        else:
            choices[name] = tuple(texts)
    return choices


def adjacent_integers(path: str, operations: Sequence[OperationSpec]) -> frozenset[str]:
    """The variables of `path` written right beside another one in their segment whose
    parameter is an integer (`simple` style) in each of `operations`: the route matches
    them as digits, so `/projects/{id}{format}` splits `1json` as `1` and `json` (the
    route's pattern alone would take `1jso` for the id)."""
    return frozenset(
        name
        for index, name in _adjacent_variables(path)
        if all(_is_integer(_simple_param(operation, index)) for operation in operations)
    )


def _adjacent_variables(path: str) -> list[tuple[int, str]]:
    """(index, name) of each variable of `path` written right beside another one."""
    spans = [match.span() for match in _VARIABLE.finditer(path)]
    return [
        (index, name)
        for index, ((start, end), name) in enumerate(zip(spans, variable_names(path), strict=True))
        if (index > 0 and spans[index - 1][1] == start)
        or (index + 1 < len(spans) and spans[index + 1][0] == end)
    ]


def _simple_param(operation: OperationSpec, index: int) -> ParamSpec | None:
    """The parameter of the `index`-th path variable of `operation` (the last for -1),
    when it is in the `simple` style."""
    variables = variable_names(operation.path)
    if not -len(variables) <= index < len(variables):
        return None
    spec = next(
        (p for p in operation.params if p.location == "path" and p.wire_name == variables[index]),
        None,
    )
    return spec if spec is not None and spec.effective_style == "simple" else None


def _is_integer(spec: ParamSpec | None) -> bool:
    if spec is None:
        return False
    annotation = spec.annotation
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation is int


def with_integers(pattern: str, names: frozenset[str]) -> str:
    """A route's regex (Starlette's, each variable `(?P<name>[^/]+)`) with each variable
    of `names` matching an integer's digits only."""
    for name in names:
        pattern = _with_variable_pattern(pattern, name, "[-+]?[0-9]+")
    return pattern


def empty_tail(path: str, operations: Sequence[OperationSpec]) -> str | None:
    """The name of the variable that is the whole last segment of `path` when, in each of
    `operations` (those served on `path`), its parameter takes the empty text: the route
    then matches that segment empty (GitHub's `/contents/{path}` at `/contents/`, the
    root, as the client sends it). None otherwise: `/pets/` is no pet when the id is an
    integer."""
    names = variable_names(path)
    if not names or not path.endswith("/{" + names[-1] + "}"):
        return None
    for operation in operations:
        spec = _simple_param(operation, -1)
        if spec is None or not _takes_empty(spec.annotation):
            return None
    return names[-1]


def _takes_empty(annotation: Any) -> bool:
    try:
        adapter_for(annotation).validate_python("")
    except ValidationError:
        return False
    return True


def _allowed_texts(operation: OperationSpec, index: int) -> tuple[str, ...] | None:
    """The texts the `index`-th path variable of `operation` may be; None for any text."""
    spec = _simple_param(operation, index)
    if spec is None:
        return None
    texts = _fixed_texts(spec.annotation)
    if not texts or any(not text or not _KEPT_ENCODED.isdisjoint(text) for text in texts):
        return None
    return texts


def _fixed_texts(annotation: Any) -> tuple[str, ...] | None:
    """The strings an annotation allows when it allows only some: a `str` enum's values,
    a `Literal` of strings (through `Annotated`); None otherwise."""
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        values = tuple(member.value for member in annotation)
    elif get_origin(annotation) is Literal:
        values = get_args(annotation)
    else:
        return None
    return values if all(isinstance(value, str) for value in values) else None


def with_empty_tail(pattern: str, name: str) -> str:
    """A route's regex (Starlette's, ending `(?P<name>[^/]+)$`) whose last variable may be
    empty."""
    last = f"(?P<{name}>[^/]+)$"
    return pattern[: -len(last)] + f"(?P<{name}>[^/]*)$" if pattern.endswith(last) else pattern


def with_choices(pattern: str, choices: dict[str, tuple[str, ...]]) -> str:
    """A route's regex (Starlette's, each variable `(?P<name>[^/]+)`) with each variable
    of `choices` matching only its texts, longest first."""
    for name, texts in choices.items():
        ordered = sorted(texts, key=len, reverse=True)
        alternatives = "|".join(re.escape(text) for text in ordered)
        pattern = _with_variable_pattern(pattern, name, alternatives)
    return pattern


def _with_variable_pattern(pattern: str, name: str, variable: str) -> str:
    """Starlette's route regex with the variable `name` matching `variable`."""
    return pattern.replace(f"(?P<{name}>[^/]+)", f"(?P<{name}>{variable})")
