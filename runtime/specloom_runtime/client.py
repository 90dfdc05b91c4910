"""`ClientCore` and `AsyncClientCore`: send one call and interpret what comes back.

Generated clients hold one core and call `call(OPERATION, args, body)` (the data) or
`send(...)` (the whole `Response`) from every method; `request(...)` sends what the spec
does not describe. Every call goes through one loop, here: rate limits and the in-flight
limit, request hooks, the attempt, response hooks, and the `RetryPolicy` deciding whether
to try again. Both cores share that logic; only the I/O (threads or tasks) differs.
"""

from __future__ import annotations

import copy
import datetime
import threading
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, nullcontext
from typing import Any

import anyio
import httpx
from pydantic import ValidationError
from typing_extensions import Self, Unpack

from .auth._redirects import (
    send_keeping_credentials_home,
    send_keeping_credentials_home_async,
)
from .auth._select import AuthChoice, CredentialPicker
from .client_base import AsyncClientBase, ClientBase
from .errors import (
    AuthError,
    DeclaredStatusError,
    InvalidRequest,
    RateLimited,
    RequestTimeout,
    ResponseTooLarge,
    ResponseValidationError,
    SpecloomError,
    TransportError,
    UnexpectedStatusError,
)
from .hooks import arun_hooks, run_hooks
from .operation import OperationSpec, ParamSpec
from .options import DEFAULT_TIMEOUT, AsyncClientOptions, CallOptions, CallSettings, ClientOptions
from .plan import OperationPlan, plan_for
from .reading import BodyTooLarge, aread_body, read_body
from .response import Response
from .retry import IDEMPOTENT_METHODS, RetryPolicy
from .retry_budget import RetryBudget
from .security import SecurityScheme
from .serialization import (
    EncodedBody,
    ParameterValueError,
    decode_body,
    decode_untyped_body,
    encode_body,
    encode_cookie,
    encode_header,
    encode_query,
)
from .throttle import Throttle, Ticket, quota_reset

__all__ = [
    "AsyncClientBase",
    "AsyncClientCore",
    "ClientBase",
    "ClientCore",
    "accept_header",
    "build_request",
    "read_response",
    "read_untyped_response",
    "wrap_transport_error",
]

RAW_REQUEST_NAME = "request"
"""The operation name (and limit id) of calls made with `request(...)`."""

_DEFAULT_RETRY = RetryPolicy()

_NO_BODY = EncodedBody()
_TOO_MANY_REQUESTS = 429

Interpret = Callable[[httpx.Response, datetime.timedelta], Response[Any]]


