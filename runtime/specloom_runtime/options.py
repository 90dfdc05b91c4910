"""The options of a generated client, as keyword arguments and as resolved settings.

`Client(**ClientOptions)` and `AsyncClient(**AsyncClientOptions)` take them at
construction; `client.with_options(**CallOptions)` changes the per-call ones for a client
that shares the same connections, limits and hooks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from typing_extensions import TypedDict

from .hooks import AsyncRequestHook, AsyncResponseHook, RequestHook, ResponseHook
from .retry import RetryPolicy
from .retry_budget import RetryBudget
from .throttle import RateLimit

__all__ = [
    "AsyncClientOptions",
    "CallOptions",
    "CallSettings",
    "ClientOptions",
]

DEFAULT_TIMEOUT = 30.0
"""Seconds, for each of connect, write, pool and read, when the client makes its httpx client."""
DEFAULT_MAX_RESPONSE_SIZE = 100 * 1024 * 1024
"""Bytes (100 MiB)."""

Timeout = float | httpx.Timeout | None


class CallOptions(TypedDict, total=False):
    """What `with_options` can change, per client or per call.

    - `timeout`: seconds (or an `httpx.Timeout`) for connecting, writing, waiting and
      reading, also with your own `http_client`; a number also bounds each attempt as a
      whole, so a server that trickles its body cannot hold a call forever.
    - `deadline`: seconds for the whole call: every attempt, backoff and rate-limit wait.
    - `retry`: a `RetryPolicy`, or None for a single attempt.
    - `headers`: sent with every request, over the client's own.
    - `raise_for_status`: False makes `<op>_with_response` return a declared error status
      as a `Response` (its body parsed to the declared model) instead of raising.
    - `max_response_size`: the largest body accepted, in bytes (None: no limit).
    - `rate_limit_weight`: the weight of the call on its own rate limit.
    """

    timeout: Timeout
    deadline: float | None
    retry: RetryPolicy | None
    headers: Mapping[str, str]
    raise_for_status: bool
    max_response_size: int | None
    rate_limit_weight: int | None


class _SharedOptions(TypedDict, total=False):
    timeout: Timeout
    deadline: float | None
    retry: RetryPolicy | None
    headers: Mapping[str, str]
    raise_for_status: bool
    max_response_size: int | None
    retry_budget: RetryBudget | None
    rate_limits: Sequence[RateLimit]
    max_in_flight: int | None


class ClientOptions(_SharedOptions, total=False):
    """The keyword arguments of a generated `Client`, besides `base_url` and `http_client`.

    Those of `CallOptions` but `rate_limit_weight` (defaults: `timeout` 30 s, or your
    `http_client`'s; no `deadline`; `retry` `RetryPolicy()`; `raise_for_status` True;
    `max_response_size` 100 MiB), and:

    - `retry_budget`: the `RetryBudget` retries draw from (None: unlimited).
    - `rate_limits`: `RateLimit`s, by operation name or `"*"` for every call.
    - `max_in_flight`: the most calls sent at once (None: no limit).
    - `request_hooks`, `response_hooks`: callables run on each attempt.
    """

    request_hooks: Sequence[RequestHook]
    response_hooks: Sequence[ResponseHook]


class AsyncClientOptions(_SharedOptions, total=False):
    """The keyword arguments of a generated `AsyncClient`: those of `ClientOptions`, with
    hooks that may also be async."""

    request_hooks: Sequence[AsyncRequestHook]
    response_hooks: Sequence[AsyncResponseHook]


@dataclass(frozen=True)
class CallSettings:
    """The per-call options in effect, resolved."""

    timeout: httpx.Timeout | None = None
    """None: the httpx client's own."""
    attempt_timeout: float | None = None
    """The most one attempt may take as a whole (set when `timeout` is a number)."""
    deadline: float | None = None
    retry: RetryPolicy | None = dataclasses.field(default_factory=RetryPolicy)
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    raise_for_status: bool = True
    max_response_size: int | None = DEFAULT_MAX_RESPONSE_SIZE
    rate_limit_weight: int | None = None

    def updated(self, options: Mapping[str, Any]) -> CallSettings:
        """These settings with the per-call ones of `options` applied (headers are merged)."""
        changes = {name: value for name, value in options.items() if name in _CALL_OPTIONS}
        if "timeout" in changes:
            timeout = changes["timeout"]
            if not isinstance(timeout, httpx.Timeout):
                changes["timeout"] = httpx.Timeout(timeout)
            is_number = isinstance(timeout, (int, float))
            changes["attempt_timeout"] = float(timeout) if is_number else None
        if "headers" in changes:
            changes["headers"] = {**self.headers, **changes["headers"]}
        return dataclasses.replace(self, **changes)


_CALL_OPTIONS = frozenset(CallOptions.__annotations__)
