"""Telling apart the operations that share a path and a method.

Specs converted from AWS and Azure serve several operations on one path and method (their
keys hold a fragment: `/#Action=CreateTags`, `/tags/{arn}#tagKeys`, `...#overload=url`).
A request goes to the first of them, most specific first, that

1. gets every constant the operation selects by (`OperationSpec.headers` and `.query`,
   sent by the generated client): an operation whose constants are missing or different
   is never chosen;
2. and, among those left, has every required query parameter and header the operation
   declares, and a body of one of its media types (or no body where it needs none). When
   none has, the least specific answers, with its own 400 or 415.

A lone operation on its path and method is chosen by its constants only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.requests import Request

from ..operation import OperationSpec
from ._media import media_matches, media_type_of


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
        )

    @property
    def specificity(self) -> tuple[int, int, bool]:
        """A sort key, most specific first."""
        return (
            -len(self.headers) - len(self.query),
            -len(self.required_query) - len(self.required_headers),
            self.media is None,
        )

    def admits(self, request: Request) -> bool:
        """Whether the request carries the operation's constants."""
        return all(request.headers.get(k) == v for k, v in self.headers) and all(
            request.query_params.get(k) == v for k, v in self.query
        )

    def fits(self, request: Request) -> bool:
        """Whether the request has what the operation requires (see the module docstring)."""
        if not all(name in request.query_params for name in self.required_query):
            return False
        if not all(name in request.headers for name in self.required_headers):
            return False
        if self.media is None:
            return True
        received = media_type_of(request.headers.get("content-type"))
        if not received:
            return not self.body_required
        return any(media_matches(declared, received) for declared in self.media)


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
