"""Credentials that need no I/O: an API key, a bearer token, a username and password.

Each is an `httpx.Auth` that sets its credential on the request (`apply`), so several can
be applied to one request when an operation asks for more than one scheme at once.

An API key in the query is part of the URL, which httpx logs (`HTTP Request: GET ...` at
INFO level): the `httpx` logger gets a filter that masks the values of the query
parameters holding API keys.
"""

from __future__ import annotations

import base64
import logging
import threading
import urllib.parse
from collections.abc import Callable, Generator
from typing import TypeAlias

import httpx

from ..security import ApiKeyLocation

SecretValue: TypeAlias = str | Callable[[], str]
"""A secret, or a function returning it (called for every request, e.g. to read it from a
vault or the environment)."""


def _reveal(value: SecretValue) -> str:
    return value() if callable(value) else value


class StaticAuth(httpx.Auth):
    """An auth that only changes the request."""

    def apply(self, request: httpx.Request) -> None:
        raise NotImplementedError

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply(request)
        yield request


class ApiKey(StaticAuth):
    """An API key in a header, a query parameter or a cookie.

    A key in the query is masked (`name=***`) in the URLs httpx logs. A request that
    already carries a value under the key's name, in the key's place, keeps it and gets no
    second one: specs often declare the key as an operation parameter too (currencytick's
    `apikey`), and the value a call passes for it is the one it means.
    """

    def __init__(self, key: SecretValue, *, name: str, location: ApiKeyLocation) -> None:
        self._key = key
        self.name = name
        self.location = location
        if location == "query":
            mask_query_parameter(name)

    def apply(self, request: httpx.Request) -> None:
        if self.location == "header":
            if self.name not in request.headers:
                request.headers[self.name] = _reveal(self._key)
        elif self.location == "query":
            if self.name not in request.url.params:
                request.url = request.url.copy_add_param(self.name, _reveal(self._key))
        else:
            existing = request.headers.get("Cookie")
            if existing is None:
                request.headers["Cookie"] = f"{self.name}={_reveal(self._key)}"
            elif self.name not in _cookie_names(existing):
                request.headers["Cookie"] = f"{existing}; {self.name}={_reveal(self._key)}"

    def __repr__(self) -> str:
        return f"ApiKey(name={self.name!r}, location={self.location!r})"


def _cookie_names(header: str) -> set[str]:
    """The names of the cookies in a `Cookie` header (`a=1; b=2`)."""
    return {pair.split("=", 1)[0].strip() for pair in header.split(";")}


class BearerToken(StaticAuth):
    """`Authorization: Bearer <token>`."""

    def __init__(self, token: SecretValue) -> None:
        self._token = token

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {_reveal(self._token)}"

    def __repr__(self) -> str:
        return "BearerToken()"


class Basic(StaticAuth):
    """`Authorization: Basic ...` from a username and password."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password

    def apply(self, request: httpx.Request) -> None:
        pair = f"{self.username}:{self._password}".encode()
        request.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")

    def __repr__(self) -> str:
        return f"Basic(username={self.username!r})"


MASK = "***"
"""What a masked query value reads as in the logs."""


class _QueryKeyMask(logging.Filter):
    """Masks the values of the query parameters named in `names` in every URL argument of
    a log record (httpx logs `request.url`, an `httpx.URL`)."""

    def __init__(self) -> None:
        super().__init__("")
        self.names: frozenset[str] = frozenset()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.names and isinstance(record.args, tuple):
            record.args = tuple(
                self.masked(arg) if isinstance(arg, httpx.URL) else arg for arg in record.args
            )
        return True

    def masked(self, url: httpx.URL) -> httpx.URL:
        if not url.query:
            return url
        parts = url.query.split(b"&")
        for index, part in enumerate(parts):
            name, equals, _ = part.partition(b"=")
            if equals and urllib.parse.unquote_plus(name.decode("ascii", "replace")) in self.names:
                parts[index] = name + b"=" + MASK.encode()
        return url.copy_with(query=b"&".join(parts))


_mask = _QueryKeyMask()
_mask_lock = threading.Lock()


def mask_query_parameter(name: str) -> None:
    """Mask the values of query parameter `name` in the URLs the `httpx` logger logs."""
    with _mask_lock:
        if name in _mask.names:
            return
        _mask.names = _mask.names | {name}
        logger = logging.getLogger("httpx")
        if _mask not in logger.filters:
            logger.addFilter(_mask)
