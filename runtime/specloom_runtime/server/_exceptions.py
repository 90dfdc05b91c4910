"""The exception a generated handler method raises when the implementation lacks it."""

from __future__ import annotations


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
