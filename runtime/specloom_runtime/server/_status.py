"""Status-typed responses: how a handler answers with a status other than its primary success.

A handler returns the body of its operation's primary success response directly. For any
other declared response it returns one of these, e.g. `NotFound(Error(code=1, message="x"))`,
whose type (`NotFound[Error]`) is part of the handler's return annotation. They are
exceptions too: `raise NotFound(Error(...))` anywhere below a handler answers the same way.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from typing_extensions import Self

BodyT_co = TypeVar("BodyT_co", covariant=True)


@dataclass(frozen=True)
class Cookie:
    """One `Set-Cookie` of a response, with the attributes of Starlette's `set_cookie`."""

    key: str
    value: str = ""
    max_age: int | None = None
    expires: datetime.datetime | str | int | None = None
    path: str | None = "/"
    domain: str | None = None
    secure: bool = False
    httponly: bool = False
    samesite: Literal["lax", "strict", "none"] | None = "lax"


class StatusResponse(Exception, Generic[BodyT_co]):
    """A body, the status code to answer it with, and optional extra headers and cookies.

    Use a subclass (`Ok`, `NotFound`, ...) or `WithStatus` for a code without one. The body
    is serialized with the type the operation declares for that status. Return it from a
    handler, or raise it (from the handler or anything it calls) to answer with it at once.
    """

    status_code: int
    """The HTTP status code; fixed by each subclass (`NotFound.status_code == 404`)."""

    def __init__(self, body: BodyT_co, *, headers: Mapping[str, str] | None = None) -> None:
        if not hasattr(self, "status_code"):
            raise TypeError(
                "StatusResponse has no status code: use a subclass such as Ok, or WithStatus"
            )
        super().__init__(body)
        self.body = body
        self.headers: Mapping[str, str] = dict(headers or {})
        self.cookies: list[Cookie] = []

    def set_cookie(
        self,
        key: str,
        value: str = "",
        *,
        max_age: int | None = None,
        expires: datetime.datetime | str | int | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: Literal["lax", "strict", "none"] | None = "lax",
    ) -> Self:
        """Add a `Set-Cookie` header (one per call; several cookies may be set); returns self.

        `Ok(pet).set_cookie("session", token, httponly=True).set_cookie("theme", "dark")`
        """
        self.cookies.append(
            Cookie(key, value, max_age, expires, path, domain, secure, httponly, samesite)
        )
        return self

    def __repr__(self) -> str:
        headers = f", headers={dict(self.headers)!r}" if self.headers else ""
        return f"{type(self).__name__}({self.body!r}{headers})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StatusResponse):
            return NotImplemented
        return (
            type(self) is type(other)
            and self.status_code == other.status_code
            and self.body == other.body
            and dict(self.headers) == dict(other.headers)
            and self.cookies == other.cookies
        )

    __hash__ = Exception.__hash__


class Ok(StatusResponse[BodyT_co]):
    """200 OK."""

    status_code = 200


class Created(StatusResponse[BodyT_co]):
    """201 Created."""

    status_code = 201


class Accepted(StatusResponse[BodyT_co]):
    """202 Accepted."""

    status_code = 202


class NoContent(StatusResponse[None]):
    """204 No Content: never has a body."""

    status_code = 204

    def __init__(self, *, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(None, headers=headers)

    def __repr__(self) -> str:
        return f"NoContent(headers={dict(self.headers)!r})" if self.headers else "NoContent()"


class BadRequest(StatusResponse[BodyT_co]):
    """400 Bad Request."""

    status_code = 400


class Unauthorized(StatusResponse[BodyT_co]):
    """401 Unauthorized."""

    status_code = 401


class Forbidden(StatusResponse[BodyT_co]):
    """403 Forbidden."""

    status_code = 403


class NotFound(StatusResponse[BodyT_co]):
    """404 Not Found."""

    status_code = 404


class Conflict(StatusResponse[BodyT_co]):
    """409 Conflict."""

    status_code = 409


class UnprocessableEntity(StatusResponse[BodyT_co]):
    """422 Unprocessable Entity."""

    status_code = 422


class TooManyRequests(StatusResponse[BodyT_co]):
    """429 Too Many Requests."""

    status_code = 429


class InternalServerError(StatusResponse[BodyT_co]):
    """500 Internal Server Error."""

    status_code = 500


class WithStatus(StatusResponse[BodyT_co]):
    """Any other status code, e.g. for a `default` or `5XX` response: `WithStatus(503, error)`."""

    def __init__(
        self, status_code: int, body: BodyT_co, *, headers: Mapping[str, str] | None = None
    ) -> None:
        if not 100 <= status_code <= 599:
            raise ValueError(f"not an HTTP status code: {status_code}")
        self.status_code = status_code
        super().__init__(body, headers=headers)

    def __repr__(self) -> str:
        headers = f", headers={dict(self.headers)!r}" if self.headers else ""
        return f"WithStatus({self.status_code}, {self.body!r}{headers})"


def header_values(values: Mapping[str, object]) -> dict[str, str]:
    """Typed header values as header text, leaving out those that are None: booleans as
    `true`/`false`, enums by value, lists comma-separated (OpenAPI's `simple` style).

    Generated response classes pass their header arguments through it.
    """
    return {
        name: value if type(value) is str else _header_text(value)
        for name, value in values.items()
        if value is not None
    }


def _header_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return _header_text(value.value)
    if isinstance(value, (list, tuple)):
        return ",".join(_header_text(item) for item in value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)
