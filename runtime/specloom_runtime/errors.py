"""The errors a generated client raises, all under `SpecloomError`.

```
SpecloomError                 .operation_name, .attempts
├── InvalidRequest            the arguments cannot be put on the wire (a non-ASCII header
│                             value, a NUL in a path, a body that does not serialize)
├── TransportError            no response came (the httpx error is the __cause__)
│   └── RequestTimeout        it timed out, or the call's deadline passed
├── RateLimited               a client-side rate limit would hold the call past its deadline
├── ResponseTooLarge          the body is larger than the client's `max_response_size`
├── ApiStatusError            an error status: .status_code, .body, .response
│   ├── DeclaredStatusError   a status the spec declares; .body has its declared type
│   └── UnexpectedStatusError a status the spec does not declare, or an error body that does not
│                             match its declared schema; .body is JSON, else text
├── ResponseValidationError   a success body that does not match its schema: .response, .errors
└── AuthError                 no credentials for the operation, or a token could not be obtained
```

A call that was retried raises the error of its last attempt; `attempts` says how many were
made, and the message ends with it (`(3 attempts)`). While a rate limit leaves time, calls
wait for their turn instead of failing.

Every message names the operation, the method and URL, the status and the start of the body.
Query values are left out of messages, as they may hold credentials; the full request is
on `.request` or `.response.raw.request`.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar, get_args

import httpx
from pydantic_core import ErrorDetails

from .response import Response
from .serialization import is_textual_media, media_type

__all__ = [
    "ApiStatusError",
    "AuthError",
    "DeclaredStatusError",
    "InvalidRequest",
    "RateLimited",
    "RequestTimeout",
    "ResponseTooLarge",
    "ResponseValidationError",
    "SpecloomError",
    "TransportError",
    "UnexpectedStatusError",
]

T = TypeVar("T")

_EXCERPT_LENGTH = 200
_LISTED_VALIDATION_ERRORS = 3
_QUALIFIED_NAME = re.compile(r"\b(?:\w+\.)+(\w+)")


class SpecloomError(Exception):
    """Base of every error raised by a generated client."""

    operation_name: str
    """The Python name of the operation that failed, e.g. `get_pet`."""
    attempts: int = 1
    """How many attempts the call made, retries included."""

    def __str__(self) -> str:
        message = super().__str__()
        return f"{message} ({self.attempts} attempts)" if self.attempts > 1 else message


class InvalidRequest(SpecloomError, ValueError):
    """The arguments of a call cannot be sent: nothing went on the wire."""

    def __init__(self, operation_name: str, reason: str) -> None:
        self.operation_name = operation_name
        super().__init__(f"{operation_name}: cannot send the request: {reason}")


class TransportError(SpecloomError):
    """The request got no response: connection refused, reset, TLS failure, too many redirects."""

    def __init__(self, operation_name: str, request: httpx.Request, reason: str) -> None:
        self.operation_name = operation_name
        self.request = request
        super().__init__(f"{operation_name}: {_describe_request(request)}: {reason}")


class RequestTimeout(TransportError):
    """The request timed out (connecting, writing, waiting for or reading the response)."""


class RateLimited(SpecloomError):
    """A client-side rate limit would hold the call past its deadline; nothing was sent."""

    def __init__(self, operation_name: str, limit_ids: list[str], wait: float) -> None:
        self.operation_name = operation_name
        self.limit_ids = limit_ids
        self.wait = wait
        """How long the call would have had to wait, in seconds."""
        names = ", ".join(repr(limit_id) for limit_id in limit_ids)
        super().__init__(
            f"{operation_name}: rate limit {names} allows the call only in {wait:.3g} s,"
            " after its deadline"
        )


class ResponseTooLarge(SpecloomError):
    """The response body is larger than the client accepts (`max_response_size`)."""

    def __init__(self, operation_name: str, response: httpx.Response, max_size: int) -> None:
        self.operation_name = operation_name
        self.response = response
        """The httpx response, its body not read."""
        self.max_size = max_size
        super().__init__(
            f"{operation_name}: {_describe_request(response.request)} -> {response.status_code}:"
            f" the body is larger than max_response_size ({_count(max_size, 'byte')})"
        )


class ApiStatusError(SpecloomError):
    """The server answered with a status the operation does not treat as success."""

    _remark = ""

    def __init__(self, operation_name: str, response: Response[Any], *, remark: str = "") -> None:
        self.operation_name = operation_name
        self.response = response
        message = _describe_response(response.raw, remark or self._remark)
        super().__init__(f"{operation_name}: {message}")

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.response.status_code

    @property
    def body(self) -> Any:
        """The decoded body."""
        return self.response.data


class DeclaredStatusError(ApiStatusError, Generic[T]):
    """A status the spec declares for the operation; `body` has the type declared for it."""

    response: Response[T]

    def __init__(self, operation_name: str, response: Response[T]) -> None:
        super().__init__(operation_name, response)

    @property
    def body(self) -> T:
        """The body, parsed to the type the spec declares for this status."""
        return self.response.data


class UnexpectedStatusError(ApiStatusError):
    """An error status the client cannot type: one the spec does not declare for the operation,
    or a declared one whose body does not match the declared schema (say, a proxy's HTML page or
    a server's problem+json). `body` is JSON if it parses, else text.

    An empty body is None; a binary one (an image, ...) stays bytes. For a body that did not
    match, `validation_errors` lists the mismatches (empty otherwise).
    """

    _remark = " (status not declared by the spec)"

    def __init__(
        self,
        operation_name: str,
        response: Response[Any],
        *,
        validation_errors: list[ErrorDetails] | None = None,
    ) -> None:
        self.validation_errors: list[ErrorDetails] = validation_errors or []
        remark = " (body does not match the declared schema)" if validation_errors else ""
        super().__init__(operation_name, response, remark=remark)


class ResponseValidationError(SpecloomError):
    """A success response body that does not match the schema declared for its status.

    `response.data` holds the body as decoded JSON (else text), `errors` lists every
    mismatch and `expected` is the type the body should have had.
    """

    def __init__(
        self,
        operation_name: str,
        response: Response[Any],
        errors: list[ErrorDetails],
        *,
        expected: Any = None,
    ) -> None:
        self.operation_name = operation_name
        self.response = response
        self.errors = errors
        self.expected = expected
        target = "its schema" if expected is None else _type_name(expected)
        problems = f"{_count(len(errors), 'error')}: {_summarize_errors(errors)}"
        super().__init__(
            f"{operation_name}: {_describe_request(response.raw.request)}"
            f" -> {response.status_code}: the body does not match {target} ({problems})"
            f"{_excerpt_part(response.raw)}"
        )

    @property
    def status_code(self) -> int:
        """The HTTP status code."""
        return self.response.status_code


class AuthError(SpecloomError):
    """The request could not be authenticated: the client has no credentials meeting the
    operation's security (raised before sending), or a token endpoint refused or failed.

    Messages never hold a secret (no token, key, password or client secret).
    """

    def __init__(self, message: str, *, operation_name: str = "") -> None:
        self.operation_name = operation_name
        super().__init__(f"{operation_name}: {message}" if operation_name else message)


def _describe_request(request: httpx.Request) -> str:
    """`GET https://host/path?name=…` with query values elided."""
    url = request.url
    shown = str(url.copy_with(query=None, fragment=None, username=None, password=None))
    if url.params:
        shown += "?" + "&".join(f"{name}=…" for name in url.params)
    return f"{request.method} {shown}"


def _describe_response(response: httpx.Response, remark: str = "") -> str:
    """`GET https://host/path -> 404 Not Found<remark>: <start of the body>`."""
    status = f"{response.status_code} {response.reason_phrase}".rstrip()
    return f"{_describe_request(response.request)} -> {status}{remark}{_excerpt_part(response)}"


def _body_excerpt(response: httpx.Response) -> str:
    """The start of the body on one line, or its size and type when it is binary."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return ""
    media = media_type(response.headers.get("content-type", ""))
    if content and media and not is_textual_media(media):
        return f"<{_count(len(content), 'byte')} of {media}>"
    text = " ".join(response.text.split())
    if len(text) > _EXCERPT_LENGTH:
        return text[: _EXCERPT_LENGTH - 1] + "…"
    return text


def _summarize_errors(errors: list[ErrorDetails]) -> str:
    """The first few validation errors as `location: message`, joined by `; `."""
    listed = [
        f"{'.'.join(str(part) for part in error['loc']) or '(body)'}: {error['msg']}"
        for error in errors[:_LISTED_VALIDATION_ERRORS]
    ]
    if len(errors) > _LISTED_VALIDATION_ERRORS:
        listed.append("…")
    return "; ".join(listed)


def _type_name(annotation: Any) -> str:
    """A short readable name for a type: `Pet`, `list[Pet]`."""
    if isinstance(annotation, type) and not get_args(annotation):
        return annotation.__qualname__
    return _QUALIFIED_NAME.sub(r"\1", str(annotation))


def _excerpt_part(response: httpx.Response) -> str:
    excerpt = _body_excerpt(response)
    return f": {excerpt}" if excerpt else ""


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
