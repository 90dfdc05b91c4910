"""Turning a handler's return value into the HTTP response the operation declares."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal, get_args

from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError, SchemaSerializer, from_json
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from .._adapters import adapter_for
from .._shapes import members
from ..fields import STRICT_CONTEXT
from ..operation import OperationSpec, ResponseSpec, XmlShape
from ..resources import Resource
from ..streaming import ServerSentEvent, encode_item
from ._media import is_json, is_xml, media_type_of
from ._problems import json_pointer
from ._status import Cookie, StatusResponse
from ._trust import Trusted, validated_instances
from ._validation import located_errors

logger = logging.getLogger("specloom_runtime.server")

MAX_REPORTED_ERRORS = 5
"""How many mismatches a response-validation failure names in its message."""

ResponseValidation = bool | Literal["always"]
"""Which JSON bodies are checked against their declared type before they are sent: True
checks every body but instances of the declared models (validated when they were built),
`"always"` those too, False none."""


class ResponseEncodingError(Exception):
    """A handler's return value that does not fit the response declared for its status.

    The server answers 500 and logs this error's message, which says what did not fit.
    """


@dataclass(frozen=True)
class ResponseWriter:
    """Encodes the results of one operation's handler."""

    operation: OperationSpec
    success: ResponseSpec | None
    """The primary success response, used for results that are not a `StatusResponse`."""
    success_status: int
    validate: ResponseValidation = True
    """Which JSON bodies to check against their declared type before sending them."""
    _declared: dict[int, ResponseSpec | None] = field(
        default_factory=dict, compare=False, repr=False
    )
    _encodings: dict[tuple[int, str | None], _Encoding] = field(
        default_factory=dict, compare=False, repr=False
    )
    """By the id of a declared response of the operation (which keeps it alive)."""

    @classmethod
    def for_operation(
        cls, operation: OperationSpec, *, validate: ResponseValidation = True
    ) -> ResponseWriter:
        success = operation.success
        return cls(
            operation,
            success,
            _status_of(success) if success is not None else 200,
            validate=validate,
        )

    def write(self, result: object, request: Request | None = None) -> Response:
        """The response for a handler's result: a `StatusResponse`, a Starlette `Response`
        (sent as it is), or the success body. A resource (`specloom_runtime.resources`),
        as the body or in a status response, is resolved with `request` first.

        Raises ResponseEncodingError when the result does not fit the declared response.
        """
        if isinstance(result, Response):
            return result
        if isinstance(result, StatusResponse):
            body = result.body
            if isinstance(body, Resource):
                body = body.resolve(request)
            declared = self._declared_for(result.status_code)
            response = self._response(result.status_code, body, declared, result.headers)
            if result.cookies:
                _set_cookies(response, result.cookies)
            return response
        if isinstance(result, Resource):
            result = result.resolve(request)
        if self.success is None:
            return self._response(204 if result is None else 200, result, None, None)
        return self._response(self.success_status, result, self.success, None)

    def _declared_for(self, status_code: int) -> ResponseSpec | None:
        if status_code not in self._declared:
            self._declared[status_code] = self.operation.response_for(status_code)
        return self._declared[status_code]

    def _response(
        self,
        status_code: int,
        body: Any,
        declared: ResponseSpec | None,
        headers: Mapping[str, str] | None,
    ) -> Response:
        if status_code < 200 or status_code in (204, 304):
            return Response(None, status_code, headers)
        if declared is None:
            if body is None:
                return Response(None, status_code, headers)
            return Response(_dump_as_is(body), status_code, headers, media_type="application/json")
        if declared.annotation is None:
            return Response(None, status_code, headers)
        if declared.stream:
            content_type = declared.content_type or "application/json"
            return self._streaming(status_code, body, declared, content_type, headers)
        if declared.media:
            annotation, chosen = _media_of(declared, body)
        else:
            annotation, chosen = declared.annotation, declared.content_type
        key = (id(declared), chosen)
        encoding = self._encodings.get(key)
        if encoding is None:
            encoding = self._encodings[key] = _Encoding.of(annotation, chosen, declared.xml)
        if body is None and not _admits_none(annotation):
            raise ResponseEncodingError(
                f"{self.operation.name} returned None, but its {status_code} response "
                f"declares a body ({_type_name(annotation)})"
            )
        serializer = encoding.serializer
        if serializer is not None and self.validate != "always" and encoding.trusts(body):
            # Validated when it was built: only dumped (see `_trust`).
            content = serializer.to_json(body, by_alias=True, exclude_unset=True)
        else:
            content = _encode(body, encoding)
            if self.validate and encoding.is_json:
                self._check(content, encoding.adapter, status_code)
        return EncodedResponse(content, status_code, headers, encoding.content_type_header)

    def _streaming(
        self,
        status_code: int,
        items: Any,
        declared: ResponseSpec,
        content_type: str,
        headers: Mapping[str, str] | None,
    ) -> Response:
        if not hasattr(items, "__aiter__") and not isinstance(items, Iterable):
            raise ResponseEncodingError(
                f"{self.operation.name} streams its {status_code} response: return an "
                f"(async) iterator of items, not {type(items).__name__}"
            )
        chunks = self._chunks(items, declared, status_code)
        return StreamingResponse(chunks, status_code, headers, media_type=content_type)

    async def _chunks(
        self, items: Any, declared: ResponseSpec, status_code: int
    ) -> AsyncIterator[bytes]:
        """Each item encoded as it comes; an item that does not fit ends the stream (logged)."""
        kind = declared.stream or "jsonl"
        async for item in _each(items):
            try:
                if self.validate and declared.annotation is not str:
                    data = item.data if isinstance(item, ServerSentEvent) else item
                    self._check(
                        encode_item(data, declared.annotation, "jsonl"),
                        adapter_for(declared.annotation),
                        status_code,
                    )
                chunk = encode_item(item, declared.annotation, kind)
            except (ResponseEncodingError, PydanticSerializationError, ValueError) as error:
                logger.error("operation %r ended its stream: %s", self.operation.name, error)
                return
            yield chunk

    def _check(self, content: bytes, adapter: TypeAdapter[Any], status_code: int) -> None:
        """Raise ResponseEncodingError when the JSON sent does not match its declared type."""
        try:
            adapter.validator.validate_json(content, strict=True, context=STRICT_CONTEXT)
        except ValidationError as error:
            raise ResponseEncodingError(
                f"{self.operation.name}: the {status_code} response body does not match its "
                f"schema: {_mismatches(error, content)}"
            ) from None