class _CoreBase:
    """What both cores share: configuration, building requests, deciding on retries."""

    _http_client: httpx.Client | httpx.AsyncClient
    _auth: CredentialPicker

    def __init__(
        self,
        base_url: str,
        *,
        has_http_client: bool,
        options: ClientOptions | AsyncClientOptions,
    ) -> None:
        self._base_url = _checked_base_url(base_url, has_http_client=has_http_client)
        self._owns_http_client = not has_http_client
        self._settings = CallSettings().updated(options)
        self._retry_budget = options.get("retry_budget", RetryBudget())
        self._throttle = Throttle(options.get("rate_limits", ()))
        self._max_in_flight = options.get("max_in_flight")

    def _derived(self, options: CallOptions) -> Self:
        derived = copy.copy(self)
        derived._settings = self._settings.updated(options)
        derived._owns_http_client = False
        return derived

    def _build(self, operation: OperationSpec, args: Mapping[str, Any], body: Any) -> httpx.Request:
        settings = self._settings
        try:
            request = build_request(
                self._http_client, self._base_url, operation, args, body, settings.headers
            )
        except (ValueError, httpx.InvalidURL) as exc:
            raise InvalidRequest(operation.name, _reason(exc)) from exc
        return self._prepared(request, settings)

    def _build_raw(
        self,
        method: str,
        path: str,
        params: Any,
        json: Any,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        settings = self._settings
        try:
            request = self._http_client.build_request(
                method,
                self._base_url + path,
                params=params,
                json=json,
                content=content,
                headers={**settings.headers, **(headers or {})},
            )
        except (ValueError, TypeError, httpx.InvalidURL) as exc:
            raise InvalidRequest(RAW_REQUEST_NAME, _reason(exc)) from exc
        return self._prepared(request, settings)

    @staticmethod
    def _prepared(request: httpx.Request, settings: CallSettings) -> httpx.Request:
        if settings.timeout is not None:
            request.extensions["timeout"] = settings.timeout.as_dict()
        retry = settings.retry
        if (
            retry is not None
            and retry.add_idempotency_key
            and request.method not in IDEMPOTENT_METHODS
            and retry.idempotency_header not in request.headers
        ):
            request.headers[retry.idempotency_header] = str(uuid.uuid4())
        return request

    def _attempt_not_after(self, not_after: float | None) -> float | None:
        attempt_timeout = self._settings.attempt_timeout
        if attempt_timeout is None:
            return not_after
        attempt_end = time.monotonic() + attempt_timeout
        return attempt_end if not_after is None else min(not_after, attempt_end)

    def _reserve(self, name: str) -> tuple[Ticket, float]:
        try:
            return self._throttle.reserve(name, self._settings.rate_limit_weight)
        except ValueError as exc:
            raise InvalidRequest(name, str(exc)) from exc

    def _check_wait(self, name: str, wait: float, not_after: float | None) -> None:
        """Raise `RateLimited` when waiting `wait` seconds would pass the deadline."""
        if not_after is not None and time.monotonic() + wait > not_after:
            raise RateLimited(name, self._throttle.limit_ids(name), wait)

    def _delay_after_error(
        self,
        attempt: int,
        request: httpx.Request,
        error: httpx.RequestError,
        not_after: float | None,
    ) -> float | None:
        retry = self._settings.retry
        if retry is None:
            return None
        return self._allowed(retry.delay_after_error(attempt, request, error), not_after)

    def _delay_after_response(
        self,
        name: str,
        attempt: int,
        request: httpx.Request,
        raw: httpx.Response,
        not_after: float | None,
    ) -> float | None:
        """Adapt the throttle to what the response says; the wait before a retry, or None."""
        retry = self._settings.retry
        pause = 0.0
        if raw.status_code == _TOO_MANY_REQUESTS or self._throttle.active or _has_quota(raw):
            reset = quota_reset(raw)
            if reset:
                pause = min(reset, (retry or _DEFAULT_RETRY).max_delay)
                for limit_id in self._throttle.limit_ids(name):
                    self._throttle.pause(limit_id, pause)
        if retry is None or raw.status_code not in retry.retry_statuses:
            if self._retry_budget is not None:
                self._retry_budget.record_success()
            return None
        delay = self._allowed(retry.delay_after_status(attempt, request, raw), not_after)
        # A paused throttle holds the next attempt itself: waiting here too would wait twice.
        return 0.0 if delay is not None and pause else delay

    def _allowed(self, delay: float | None, not_after: float | None) -> float | None:
        """`delay` if the deadline leaves time for it and the retry budget has a token."""
        if delay is None:
            return None
        if not_after is not None and time.monotonic() + delay >= not_after:
            return None
        if self._retry_budget is not None and not self._retry_budget.record_failure():
            return None
        return delay

    def _interpret_raw(self, response_type: Any) -> Interpret:
        def interpret(raw: httpx.Response, elapsed: datetime.timedelta) -> Response[Any]:
            return read_untyped_response(raw, elapsed, response_type)

        return interpret

    def _interpret(self, operation: OperationSpec, raise_for_status: bool | None) -> Interpret:
        if raise_for_status is None:
            raise_for_status = self._settings.raise_for_status

        def interpret(raw: httpx.Response, elapsed: datetime.timedelta) -> Response[Any]:
            return read_response(operation, raw, elapsed, raise_for_status=raise_for_status)

        return interpret


class ClientCore(_CoreBase):
    """Sends calls over an `httpx.Client`.

    `base_url` may carry a path prefix (`https://host/v1`); with a user-supplied
    `http_client` it may also be empty, to use that client's own `base_url`. A supplied
    `http_client` is never closed here; its timeouts hold unless `timeout` is given.
    `credentials` (one per security scheme) are sent as each operation's security asks;
    `auth` where they are not (see `specloom_runtime.auth.CredentialPicker`). `options`
    are the `ClientOptions`.
    """

    _http_client: httpx.Client

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.Client | None = None,
        auth: httpx.Auth | None = None,
        credentials: Mapping[SecurityScheme, Any] | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        super().__init__(base_url, has_http_client=http_client is not None, options=options)
        self._http_client = http_client or httpx.Client(
            timeout=options.get("timeout", DEFAULT_TIMEOUT)
        )
        self._auth = _picker(credentials, auth, self._base_url, self._http_client)
        self._request_hooks = list(options.get("request_hooks", ()))
        self._response_hooks = list(options.get("response_hooks", ()))
        self._in_flight = (
            threading.BoundedSemaphore(self._max_in_flight) if self._max_in_flight else None
        )

    def with_options(self, **options: Unpack[CallOptions]) -> Self:
        """A core sharing this one's connections, limits, budget and hooks, with `options`
        changed. Closing it leaves the connections open."""
        return self._derived(options)

    def send(
        self,
        operation: OperationSpec,
        args: Mapping[str, Any],
        body: Any = None,
        *,
        raise_for_status: bool | None = None,
    ) -> Response[Any]:
        """Send `operation` with `args` (by Python name; None is not sent) and `body`.

        Returns the success `Response`, and raises a `SpecloomError` for anything else; a
        declared error status comes back as a `Response` too when `raise_for_status` is
        off (by default, the client's setting).
        """
        request = self._build(operation, args, body)
        interpret = self._interpret(operation, raise_for_status)
        return self._send(operation.name, request, interpret, self._auth.for_operation(operation))

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]:
        """Send a request the spec does not describe, with everything a call gets.

        `path` is appended to the base URL. A 2xx body is parsed as `response_type` (JSON
        or text when None); any other status raises `UnexpectedStatusError`. The limit id
        is `"request"`.
        """
        request = self._build_raw(method, path, params, json, content, headers)
        interpret = self._interpret_raw(response_type)
        return self._send(RAW_REQUEST_NAME, request, interpret, self._auth.for_other_requests())

    @contextmanager
    def stream(
        self, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
    ) -> Iterator[httpx.Response]:
        """Send `operation` like `send`, but yield the success response unread, for its body
        to be streamed (`specloom_runtime.streaming`); any other status raises as in `send`.

        Headers, timeouts, rate limits, `max_in_flight` (held while the stream is open) and
        hooks apply; a stream is never retried.
        """
        request = self._build(operation, args, body)
        deadline = self._settings.deadline
        not_after = None if deadline is None else time.monotonic() + deadline
        if self._throttle.active:
            self._take_turn(operation.name, not_after)
        with self._in_flight or nullcontext():
            if self._request_hooks:
                request = run_hooks(self._request_hooks, request)
            start = time.perf_counter()
            try:
                raw = send_keeping_credentials_home(
                    self._http_client, request, self._auth.for_operation(operation)
                )
            except httpx.RequestError as exc:
                raise wrap_transport_error(operation.name, request, exc) from exc
            except AuthError as exc:
                if exc.operation_name:
                    raise
                raise AuthError(str(exc), operation_name=operation.name) from exc
            try:
                if self._response_hooks:
                    raw = run_hooks(self._response_hooks, raw)
                if not raw.is_success:
                    try:
                        read_body(raw, self._settings.max_response_size, None)
                    except BodyTooLarge as exc:
                        raise ResponseTooLarge(operation.name, raw, exc.max_size) from None
                    read_response(operation, raw, _since(start))
                yield raw
            finally:
                raw.close()

    def close(self) -> None:
        """Close the httpx client, if this core created it."""
        if self._owns_http_client:
            self._http_client.close()

    def _send(
        self, name: str, request: httpx.Request, interpret: Interpret, auth: AuthChoice
    ) -> Response[Any]:
        deadline = self._settings.deadline
        not_after = None if deadline is None else time.monotonic() + deadline
        attempt = 0
        while True:
            attempt += 1
            try:
                raw, elapsed = self._attempt(name, request, not_after, auth)
            except httpx.RequestError as exc:
                delay = self._delay_after_error(attempt, request, exc, not_after)
                if delay is None:
                    raise _counted(wrap_transport_error(name, request, exc), attempt) from exc
            except AuthError as exc:
                exc.attempts = attempt
                if exc.operation_name:
                    raise
                # A token request of the auth flow failed: the message names the call too.
                raise _counted(AuthError(str(exc), operation_name=name), attempt) from exc
            except SpecloomError as exc:
                exc.attempts = attempt
                raise
            else:
                delay = self._delay_after_response(name, attempt, request, raw, not_after)
                if delay is None:
                    try:
                        return interpret(raw, elapsed)
                    except SpecloomError as exc:
                        exc.attempts = attempt
                        raise
            if delay:
                time.sleep(delay)

    def _take_turn(self, name: str, not_after: float | None) -> None:
        ticket, wait = self._reserve(name)
        try:
            while wait > 0:
                self._check_wait(name, wait, not_after)
                time.sleep(wait)
                wait = self._throttle.ready(ticket)
        except BaseException:
            self._throttle.cancel(ticket)
            raise

    def _attempt(
        self, name: str, request: httpx.Request, not_after: float | None, auth: AuthChoice
    ) -> tuple[httpx.Response, datetime.timedelta]:
        if self._throttle.active:
            self._take_turn(name, not_after)
        if self._in_flight is None:
            return self._exchange(name, request, not_after, auth)
        with self._in_flight:
            return self._exchange(name, request, not_after, auth)

    def _exchange(
        self, name: str, request: httpx.Request, not_after: float | None, auth: AuthChoice
    ) -> tuple[httpx.Response, datetime.timedelta]:
        if self._request_hooks:
            request = run_hooks(self._request_hooks, request)
        attempt_not_after = self._attempt_not_after(not_after)
        if attempt_not_after is not None:
            _limit_timeouts(request, attempt_not_after)
        start = time.perf_counter()
        raw = send_keeping_credentials_home(self._http_client, request, auth)
        try:
            read_body(raw, self._settings.max_response_size, attempt_not_after)
        except BodyTooLarge as exc:
            raise ResponseTooLarge(name, raw, exc.max_size) from None
        if self._response_hooks:
            raw = run_hooks(self._response_hooks, raw)
        return raw, _since(start)


