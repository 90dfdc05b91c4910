"""Credentials that need no I/O: an API key, a bearer token, a username and password.

Each is an `httpx.Auth` that sets its credential on the request (`apply`), so several can
be applied to one request when an operation asks for more than one scheme at once.
"""

from __future__ import annotations

import base64
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
    """An API key in a header, a query parameter or a cookie."""

    def __init__(self, key: SecretValue, *, name: str, location: ApiKeyLocation) -> None:
        self._key = key
        self.name = name
        self.location = location

    def apply(self, request: httpx.Request) -> None:
        key = _reveal(self._key)
        if self.location == "header":
            request.headers[self.name] = key
        elif self.location == "query":
            request.url = request.url.copy_add_param(self.name, key)
        else:
            cookie = f"{self.name}={key}"
            existing = request.headers.get("Cookie")
            request.headers["Cookie"] = f"{existing}; {cookie}" if existing else cookie

    def __repr__(self) -> str:
        return f"ApiKey(name={self.name!r}, location={self.location!r})"


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