async def _each(items: Any) -> AsyncIterator[Any]:
    if hasattr(items, "__aiter__"):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


def _set_cookies(response: Response, cookies: Sequence[Cookie]) -> None:
    for cookie in cookies:
        response.set_cookie(
            cookie.key,
            cookie.value,
            max_age=cookie.max_age,
            expires=cookie.expires,
            path=cookie.path,
            domain=cookie.domain,
            secure=cookie.secure,
            httponly=cookie.httponly,
            samesite=cookie.samesite,
        )


def _status_of(response: ResponseSpec) -> int:
    """The status code of a declared success: `"201"` -> 201; a range or default -> 200."""
    return int(response.status) if response.status.isdigit() else 200


def _media_of(declared: ResponseSpec, body: Any) -> tuple[Any, str | None]:
    """The declared media type a body goes out as, with its type: the one whose type the
    body is an instance of (a `Problem` goes out as `application/problem+json` when the
    response declares that beside `application/json` with an `Error`), else the first whose
    type accepts the body, else the preferred one."""
    if not declared.media:
        return declared.annotation, declared.content_type
    for content_type, annotation in declared.media:
        classes = [
            m
            for m in members(annotation)
            if isinstance(m, type) and m is not Any and not get_args(m)  # Any is a class in 3.11
        ]
        if classes and isinstance(body, tuple(classes)):
            return annotation, content_type
    for content_type, annotation in declared.media:
        try:
            adapter_for(annotation).validate_python(body, from_attributes=True)
        except ValidationError:
            continue
        return annotation, content_type
    return declared.media[0][1], declared.media[0][0]


def _admits_none(annotation: Any) -> bool:
    """Whether `None` is a valid body of this type (a nullable schema)."""
    try:
        adapter_for(annotation).validate_python(None, strict=True)
    except ValidationError:
        return False
    return True


def _type_name(annotation: Any) -> str:
    return getattr(annotation, "__name__", None) or repr(annotation)


