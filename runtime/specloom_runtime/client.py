"""`ClientCore` and `AsyncClientCore`: send one operation and interpret what comes back.

Generated clients hold one core and call `send(OPERATION, args, body)` from every method.
Both cores share `build_request` and `read_response`; only the I/O differs. Retries,
throttling and auth belong in the httpx client they use (an `httpx.Auth`, a transport
wrapper), not here.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from .auth import CredentialPicker
from .errors import (
    DeclaredStatusError,
    RequestTimeout,
    ResponseValidationError,
    TransportError,
    UnexpectedStatusError,
)
from .operation import OperationSpec, ParameterLocation, ParamSpec
from .response import Response
from .security import SecurityScheme
from .serialization import (
    EncodedBody,
    decode_body,
    decode_untyped_body,
    encode_body,
    encode_cookie,
    encode_header,
    encode_query,
    expand_path,
)

__all__ = [
    "AsyncClientCore",
    "ClientCore",
    "accept_header",
    "build_request",
    "read_response",
    "wrap_transport_error",
]


class ClientCore:
    """Sends operations over an `httpx.Client`.

    `base_url` may carry a path prefix (`https://host/v1`); with a user-supplied
    `http_client` it may also be empty, to use that client's own `base_url`. A supplied
    `http_client` is used as it is (timeouts, transport, base URL) and never closed here;
    `timeout` then does not apply. `headers` apply to every request. `credentials` (one per
    security scheme) are sent as each operation's security asks; `auth` where they are not
    (see `specloom_runtime.auth.CredentialPicker`).
    """

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.Client | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        credentials: Mapping[SecurityScheme, Any] | None = None,
    ) -> None:
        self._base_url = _checked_base_url(base_url, has_http_client=http_client is not None)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.Client(timeout=timeout)
        self._headers = dict(headers or {})
        self._auth = _picker(credentials, auth, self._base_url, self._http_client)

    def send(
        self, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
    ) -> Response[Any]:
        """Send `operation` with `args` (by Python name; None is not sent) and `body`.

        Returns the success response with its decoded body; raises a `SpecloomError`
        for anything else.
        """
        request = build_request(
            self._http_client, self._base_url, operation, args, body, self._headers
        )
        start = time.perf_counter()
        try:
            raw = self._http_client.send(request, auth=self._auth.for_operation(operation))
        except httpx.RequestError as exc:
            raise wrap_transport_error(operation, request, exc) from exc
        return read_response(operation, raw, _since(start))

    def close(self) -> None:
        """Close the httpx client, if this core created it."""
        if self._owns_http_client:
            self._http_client.close()


class AsyncClientCore:
    """Sends operations over an `httpx.AsyncClient`; otherwise the same as `ClientCore`."""

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        timeout: float | httpx.Timeout | None = 30.0,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None = None,
        credentials: Mapping[SecurityScheme, Any] | None = None,
    ) -> None:
        self._base_url = _checked_base_url(base_url, has_http_client=http_client is not None)
        self._owns_http_client = http_client is None
        self._http_client = http_client or httpx.AsyncClient(timeout=timeout)
        self._headers = dict(headers or {})
        self._auth = _picker(credentials, auth, self._base_url, self._http_client)

    async def send(
        self, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
    ) -> Response[Any]:
        """Send `operation` with `args` (by Python name; None is not sent) and `body`.

        Returns the success response with its decoded body; raises a `SpecloomError`
        for anything else.
        """
        request = build_request(
            self._http_client, self._base_url, operation, args, body, self._headers
        )
        start = time.perf_counter()
        try:
            raw = await self._http_client.send(request, auth=self._auth.for_operation(operation))
        except httpx.RequestError as exc:
            raise wrap_transport_error(operation, request, exc) from exc
        return read_response(operation, raw, _since(start))

    async def aclose(self) -> None:
        """Close the httpx client, if this core created it."""
        if self._owns_http_client:
            await self._http_client.aclose()


def build_request(
    http_client: httpx.Client | httpx.AsyncClient,
    base_url: str,
    operation: OperationSpec,
    args: Mapping[str, Any],
    body: Any = None,
    headers: Mapping[str, str] | None = None,
) -> httpx.Request:
    """The request for `operation`: URL, query, headers, cookies and body, all encoded.

    `http_client` adds its defaults (headers, base URL, ...) as `build_request` does;
    `headers` come after those and before the operation's own.
    """
    request_headers = {**(headers or {}), **_operation_headers(operation, args)}
    encoded = EncodedBody()
    if operation.body is not None and body is not None:
        encoded = encode_body(operation.body, body)
    if encoded.content_type is not None:
        request_headers["Content-Type"] = encoded.content_type
    query = [
        pair
        for spec, value in _given(operation, args, "query")
        for pair in encode_query(spec, value)
    ]
    return http_client.build_request(
        operation.method,
        base_url + expand_path(operation.path, operation.params, args),
        params=tuple(query) if query else None,
        headers=request_headers,
        content=encoded.content,
        files=encoded.files,
    )


def accept_header(operation: OperationSpec) -> str:
    """The declared response media types, for `Accept`; empty when no response has a body."""
    media_types = dict.fromkeys(
        response.content_type
        for response in operation.responses
        if response.content_type and response.annotation is not None
    )
    return ", ".join(media_types)


def read_response(
    operation: OperationSpec, raw: httpx.Response, elapsed: datetime.timedelta
) -> Response[Any]:
    """The success `Response` of `operation`, or the `SpecloomError` its status calls for.

    `elapsed` is how long sending and reading took.
    """
    declared = operation.response_for(raw.status_code)
    if declared is None:
        raise UnexpectedStatusError(
            operation.name, Response(raw.status_code, decode_untyped_body(raw), raw, elapsed)
        )
    try:
        data = decode_body(declared.annotation, raw, declared.content_type)
    except ValidationError as exc:
        if not declared.is_success:
            # The error status matters more than its body's shape: keep it an ApiStatusError.
            raise UnexpectedStatusError(
                operation.name,
                Response(raw.status_code, decode_untyped_body(raw), raw, elapsed),
                validation_errors=exc.errors(include_url=False),
            ) from exc
        raise ResponseValidationError(
            operation.name,
            Response(raw.status_code, decode_untyped_body(raw), raw, elapsed),
            exc.errors(include_url=False),
            expected=declared.annotation,
        ) from exc
    response = Response(raw.status_code, data, raw, elapsed)
    if declared.is_success:
        return response
    raise DeclaredStatusError(operation.name, response)


def wrap_transport_error(
    operation: OperationSpec, request: httpx.Request, error: httpx.RequestError
) -> TransportError:
    """The `TransportError` (a `RequestTimeout` for timeouts) for an httpx request error."""
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        return RequestTimeout(operation.name, request, reason)
    return TransportError(operation.name, request, reason)


def _operation_headers(operation: OperationSpec, args: Mapping[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = {}
    accept = accept_header(operation)
    if accept:
        headers["Accept"] = accept
    for spec, value in _given(operation, args, "header"):
        headers[spec.wire_name] = encode_header(spec, value)
    cookies = [
        pair
        for spec, value in _given(operation, args, "cookie")
        for pair in encode_cookie(spec, value)
    ]
    if cookies:
        headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies)
    return headers


def _given(
    operation: OperationSpec, args: Mapping[str, Any], location: ParameterLocation
) -> Iterator[tuple[ParamSpec, Any]]:
    """The parameters at `location` that have a value, with it."""
    for spec in operation.params:
        value = args.get(spec.name)
        if spec.location == location and value is not None:
            yield spec, value


def _since(start: float) -> datetime.timedelta:
    return datetime.timedelta(seconds=time.perf_counter() - start)


def _picker(
    credentials: Mapping[SecurityScheme, Any] | None,
    auth: httpx.Auth | None,
    base_url: str,
    http_client: httpx.Client | httpx.AsyncClient,
) -> CredentialPicker:
    url = httpx.URL(base_url) if base_url else http_client.base_url
    return CredentialPicker(credentials or {}, auth, base_url=url)


def _checked_base_url(base_url: str, *, has_http_client: bool) -> str:
    if not has_http_client and not httpx.URL(base_url).is_absolute_url:
        raise ValueError(f"base_url must be an absolute http(s) URL, not {base_url!r}")
    return base_url.rstrip("/")
