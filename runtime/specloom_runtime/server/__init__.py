"""The server side of specloom: what generated Starlette apps are built from.

- `build_app` serves the operations of generated `<Tag>Api` classes with the methods of
  their implementations, validating every request (400 listing all problems, 415) and
  encoding every answer by the types the spec declares.
- Status responses (`Ok`, `Created`, `NotFound`, ..., `WithStatus`) let a handler answer
  with a declared status other than its primary success: `return NotFound(Error(...))`.
  Raising one (or a `ResponseException`) answers with it at once; `set_cookie` adds cookies.
- `NotImplementedOperation` is raised by generated methods a subclass does not override,
  and answered with 501.
- Security: `build_app(..., security={"api_key_auth": verify})` checks every request
  against its operation's security schemes (401 with `WWW-Authenticate`, 403 when a
  verifier raises `InsufficientScope`); `ALLOW_ANONYMOUS` leaves a scheme unchecked.
  `request_context()` gives a handler the verified principal and the Starlette request.
- `max_body_size` raises the request-body limit of one operation (413 above it).
- `packaged_spec` reads the spec a generated package ships, served at `/openapi.json`.

`specloom_runtime.server.testing` serves an app over a real socket for tests.
"""

from ._app import build_app
from ._context import RequestContext, request_context
from ._exceptions import NotImplementedOperation, ResponseException
from ._limits import max_body_size
from ._openapi import packaged_spec
from ._security import ALLOW_ANONYMOUS, AllowAnonymous, InsufficientScope
from ._status import (
    Accepted,
    BadRequest,
    Conflict,
    Cookie,
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
    header_values,
)

__all__ = [
    "ALLOW_ANONYMOUS",
    "Accepted",
    "AllowAnonymous",
    "BadRequest",
    "Conflict",
    "Cookie",
    "Created",
    "Forbidden",
    "InsufficientScope",
    "InternalServerError",
    "NoContent",
    "NotFound",
    "NotImplementedOperation",
    "Ok",
    "RequestContext",
    "ResponseException",
    "StatusResponse",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableEntity",
    "WithStatus",
    "build_app",
    "header_values",
    "max_body_size",
    "packaged_spec",
    "request_context",
]
