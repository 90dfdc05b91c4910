"""Operation descriptors: what generated code tells the runtime about one operation.

A generated package holds one `OperationSpec` per operation (in its
`_operations.py`); the client sends requests from it and the server parses
requests and shapes responses from it, so both sides agree by construction.
Types are real Python types (`int`, `list[Pet]`, `Pet | None`), validated and
serialized with pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .security import SecurityRequirement

ParameterLocation = Literal["path", "query", "header", "cookie"]

DEFAULT_STYLES: dict[str, str] = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its keyword name, its wire name and place, and how it is encoded."""

    name: str
    """The Python keyword argument name."""
    wire_name: str
    location: ParameterLocation
    annotation: Any
    """The Python type of the value (`int`, `list[str]`, ...), without `| None`."""
    required: bool = False
    style: str = ""
    """OpenAPI style; empty means the default for the location."""
    explode: bool | None = None
    """None means the default for the style (true for `form`, false otherwise)."""
    default: Any = None
    """The spec's default, applied by the server when the parameter is absent."""

    @property
    def effective_style(self) -> str:
        return self.style or DEFAULT_STYLES[self.location]

    @property
    def effective_explode(self) -> bool:
        if self.explode is not None:
            return self.explode
        return self.effective_style == "form"


@dataclass(frozen=True)
class BodySpec:
    """The request body: its Python type and the one media type used on the wire."""

    annotation: Any
    content_type: str = "application/json"
    required: bool = True


@dataclass(frozen=True)
class ResponseSpec:
    """One declared response: `status` is `"200"`, `"4XX"` or `"default"`."""

    status: str
    annotation: Any = None
    """The Python type of the body; None when the response has no body."""
    content_type: str | None = "application/json"
    is_success: bool = False
    stream: Literal["", "sse", "jsonl"] = ""
    """A streamed body: `sse` (`text/event-stream`) or `jsonl` (JSON lines); `annotation`
    is then the type of each item (`specloom_runtime.streaming`)."""


@dataclass(frozen=True)
class OperationSpec:
    """Everything the runtime needs to send, receive or serve one operation."""

    name: str
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    body: BodySpec | None = None
    responses: tuple[ResponseSpec, ...] = ()
    tags: tuple[str, ...] = field(default=())
    security: tuple[SecurityRequirement, ...] = ()
    """The alternatives, any one of which grants access; empty when the operation is open."""

    def response_for(self, status_code: int) -> ResponseSpec | None:
        """The declared response for a status: exact code, then `4XX`-style range, then default."""
        exact = str(status_code)
        family = f"{status_code // 100}XX"
        by_status = {r.status.upper(): r for r in self.responses}
        return by_status.get(exact) or by_status.get(family) or by_status.get("DEFAULT")

    @property
    def success(self) -> ResponseSpec | None:
        """The primary success response: the first declared success in status order."""
        successes = [r for r in self.responses if r.is_success]
        return min(successes, key=lambda r: r.status) if successes else None
