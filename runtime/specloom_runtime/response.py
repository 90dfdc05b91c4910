"""`Response`: the decoded body of an HTTP response, with its status and the raw response."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Generic, TypeVar

import httpx

__all__ = ["Response"]

T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Response(Generic[T_co]):
    """What an operation answered: `data` is the body, parsed to its declared type."""

    status_code: int
    data: T_co
    """The body parsed to the type the spec declares for this status; None when it has none."""
    raw: httpx.Response
    """The underlying httpx response (request, URL, content, ...)."""
    elapsed: datetime.timedelta
    """Time from sending the request to reading the whole response."""

    @property
    def url(self) -> httpx.URL:
        """The URL of the request that got this response."""
        return self.raw.url

    @property
    def headers(self) -> httpx.Headers:
        """The response headers (case-insensitive)."""
        return self.raw.headers

    @property
    def is_success(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    @property
    def is_client_error(self) -> bool:
        """Whether the status is 4xx."""
        return 400 <= self.status_code < 500

    @property
    def is_server_error(self) -> bool:
        """Whether the status is 5xx."""
        return 500 <= self.status_code < 600
