"""Exceptions a handler raises to answer a request: 501 for a missing operation, or any
response at once."""

from __future__ import annotations

from starlette.responses import Response

from ._status import StatusResponse


class NotImplementedOperation(Exception):
    """An operation the implementation does not provide; the server answers 501.

    Generated `<Tag>Api` methods raise it, so an operation that a subclass does not
    override is reported to the caller instead of failing as a server error.
    """

    def __init__(self, operation: str) -> None:
        super().__init__(operation)
        self.operation = operation
        """The name of the operation (its handler method's name)."""

    def __str__(self) -> str:
        return f"operation {self.operation!r} is not implemented"


class ResponseException(Exception):
    """Answer the request with `response` at once, from anywhere below a handler.

    `response` is a status response (`NotFound(Error(...))`, encoded and checked like a
    returned one) or a ready Starlette `Response`, sent as it is:

    ```python
    raise ResponseException(NotFound(Error(code=404, message="no such pet")))
    ```

    Raising the status response itself (`raise NotFound(...)`) does the same.
    """

    def __init__(self, response: StatusResponse[object] | Response) -> None:
        super().__init__(response)
        self.response = response
