"""`request_context()`: the request being handled and who sent it, for handler code.

Handlers keep the typed signature the spec gives them; what the spec does not declare
(the verified principal, the raw Starlette request) is read from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request


@dataclass(frozen=True)
class RequestContext:
    """The request an operation handler is serving."""

    request: Request
    """The Starlette request."""
    principals: Mapping[str, Any] = field(default_factory=dict)
    """What each verifier returned, by scheme name (the `create_app(security=...)` key),
    for the schemes of the alternative that granted access; empty for open operations
    (and while the verifiers run: they may read `request` from here too)."""

    @property
    def principal(self) -> Any:
        """The principal of the first scheme that granted access, or None (open operation,
        or a scheme the app opted out of verifying)."""
        return next(iter(self.principals.values()), None)


_current: ContextVar[RequestContext | Request | None] = ContextVar("specloom_request", default=None)
"""The context, or only the request of one without principals (its context is made when
asked for: most handlers never ask)."""


def request_context() -> RequestContext:
    """The context of the request the calling handler serves.

    Raises LookupError outside a request handled by a generated app.
    """
    context = _current.get()
    if context is None:
        raise LookupError("request_context() is only available while a handler serves a request")
    if isinstance(context, Request):
        context = RequestContext(context)
        _current.set(context)
    return context


def enter_request(context: RequestContext | Request) -> None:
    """Make `context` the current one for the rest of the request's handling (a request
    alone: a context without principals)."""
    _current.set(context)
