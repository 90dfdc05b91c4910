"""One operation served: run the checks, parse the request, call the handler, write the answer."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from functools import partial
from types import CoroutineType
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from ..operation import OperationSpec
from ._body import BodyReader
from ._context import enter_request
from ._exceptions import NotImplementedOperation, ResponseException
from ._forms import MalformedBody
from ._limits import DEFAULT_MAX_BODY_SIZE, BodyTooLarge, body_size_limit, read_body
from ._multipart import Part, close_parts, parse_multipart, spool_body
from ._params import ParamReader, RequestValues
from ._problems import (
    Problem,
    bad_request,
    internal_error,
    not_implemented,
    payload_too_large,
    unsupported_media_type,
)
from ._render import ResponseEncodingError, ResponseValidation, ResponseWriter
from ._status import StatusResponse

RequestCheck = Callable[[Request], Awaitable[Response | None]]
"""A check run before the request is parsed (security schemes, ...): a response it returns
is the answer, None lets the request through."""

Handler = Callable[..., object]
"""An implementation's method for an operation, taking the parameters and `body` by keyword;
normally `async`, and awaited when it returns an awaitable."""

logger = logging.getLogger("specloom_runtime.server")


@dataclass(frozen=True)
class OperationEndpoint:
    """Serves one operation; everything about it that does not depend on a request is built once."""

    operation: OperationSpec
    handler: Handler | None
    """None when the operation is not implemented: it answers 501."""
    params: tuple[ParamReader, ...]
    body: BodyReader | None
    writer: ResponseWriter
    checks: tuple[RequestCheck, ...] = ()
    debug: bool = False
    max_body_size: int = DEFAULT_MAX_BODY_SIZE
    """Larger request bodies answer 413."""

    @classmethod
    def build(
        cls,
        operation: OperationSpec,
        handler: Handler | None,
        *,
        checks: Sequence[RequestCheck] = (),
        debug: bool = False,
        validate_responses: ResponseValidation = True,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> OperationEndpoint:
        return cls(
            operation=operation,
            handler=handler,
            params=tuple(
                ParamReader.for_param(p, operation.params, [name for name, _ in operation.query])
                for p in operation.params
            ),
            body=BodyReader.for_body(operation.body) if operation.body is not None else None,
            writer=ResponseWriter.for_operation(operation, validate=validate_responses),
            checks=tuple(checks),
            debug=debug,
            max_body_size=body_size_limit(handler, max_body_size),
        )

    async def __call__(self, request: Request) -> Response:
        """The answer to a request; never raises, except a Starlette `HTTPException`."""
        parts: list[Part] = []
        try:
            try:
                # Checks (verifiers) may read the request from the context too.
                enter_request(request)
                for check in self.checks:
                    denied = await check(request)
                    if denied is not None:
                        return denied
                handler = self.handler
                if handler is None:
                    return not_implemented(self.operation.name)
                if self.body is None:
                    problems: list[Problem] = []
                    arguments = self._parameters(request, problems) if self.params else {}
                    if problems:
                        return bad_request(problems)
                else:
                    with_body = await self._arguments(request, parts)
                    if isinstance(with_body, Response):
                        return with_body
                    arguments = with_body
                result = handler(**arguments)
                if type(result) is CoroutineType or inspect.isawaitable(result):
                    result = await result
                if self.writer.success is not None and self.writer.success.stream:
                    result = await _started(result)
                return self.writer.write(result, request)
            except StatusResponse as raised:
                return self.writer.write(raised, request)
            except ResponseException as raised:
                return self.writer.write(raised.response, request)
        except HTTPException:
            raise
        except NotImplementedOperation as error:
            return not_implemented(error.operation)
        except ResponseEncodingError as error:
            logger.error("operation %r answered 500: %s", self.operation.name, error)
            return internal_error(error, debug=self.debug)
        except Exception as error:
            logger.exception("operation %r failed", self.operation.name)
            return internal_error(error, debug=self.debug)
        finally:
            if parts:
                close_parts(parts)

    def _parameters(self, request: Request, problems: list[Problem]) -> dict[str, Any]:
        """The parameters by Python name; what is wrong with them is added to `problems`."""
        values = RequestValues(request)
        arguments = {}
        for reader in self.params:
            arguments[reader.spec.name] = reader.read(values, problems)
        return arguments

    async def _arguments(self, request: Request, parts: list[Part]) -> dict[str, Any] | Response:
        """The handler's keyword arguments, or the error response when the request is invalid.

        The parts of a multipart body are added to `parts`, for the caller to close.
        """
        problems: list[Problem] = []
        arguments = self._parameters(request, problems) if self.params else {}
        if self.body is not None:
            content_type = request.headers.get("content-type", "")
            body_reader = self.body
            if body_reader.alternatives:
                body_reader = body_reader.for_content_type(content_type)
            try:
                if body_reader.is_multipart(content_type):
                    body = await self._multipart(
                        body_reader, request, content_type, parts, problems
                    )
                else:
                    body = await self._body(body_reader, request, content_type, problems)
            except BodyTooLarge:
                return payload_too_large(self.max_body_size)
            if isinstance(body, Response):
                return body
            arguments["body"] = body
        if problems:
            return bad_request(problems)
        return arguments

    async def _body(
        self, reader: BodyReader, request: Request, content_type: str, problems: list[Problem]
    ) -> Any:
        content = await read_body(request, self.max_body_size)
        if not content and not reader.reads_empty(content_type):
            reader.missing(problems)
            return None
        if not reader.accepts(content_type):
            return unsupported_media_type(content_type, reader.declared)
        return reader.read(content, content_type, problems)

    async def _multipart(
        self,
        reader: BodyReader,
        request: Request,
        content_type: str,
        parts: list[Part],
        problems: list[Problem],
    ) -> Any:
        spooled = await spool_body(request, self.max_body_size)
        if spooled.seek(0, 2) == 0:
            spooled.close()
            reader.missing(problems)
            return None
        spooled.seek(0)
        try:
            parts += await parse_multipart(spooled, content_type)
        except MalformedBody as error:
            problems.append(Problem("body", str(error), pointer=""))
            return None
        return reader.read_parts(parts, problems)


async def _started(result: object) -> object:
    """A streamed result with its first item already taken: what an async generator raises
    before its first item (`raise NotFound(...)`) is then the answer, not a broken stream."""
    if not isinstance(result, AsyncIterable):
        return result
    iterator = aiter(result)
    try:
        first = await anext(iterator)
    except StopAsyncIteration:
        return ()
    return _chained(first, iterator)


async def _chained(first: object, rest: AsyncIterator[object]) -> AsyncIterator[object]:
    yield first
    async for item in rest:
        yield item


@dataclass
class DeferredEndpoint:
    """An operation's `OperationEndpoint`, built when its first request arrives.

    Building one makes the validators of every model its parameters, body and responses
    reach; an app for a spec of thousands of operations would otherwise spend minutes (and
    gigabytes) on operations no request uses. What the routes need (the operation, whether
    it is implemented) is known without building.
    """

    operation: OperationSpec
    handler: Handler | None
    build: Callable[[], OperationEndpoint]
    debug: bool = False
    _built: OperationEndpoint | None = None

    def ready(self) -> Callable[[Request], Awaitable[Response]]:
        """The endpoint, built now on the first call; when it cannot be built, one that
        answers 500 (the reason logged)."""
        endpoint = self._built
        if endpoint is not None:
            return endpoint
        try:
            endpoint = self._built = self.build()
        except Exception as error:
            logger.exception("operation %r could not be served", self.operation.name)
            return partial(_failed, error, self.debug)
        return endpoint


async def _failed(error: Exception, debug: bool, request: Request) -> Response:
    return internal_error(error, debug=debug)