class AsyncClientCore(_CoreBase):
    """Sends calls over an `httpx.AsyncClient`; otherwise the same as `ClientCore`.

    Hooks may be sync or async; waits are task sleeps, never blocking the event loop.
    """

    _http_client: httpx.AsyncClient

    def __init__(
        self,
        base_url: str,
        *,
        http_client: httpx.AsyncClient | None = None,
        auth: httpx.Auth | None = None,
        credentials: Mapping[SecurityScheme, Any] | None = None,
        **options: Unpack[AsyncClientOptions],
    ) -> None:
        super().__init__(base_url, has_http_client=http_client is not None, options=options)
        self._http_client = http_client or httpx.AsyncClient(
            timeout=options.get("timeout", DEFAULT_TIMEOUT)
        )
        self._auth = _picker(credentials, auth, self._base_url, self._http_client)
        self._request_hooks = list(options.get("request_hooks", ()))
        self._response_hooks = list(options.get("response_hooks", ()))
        self._in_flight = anyio.Semaphore(self._max_in_flight) if self._max_in_flight else None

    def with_options(self, **options: Unpack[CallOptions]) -> Self:
        """A core sharing this one's connections, limits, budget and hooks, with `options`
        changed. Closing it leaves the connections open."""
        return self._derived(options)

    async def send(
        self,
        operation: OperationSpec,
        args: Mapping[str, Any],
        body: Any = None,
        *,
        raise_for_status: bool | None = None,
    ) -> Response[Any]:
        """Like `ClientCore.send`."""
        request = self._build(operation, args, body)
        interpret = self._interpret(operation, raise_for_status)
        return await self._send(
            operation.name, request, interpret, self._auth.for_operation(operation)
        )

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]:
        """Like `ClientCore.request`."""
        request = self._build_raw(method, path, params, json, content, headers)
        interpret = self._interpret_raw(response_type)
        return await self._send(
            RAW_REQUEST_NAME, request, interpret, self._auth.for_other_requests()
        )

    @asynccontextmanager
    async def stream(
        self, operation: OperationSpec, args: Mapping[str, Any], body: Any = None
    ) -> AsyncIterator[httpx.Response]:
        """Like `ClientCore.stream`."""
        request = self._build(operation, args, body)
        deadline = self._settings.deadline
        not_after = None if deadline is None else time.monotonic() + deadline
        if self._throttle.active:
            await self._take_turn(operation.name, not_after)
        async with self._in_flight or nullcontext():
            if self._request_hooks:
                request = await arun_hooks(self._request_hooks, request)
            start = time.perf_counter()
            try:
                raw = await send_keeping_credentials_home_async(
                    self._http_client, request, self._auth.for_operation(operation)
                )
            except httpx.RequestError as exc:
                raise wrap_transport_error(operation.name, request, exc) from exc
            except AuthError as exc:
                if exc.operation_name:
                    raise
                raise AuthError(str(exc), operation_name=operation.name) from exc
            try:
                if self._response_hooks:
                    raw = await arun_hooks(self._response_hooks, raw)
                if not raw.is_success:
                    try:
                        await aread_body(raw, self._settings.max_response_size)
                    except BodyTooLarge as exc:
                        raise ResponseTooLarge(operation.name, raw, exc.max_size) from None
                    read_response(operation, raw, _since(start))
                yield raw
            finally:
                await raw.aclose()

    async def aclose(self) -> None:
        """Close the httpx client, if this core created it."""
        if self._owns_http_client:
            await self._http_client.aclose()

    async def _send(
        self, name: str, request: httpx.Request, interpret: Interpret, auth: AuthChoice
    ) -> Response[Any]:
        deadline = self._settings.deadline
        not_after = None if deadline is None else time.monotonic() + deadline
        attempt = 0
        while True:
            attempt += 1
            try:
                raw, elapsed = await self._attempt(name, request, not_after, auth)
            except httpx.RequestError as exc:
                delay = self._delay_after_error(attempt, request, exc, not_after)
                if delay is None:
                    raise _counted(wrap_transport_error(name, request, exc), attempt) from exc
            except AuthError as exc:
                exc.attempts = attempt
                if exc.operation_name:
                    raise
                # A token request of the auth flow failed: the message names the call too.
                raise _counted(AuthError(str(exc), operation_name=name), attempt) from exc
            except SpecloomError as exc:
                exc.attempts = attempt
                raise
            else:
                delay = self._delay_after_response(name, attempt, request, raw, not_after)
                if delay is None:
                    try:
                        return interpret(raw, elapsed)
                    except SpecloomError as exc:
                        exc.attempts = attempt
                        raise
            if delay:
                await anyio.sleep(delay)

    async def _take_turn(self, name: str, not_after: float | None) -> None:
        ticket, wait = self._reserve(name)
        try:
            while wait > 0:
                self._check_wait(name, wait, not_after)
                await anyio.sleep(wait)
                wait = self._throttle.ready(ticket)
        except BaseException:
            self._throttle.cancel(ticket)
            raise

    async def _attempt(
        self, name: str, request: httpx.Request, not_after: float | None, auth: AuthChoice
    ) -> tuple[httpx.Response, datetime.timedelta]:
        if self._throttle.active:
            await self._take_turn(name, not_after)
        if self._in_flight is None:
            return await self._attempt_in_time(name, request, not_after, auth)
        async with self._in_flight:
            return await self._attempt_in_time(name, request, not_after, auth)

    async def _attempt_in_time(
        self, name: str, request: httpx.Request, not_after: float | None, auth: AuthChoice
    ) -> tuple[httpx.Response, datetime.timedelta]:
        if self._request_hooks:
            request = await arun_hooks(self._request_hooks, request)
        attempt_not_after = self._attempt_not_after(not_after)
        if attempt_not_after is None:
            return await self._exchange(name, request, auth)
        try:
            with anyio.fail_after(max(attempt_not_after - time.monotonic(), 0)):
                return await self._exchange(name, request, auth)
        except TimeoutError as exc:
            raise httpx.ReadTimeout(
                "the response took longer than allowed", request=request
            ) from exc

    async def _exchange(
        self, name: str, request: httpx.Request, auth: AuthChoice
    ) -> tuple[httpx.Response, datetime.timedelta]:
        start = time.perf_counter()
        raw = await send_keeping_credentials_home_async(self._http_client, request, auth)
        try:
            await aread_body(raw, self._settings.max_response_size)
        except BodyTooLarge as exc:
            raise ResponseTooLarge(name, raw, exc.max_size) from None
        if self._response_hooks:
            raw = await arun_hooks(self._response_hooks, raw)
        return raw, _since(start)


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
    plan = plan_for(operation)
    request_headers = dict(headers) if headers else {}
    if operation.headers:
        request_headers.update(operation.headers)
    if plan.accept:
        request_headers["Accept"] = plan.accept
    for spec in plan.headers:
        value = args.get(spec.name)
        if value is not None:
            request_headers[spec.wire_name] = encode_header(spec, value)
    if plan.cookies:
        cookies = [
            pair
            for spec in plan.cookies
            if (value := args.get(spec.name)) is not None
            for pair in encode_cookie(spec, value)
        ]
        if cookies:
            request_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies)
    encoded = _NO_BODY
    if operation.body is not None and body is not None:
        encoded = encode_body(operation.body, body)
        if encoded.content_type is not None:
            request_headers["Content-Type"] = encoded.content_type
    query = [*operation.query, *_query_pairs(plan, args)]
    path = operation.path if plan.path is None else plan.path.expand(args)
    return http_client.build_request(
        operation.method,
        base_url + path,
        params=tuple(query) if query else None,
        headers=request_headers,
        content=encoded.content,
        files=encoded.files,
    )


