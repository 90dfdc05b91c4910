"""`RetryPolicy`: when a failed attempt is tried again, and how long to wait first.

A policy is an immutable value; the client's send loop asks it, after each attempt, for the
delay before the next one (or None: give up). It retries connection errors, timeouts and
the statuses in `retry_statuses`, only for requests that are safe to repeat.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Collection
from dataclasses import dataclass, field

import httpx

__all__ = [
    "DEFAULT_RETRY_STATUSES",
    "IDEMPOTENT_METHODS",
    "RetryPolicy",
    "server_delay",
]

DEFAULT_RETRY_STATUSES: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})
IDEMPOTENT_METHODS: frozenset[str] = frozenset(
    {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "QUERY", "TRACE"}
)

# Failures that happen before any byte of the request left: repeating cannot do harm.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_HTTP_DATE_MIN_LENGTH = 10


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries a failed attempt.

    - `max_attempts`: attempts in all, the first included (1 means no retry).
    - `backoff`: the wait before the second attempt in seconds, doubled for each further one.
    - `max_delay`: the longest wait, also for a server's `Retry-After`.
    - `jitter`: the random share of each backoff wait (0 none, 1 anywhere from 0 to it).
    - `retry_statuses`: the response statuses worth another attempt.
    - `idempotency_header`: a request carrying this header may be repeated whatever its
      method; with `add_idempotency_key`, the client attaches one (a random UUID, the same
      on every attempt) to requests whose method is not idempotent.

    Requests are retried only when repeating them is safe: an idempotent method (GET, HEAD,
    OPTIONS, PUT, DELETE, QUERY, TRACE), an idempotency key, or a failure before anything
    was sent (connection refused, connect timeout).
    """

    max_attempts: int = 3
    backoff: float = 0.5
    max_delay: float = 30.0
    jitter: float = 0.25
    retry_statuses: Collection[int] = field(default=DEFAULT_RETRY_STATUSES)
    idempotency_header: str = "Idempotency-Key"
    add_idempotency_key: bool = False

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {self.max_attempts}")
        if self.backoff < 0 or self.max_delay < 0:
            raise ValueError("backoff and max_delay must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter must be between 0 and 1, not {self.jitter}")
        object.__setattr__(self, "retry_statuses", frozenset(self.retry_statuses))

    def may_repeat(self, request: httpx.Request) -> bool:
        """Whether `request` may be sent again after it reached the server."""
        return request.method in IDEMPOTENT_METHODS or self.idempotency_header in request.headers

    def delay_after_status(
        self, attempt: int, request: httpx.Request, response: httpx.Response
    ) -> float | None:
        """The wait before attempt `attempt + 1` after `response`, or None to stop."""
        if (
            attempt >= self.max_attempts
            or response.status_code not in self.retry_statuses
            or not self.may_repeat(request)
        ):
            return None
        suggested = server_delay(response.headers)
        if suggested is not None:
            return min(suggested, self.max_delay)
        return self.backoff_delay(attempt)

    def delay_after_error(
        self, attempt: int, request: httpx.Request, error: httpx.RequestError
    ) -> float | None:
        """The wait before attempt `attempt + 1` after a transport error, or None to stop."""
        if attempt >= self.max_attempts or not isinstance(
            error, (httpx.TransportError, httpx.TimeoutException)
        ):
            return None
        if isinstance(error, _NOT_SENT) or self.may_repeat(request):
            return self.backoff_delay(attempt)
        return None

    def backoff_delay(self, attempt: int) -> float:
        """The exponential wait after attempt `attempt` (1-based), with jitter, capped."""
        delay = min(self.backoff * 2.0 ** (attempt - 1), self.max_delay)
        return delay * (1 - self.jitter * random.random())


def server_delay(headers: httpx.Headers) -> float | None:
    """The wait a response asks for: `retry-after-ms`, else `Retry-After` (seconds or an
    HTTP date); None when it asks for none or the value cannot be read."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    if len(value) < _HTTP_DATE_MIN_LENGTH:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
