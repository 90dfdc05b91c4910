"""The server side of specloom: what generated Starlette apps are built from.

- `build_app` serves the operations of generated `<Tag>Api` classes with the methods of
  their implementations, validating every request (400 listing all problems, 415) and
  encoding every answer by the types the spec declares.
- Status responses (`Ok`, `Created`, `NotFound`, ..., `WithStatus`) let a handler answer
  with a declared status other than its primary success: `return NotFound(Error(...))`.
- `NotImplementedOperation` is raised by generated methods a subclass does not override,
  and answered with 501.

`specloom_runtime.server.testing` serves an app over a real socket for tests.
"""

from ._app import build_app
from ._exceptions import NotImplementedOperation
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
    "Accepted",
    "BadRequest",
    "Conflict",
    "Created",
    "Forbidden",
    "InternalServerError",
    "NoContent",
    "NotFound",
    "NotImplementedOperation",
    "Ok",
    "StatusResponse",
    "TooManyRequests",
    "Unauthorized",
    "UnprocessableEntity",
    "WithStatus",
    "build_app",
]
