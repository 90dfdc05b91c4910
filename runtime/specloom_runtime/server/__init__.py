"""The server side of specloom: what generated Starlette apps are built from.

- `build_app` serves the operations of generated `<Tag>Api` classes with the methods of
  their implementations, validating every request (400 listing all problems, 415) and
  encoding every answer by the types the spec declares.
- Status responses (`Ok`, `Created`, `NotFound`, ..., `WithStatus`) let a handler answer
  with a declared status other than its primary success: `return NotFound(Error(...))`.
- `NotImplementedOperation` is raised by generated methods a subclass does not override,
  and answered with 501.
- Security: `build_app(..., security={"api_key_auth": verify})` checks every request
  against its operation's security schemes (401 with `WWW-Authenticate`, 403 when a
  verifier raises `InsufficientScope`); `ALLOW_ANONYMOUS` leaves a scheme unchecked.
  `request_context()` gives a handler the verified principal and the Starlette request.

`specloom_runtime.server.testing` serves an app over a real socket for tests.
"""

from ._app import build_app
from ._context import RequestContext, request_context
from ._exceptions import NotImplementedOperation
from ._security import ALLOW_ANONYMOUS, AllowAnonymous, InsufficientScope
from ._status import (
    Accepted,
    BadRequest,
    Conflict,
    Created,
    Forbidden,
    InternalServerError,
    NoContent,
    NotFound,
    Ok,
    StatusResponse,
    TooManyRequests,
    Unauthorized,
    UnprocessableEntity,
    WithStatus,
)

__all__ = [
    "ALLOW_ANONYMOUS",
    "Accepted",
    "AllowAnonymous",
    "BadRequest",
    "Conflict",
    "Created",
    "Forbidden",
    "InsufficientScope",
    "InternalServerError",
    "NoContent",
    "NotFound",
    "NotImplementedOperation",
    "Ok",
    "RequestContext",
    "StatusResponse",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableEntity",
    "WithStatus",
    "build_app",
    "request_context",
]
