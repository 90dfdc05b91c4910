"""Problem details (RFC 9457): how the server reports what went wrong with a request.

Every error answer is `application/problem+json`. A 400 lists each problem found in the
request with where it is: a parameter by its wire name, or a JSON pointer into the body.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Literal

from starlette.responses import Response

PROBLEM_JSON = "application/problem+json"
MAX_MESSAGE_LENGTH = 200
"""Messages and pointers are cut to this length, so that no answer echoes a huge input."""
MAX_LISTED_PROBLEMS = 100
"""A 400 lists at most this many problems; its `detail` still counts all of them."""

ProblemLocation = Literal["path", "query", "header", "cookie", "body"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, and where it is."""

    location: ProblemLocation
    message: str
    name: str | None = None
    """The wire name of the parameter at fault."""
    pointer: str | None = None
    """A JSON pointer (RFC 6901) into the body; `""` is the whole body."""

    def to_json(self) -> dict[str, str]:
        entry: dict[str, str] = {"in": self.location}
        if self.name is not None:
            entry["name"] = self.name
        if self.pointer is not None:
            entry["pointer"] = shorten(self.pointer)
        entry["message"] = shorten(self.message)
        return entry


def shorten(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """`text`, cut to `limit` characters with an ellipsis when longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_response(
    status: int,
    detail: str,
    *,
    errors: Sequence[Problem] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem+json response with `about:blank` as its type and the status phrase as title."""
    content: dict[str, Any] = {
        "type": "about:blank",
        "title": status_phrase(status),
        "status": status,
        "detail": shorten(detail),
    }
    if errors:
        content["errors"] = [problem.to_json() for problem in errors[:MAX_LISTED_PROBLEMS]]
    body = json.dumps(content, ensure_ascii=False).encode()
    return Response(body, status, headers, media_type=PROBLEM_JSON)


def bad_request(problems: Sequence[Problem]) -> Response:
    """400 listing every problem found in the request."""
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    return problem_response(400, f"{count} {noun} in the request", errors=problems)


def unsupported_media_type(received: str, expected: str) -> Response:
    """415 for a body whose Content-Type the operation does not take."""
    got = repr(shorten(received, 80)) if received else "no Content-Type"
    return problem_response(415, f"the request body has {got}; expected {expected!r}")


def payload_too_large(limit: int) -> Response:
    """413 for a request body larger than the operation takes."""
    return problem_response(413, f"the request body is larger than {limit} bytes")


def not_implemented(operation: str) -> Response:
    """501 for an operation that the server does not implement."""
    return problem_response(501, f"operation {operation!r} is not implemented")


def internal_error(error: Exception, *, debug: bool) -> Response:
    """500 that shows what failed only in debug mode."""
    detail = (
        f"{type(error).__name__}: {error}" if debug else "the server failed to handle the request"
    )
    return problem_response(500, detail)


def status_phrase(status: int) -> str:
    """The reason phrase of a status code (`"Not Found"`), or `"Error"` for an unknown code."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def json_pointer(tokens: Sequence[str | int]) -> str:
    """A JSON pointer from its reference tokens, escaped per RFC 6901."""
    return "".join("/" + str(token).replace("~", "~0").replace("/", "~1") for token in tokens)
