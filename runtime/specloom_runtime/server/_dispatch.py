"""Telling apart the operations that share a path and a method.

Specs converted from AWS and Azure serve several operations on one path and method (their
keys hold a fragment: `/#Action=CreateTags`, `/tags/{arn}#tagKeys`, `...#overload=url`).
A request goes to the first of them, most specific first, that

1. gets every constant the operation selects by (`OperationSpec.headers` and `.query`,
   sent by the generated client): an operation whose constants are missing or different
   is never chosen;
2. and, among those left, has every required query parameter and header the operation
   declares, a body of one of its media types (or no body where it needs none), and path
   variables that read as the types of its path parameters where those are more than
   text (`/attachments/{attachment_id}`, a UUID, beside `/attachments/{file_name}`: a
   value that is not a UUID goes to the second). When none has, the least specific
   answers, with its own 400 or 415.

A lone operation on its path and method is chosen by its constants only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from pydantic import ValidationError
from starlette.requests import Request

from .._adapters import adapter_for
from .._shapes import Shape, members, shape_of
from ..fields import STRICT_CONTEXT
from ..operation import OperationSpec, ParamSpec
from ._media import media_matches, media_type_of
from ._paths import variable_names
from ._scalars import NotAScalar, convert, scalar_kind


@dataclass(frozen=True)
class Selector:
    """What tells an operation apart from others on its path and method."""

    headers: frozenset[tuple[str, str]]
    """Constant (lower-case name, value) headers."""
    query: frozenset[tuple[str, str]]
    """Constant (name, value) query parameters."""
    required_query: frozenset[str]
    required_headers: frozenset[str]
    """Lower-case names."""
    media: frozenset[str] | None
    """The body's declared media types; None without a body."""
    body_required: bool
    typed_path: tuple[tuple[int, Any], ...] = ()
    """(position among the path's variables, type) of each path parameter whose value is
    more than text: a scalar type other than `str` (`UUID`, `int`, `date`, an enum...)."""
    path_variables: int = 0

    @classmethod
    def of(cls, operation: OperationSpec) -> Selector:
        params = [p for p in operation.params if p.required]
        body = operation.body
        media = None
        if body is not None:
            media = frozenset(
                [media_type_of(body.content_type), *(media_type_of(m) for m, _ in body.media)]
            )
        return cls(
            headers=frozenset((name.lower(), value) for name, value in operation.headers),
            query=frozenset(operation.query),
            required_query=frozenset(p.wire_name for p in params if p.location == "query"),
            required_headers=frozenset(
                p.wire_name.lower() for p in params if p.location == "header"
            ),
            media=media,
            body_required=body is not None and body.required,
            typed_path=_typed_path(operation),
            path_variables=len(variable_names(operation.path)),
        )

    @property
    def specificity(self) -> tuple[int, int, bool, int]:
        """A sort key, most specific first."""
        return (
            -len(self.headers) - len(self.query),
            -len(self.required_query) - len(self.required_headers),
            self.media is None,
            -len(self.typed_path),
        )

    def admits(self, request: Request) -> bool:
        """Whether the request carries the operation's constants."""
        if not self.headers and not self.query:
            return True
        return all(request.headers.get(k) == v for k, v in self.headers) and all(
            request.query_params.get(k) == v for k, v in self.query
        )

    def fits(self, request: Request) -> bool:
        """Whether the request has what the operation requires (see the module docstring)."""
        if not all(name in request.query_params for name in self.required_query):
            return False
        if not all(name in request.headers for name in self.required_headers):
            return False
        if self.typed_path and not self._path_reads(request):
            return False
        if self.media is None:
            return True
        received = media_type_of(request.headers.get("content-type"))
        if not received:
            return not self.body_required
        return any(media_matches(declared, received) for declared in self.media)

    def _path_reads(self, request: Request) -> bool:
        # The route's own variables are the last of the path parameters (a mount's first).
        values = list(request.path_params.values())[-self.path_variables :]
        return all(_reads_as(values[position], kind) for position, kind in self.typed_path)


def _typed_path(operation: OperationSpec) -> tuple[tuple[int, Any], ...]:
    by_wire_name = {p.wire_name: p for p in operation.params if p.location == "path"}
    typed = []
    for position, wire_name in enumerate(variable_names(operation.path)):
        spec = by_wire_name.get(wire_name)
        kind = _text_type(spec) if spec is not None else None
        if kind is not None:
            typed.append((position, kind))
    return tuple(typed)


def _text_type(spec: ParamSpec) -> Any:
    """The one scalar type, other than `str`, a path parameter's text must read as; None
    for text, unions and anything else."""
    bare = members(spec.annotation)
    if len(bare) != 1 or bare[0] is str or shape_of(spec.annotation) is not Shape.SCALAR:
        return None
    return bare[0]


def _reads_as(text: str, kind: Any) -> bool:
    value = convert(unquote(text), scalar_kind(kind))
    if isinstance(value, NotAScalar):
        return False
    try:
        adapter_for(kind).validator.validate_python(value, context=STRICT_CONTEXT)
    except ValidationError:
        return False
    return True


def most_specific_first(selectors: Sequence[Selector]) -> list[int]:
    """The indexes of `selectors`, most specific first (spec order among equals)."""
    return sorted(range(len(selectors)), key=lambda index: selectors[index].specificity)


def choose(selectors: Sequence[Selector], request: Request) -> int | None:
    """The index of the selector (sorted most specific first) the request goes to; None
    when none admits it."""
    if len(selectors) == 1:
        return 0 if selectors[0].admits(request) else None
    admitted = [index for index, selector in enumerate(selectors) if selector.admits(request)]
    if len(admitted) <= 1:
        return admitted[0] if admitted else None
    return next((index for index in admitted if selectors[index].fits(request)), admitted[-1])
