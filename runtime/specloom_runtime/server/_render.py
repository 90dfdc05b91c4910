"""Turning a handler's return value into the HTTP response the operation declares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError
from starlette.responses import Response

from .._adapters import adapter_for
from ..operation import OperationSpec, ResponseSpec
from ._media import is_json, media_type_of
from ._status import StatusResponse


class ResponseEncodingError(Exception):
    """A handler's return value that does not fit the response declared for its status."""


@dataclass(frozen=True)
class ResponseWriter:
    """Encodes the results of one operation's handler."""

    operation: OperationSpec
    success: ResponseSpec | None
    """The primary success response, used for results that are not a `StatusResponse`."""
    success_status: int
    _declared: dict[int, ResponseSpec | None] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def for_operation(cls, operation: OperationSpec) -> ResponseWriter:
        success = operation.success
        return cls(operation, success, _status_of(success) if success is not None else 200)

    def write(self, result: object) -> Response:
        """The response for a handler's result: a `StatusResponse`, or the success body."""
        if isinstance(result, StatusResponse):
            return _response(
                result.status_code,
                result.body,
                self._declared_for(result.status_code),
                result.headers,
            )
        if self.success is None:
            return _response(204 if result is None else 200, result, None, None)
        return _response(self.success_status, result, self.success, None)

    def _declared_for(self, status_code: int) -> ResponseSpec | None:
        if status_code not in self._declared:
            self._declared[status_code] = self.operation.response_for(status_code)
        return self._declared[status_code]


def _response(
    status_code: int, body: Any, declared: ResponseSpec | None, headers: Mapping[str, str] | None
) -> Response:
    if status_code < 200 or status_code in (204, 304):
        return Response(None, status_code, headers)
    if declared is None:
        if body is None:
            return Response(None, status_code, headers)
        return Response(_dump_as_is(body), status_code, headers, media_type="application/json")
    if declared.annotation is None:
        return Response(None, status_code, headers)
    content_type = declared.content_type or "application/json"
    content = _encode(body, declared.annotation, media_type_of(content_type))
    return Response(content, status_code, headers, media_type=content_type)


def _status_of(response: ResponseSpec) -> int:
    """The status code of a declared success: `"201"` -> 201; a range or default -> 200."""
    return int(response.status) if response.status.isdigit() else 200


def _encode(body: Any, annotation: Any, media_type: str) -> bytes:
    """The body as bytes: JSON by its declared type, text and binary as they are."""
    if not is_json(media_type):
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode()
    adapter = adapter_for(annotation)
    try:
        return adapter.dump_json(body, by_alias=True, exclude_unset=True, warnings="error")
    except PydanticSerializationError:
        pass
    # Not an instance of the declared type (a dict, an ORM object): convert it, or fail.
    try:
        converted = adapter.validate_python(body, from_attributes=True)
    except ValidationError as error:
        raise ResponseEncodingError(
            f"the response body does not match its declared type: {error.error_count()} errors"
        ) from error
    return adapter.dump_json(converted, by_alias=True, exclude_unset=True)


def _dump_as_is(body: Any) -> bytes:
    """JSON of a body sent with an undeclared status, by its own type."""
    own_type: Any = type(body)
    return adapter_for(own_type).dump_json(body, by_alias=True, exclude_unset=True)