def _mismatches(error: ValidationError, content: bytes) -> str:
    """The first few errors as `pointer: message`, and how many there are in all."""
    located = list(located_errors(error, from_json(content)))
    shown = "; ".join(
        f"{json_pointer(path) or '(root)'}: {message}"
        for path, message in located[:MAX_REPORTED_ERRORS]
    )
    more = len(located) - MAX_REPORTED_ERRORS
    return shown + (f" (and {more} more)" if more > 0 else "")


@dataclass(frozen=True)
class _Encoding:
    """How the bodies of one declared response are written, worked out on first use."""

    content_type: str
    is_json: bool
    annotation: Any
    content_type_header: bytes
    trusts: Trusted
    """Whether a body is made of validated model instances only (see `_trust`)."""
    serializer: SchemaSerializer | None
    """The serializer of a JSON body's type."""
    xml: XmlShape | None = None
    """Set when the body goes out as an XML document."""

    @classmethod
    def of(
        cls, annotation: Any, content_type: str | None, xml: XmlShape | None = None
    ) -> _Encoding:
        """The encoding of bodies of type `annotation` sent as `content_type` (an XML media
        type as a document of the `xml` shape, when there is one)."""
        content_type = content_type or "application/json"
        media_type = media_type_of(content_type)
        json_body = is_json(media_type)
        return cls(
            content_type,
            json_body,
            annotation,
            _content_type_header(content_type),
            (validated_instances(annotation) if json_body else None) or _never,
            adapter_for(annotation).serializer if json_body else None,
            xml if is_xml(media_type) else None,
        )

    @property
    def adapter(self) -> TypeAdapter[Any]:
        """Made on first use: text and bytes bodies sent as they are never need one."""
        return adapter_for(self.annotation)


class EncodedResponse(Response):
    """A response whose body is encoded already, its headers built without a lookup."""

    def __init__(
        self,
        content: bytes,
        status_code: int,
        headers: Mapping[str, str] | None,
        content_type_header: bytes,
    ) -> None:
        self.status_code = status_code
        self.background = None
        self.body = content
        raw_headers = [
            (b"content-length", str(len(content)).encode("latin-1")),
            (b"content-type", content_type_header),
        ]
        if headers:
            given = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
            names = {name for name, _ in given}
            raw_headers = given + [h for h in raw_headers if h[0] not in names]
        self.raw_headers = raw_headers


def _never(body: object) -> bool:
    return False


def _content_type_header(content_type: str) -> bytes:
    """The Content-Type header Starlette sends for `content_type` (text gets a charset)."""
    return Response(b"", media_type=content_type).headers["content-type"].encode("latin-1")


def _encode(body: Any, encoding: _Encoding) -> bytes:
    """The body as bytes: JSON by its declared type, XML as its shape says, text and binary
    as they are."""
    if encoding.xml is not None:
        from ..xml_bodies import encode_xml  # only XML bodies load the codec

        adapter = encoding.adapter
        dump_python = partial(adapter.dump_python, mode="json", by_alias=True, exclude_unset=True)
        return encode_xml(_as_declared(body, adapter, dump_python), encoding.xml)
    if not encoding.is_json:
        if isinstance(body, bytes):
            return body
        if isinstance(body, str):
            return body.encode()
    adapter = encoding.adapter
    dump_json = partial(adapter.serializer.to_json, by_alias=True, exclude_unset=True)
    result: bytes = _as_declared(body, adapter, dump_json)
    return result


def _as_declared(body: Any, adapter: TypeAdapter[Any], dump: Callable[..., Any]) -> Any:
    """`dump(body)` by the declared type; a body not of that type (a dict, an ORM object)
    is converted to it first, or fails with ResponseEncodingError."""
    try:
        return dump(body, warnings="error")
    except PydanticSerializationError:
        pass
    try:
        converted = adapter.validate_python(body, from_attributes=True)
    except ValidationError as error:
        raise ResponseEncodingError(
            f"the response body does not match its declared type: {error.error_count()} errors"
        ) from error
    return dump(converted)


def _dump_as_is(body: Any) -> bytes:
    """JSON of a body sent with an undeclared status, by its own type."""
    own_type: Any = type(body)
    return adapter_for(own_type).dump_json(body, by_alias=True, exclude_unset=True)