def _query_pairs(plan: OperationPlan, args: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The query's pairs. An exploded `form` object's fields are pairs of their own, which
    a server gives to every exploded object that can take them: a field that another such
    parameter declares too (ec2's `Description` and `SourceDestCheck`, both `{Value}`), or
    a key of a map beside another map (sqs's `Attribute` and `Tag`), would reach both, so
    it is refused, as is a field named like another query parameter (`encode_query`)."""
    pairs: list[tuple[str, str]] = []
    for spec in plan.query:
        value = args.get(spec.name)
        if value is None:
            continue
        encoded = encode_query(spec, value, plan.query_names)
        if plan.field_owners or len(plan.open_maps) > 1:
            _check_own_pairs(plan, spec, encoded)
        pairs += encoded
    return pairs


def _check_own_pairs(plan: OperationPlan, spec: ParamSpec, encoded: list[tuple[str, str]]) -> None:
    if spec.effective_style != "form" or not spec.effective_explode:
        return  # every pair carries the parameter's name
    for key, _ in encoded:
        if key == spec.wire_name:
            continue
        others = [name for name in plan.field_owners.get(key, ()) if name != spec.name]
        if not others and spec.name in plan.open_maps:
            others = [name for name in plan.open_maps if name != spec.name]
        if others:
            what = "key" if spec.name in plan.open_maps else "field"
            raise ParameterValueError(
                f"parameter {spec.name!r} (query {spec.wire_name!r}): its {what} {key!r} is "
                f"sent as its own pair (style form, explode true), which the server would "
                f"also give to {', '.join(repr(name) for name in others)}; leave it unset"
            )


def accept_header(operation: OperationSpec) -> str:
    """The declared response media types, for `Accept`; empty when no response has a body."""
    return plan_for(operation).accept


def read_response(
    operation: OperationSpec,
    raw: httpx.Response,
    elapsed: datetime.timedelta,
    *,
    raise_for_status: bool = True,
) -> Response[Any]:
    """The success `Response` of `operation`, or the `SpecloomError` its status calls for.

    `elapsed` is how long sending and reading took. Without `raise_for_status`, a declared
    error status whose body matches comes back as a `Response` too.
    """
    declared = plan_for(operation).response_for(raw.status_code)
    if declared is None:
        raise UnexpectedStatusError(
            operation.name, Response(raw.status_code, decode_untyped_body(raw), raw, elapsed)
        )
    try:
        annotation, content_type = declared.media_for(raw.headers.get("content-type"))
        data = decode_body(annotation, raw, content_type, declared.xml)
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
    if declared.is_success or not raise_for_status:
        return response
    raise DeclaredStatusError(operation.name, response)


def read_untyped_response(
    raw: httpx.Response, elapsed: datetime.timedelta, response_type: Any = None
) -> Response[Any]:
    """The `Response` of a call made with `request(...)`: a 2xx body parsed as
    `response_type` (JSON or text when None); any other status raises."""
    if not 200 <= raw.status_code < 300:
        raise UnexpectedStatusError(
            RAW_REQUEST_NAME, Response(raw.status_code, decode_untyped_body(raw), raw, elapsed)
        )
    if response_type is None:
        return Response(raw.status_code, decode_untyped_body(raw), raw, elapsed)
    try:
        data = decode_body(response_type, raw)
    except ValidationError as exc:
        raise ResponseValidationError(
            RAW_REQUEST_NAME,
            Response(raw.status_code, decode_untyped_body(raw), raw, elapsed),
            exc.errors(include_url=False),
            expected=response_type,
        ) from exc
    return Response(raw.status_code, data, raw, elapsed)


def wrap_transport_error(
    operation_name: str, request: httpx.Request, error: httpx.RequestError
) -> TransportError:
    """The `TransportError` (a `RequestTimeout` for timeouts) for an httpx request error."""
    reason = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        return RequestTimeout(operation_name, request, reason)
    return TransportError(operation_name, request, reason)


def _limit_timeouts(request: httpx.Request, not_after: float) -> None:
    """Shorten the request's httpx timeouts so that none reaches past `not_after`."""
    remaining = max(not_after - time.monotonic(), 0.001)
    timeouts = request.extensions.get("timeout") or dict.fromkeys(
        ("connect", "read", "write", "pool")
    )
    request.extensions["timeout"] = {
        phase: remaining if value is None else min(value, remaining)
        for phase, value in timeouts.items()
    }


_QUOTA_HEADERS = (b"ratelimit", b"x-ratelimit")


def _has_quota(raw: httpx.Response) -> bool:
    """Whether the response has rate-limit headers (`RateLimit*`, `X-RateLimit-*`)."""
    return any(name.lower().startswith(_QUOTA_HEADERS) for name, _ in raw.headers.raw)


def _counted(error: SpecloomError, attempts: int) -> SpecloomError:
    error.attempts = attempts
    return error


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"


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
