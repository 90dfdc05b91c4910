"""`TokenAuth`: a bearer token obtained from a token endpoint, cached, renewed shortly
before it expires and once on a 401, one renewal at a time.

Subclasses say how a token is obtained (`_obtain`), as a generator of steps: a request to
send (through the same httpx client as the API call, so its transport, proxies and TLS
settings apply) or a `Wait`. The sync and async flows drive the same steps; the lock that
makes renewal single-flight is a thread lock for one and a per-event-loop asyncio lock
for the other, so a hundred concurrent calls across an expiry cause one token request.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import AsyncGenerator, Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

import httpx

from ..errors import AuthError
from ..security import SecurityScheme

if TYPE_CHECKING:
    import asyncio

REFRESH_MARGIN = 30.0
"""Seconds before expiry at which a token is renewed; at most half the token's lifetime."""


def _now() -> float:
    """The clock token lifetimes are measured with (monotonic)."""
    return time.monotonic()


@dataclass(frozen=True)
class Wait:
    """A step of obtaining a token: wait this many seconds (device-flow polling)."""

    seconds: float


Step: TypeAlias = httpx.Request | Wait
TokenSteps = Generator[Step, httpx.Response | None, "Token"]
"""How a token is obtained: yields steps, receives the response of each request."""


@dataclass(frozen=True)
class Token:
    """An access token and when to renew it. Its secrets stay out of `repr`."""

    access_token: str = field(repr=False)
    expires_at: float | None = None
    """The clock's time at expiry (`time.monotonic()`); None when the server gave no
    lifetime."""
    lifetime: float | None = None
    refresh_token: str | None = field(default=None, repr=False)
    scope: str | None = None

    @property
    def is_fresh(self) -> bool:
        """Whether the token can still be used without renewing it."""
        if self.expires_at is None or self.lifetime is None:
            return True
        margin = min(REFRESH_MARGIN, self.lifetime / 2)
        return _now() < self.expires_at - margin

    @classmethod
    def from_response(cls, response: httpx.Response, what: str) -> Token:
        """The token of a successful token response; AuthError for anything else."""
        payload = _json_object(response)
        if response.status_code != 200 or not isinstance(payload.get("access_token"), str):
            raise AuthError(f"{what} failed: {describe_token_error(response, payload)}")
        token_type = payload.get("token_type", "bearer")
        if not isinstance(token_type, str) or token_type.lower() != "bearer":
            raise AuthError(f"{what} returned a {token_type!r} token; only bearer is supported")
        lifetime = payload.get("expires_in")
        if isinstance(lifetime, str) and lifetime.isdigit():
            lifetime = int(lifetime)
        if not isinstance(lifetime, int | float) or isinstance(lifetime, bool) or lifetime <= 0:
            lifetime = None
        refresh = payload.get("refresh_token")
        scope = payload.get("scope")
        return cls(
            access_token=payload["access_token"],
            expires_at=None if lifetime is None else _now() + lifetime,
            lifetime=lifetime,
            refresh_token=refresh if isinstance(refresh, str) else None,
            scope=scope if isinstance(scope, str) else None,
        )


def describe_token_error(response: httpx.Response, payload: dict[str, Any]) -> str:
    """`400 Bad Request: invalid_client (the description)`: the OAuth error fields only,
    never the body as a whole (it might echo secrets)."""
    status = f"{response.status_code} {response.reason_phrase}".rstrip()
    error = payload.get("error")
    if not isinstance(error, str):
        return f"{status} from {_url_without_query(response.request.url)}"
    description = payload.get("error_description")
    detail = f" ({description})" if isinstance(description, str) and description else ""
    return f"{status}: {error}{detail}"


def _url_without_query(url: httpx.URL) -> str:
    return str(url.copy_with(query=None, fragment=None, username=None, password=None))


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


class TokenAuth(httpx.Auth):
    """Base of the OAuth2 and OpenID Connect auths: a cached bearer token, renewed before
    expiry and once on a 401."""

    # The flows below read token responses themselves; API responses are left unread, so
    # streaming them still works.

    def __init__(self) -> None:
        self._token: Token | None = None
        self._thread_lock = threading.Lock()
        self._registry_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock]
        self._loop_locks = weakref.WeakKeyDictionary()
        self._base_url: httpx.URL | None = None

    def _obtain(self, request: httpx.Request) -> TokenSteps:
        """A new token. `request` is the API request it is for (relative URLs resolve
        against it when no base URL is known)."""
        raise NotImplementedError

    def adopt_scheme(self, scheme: SecurityScheme, base_url: httpx.URL) -> None:
        """Take the URLs the spec declares for `scheme` where none was given; relative ones
        are resolved against `base_url` (the API client's; when it is not absolute, against
        each request's URL)."""
        self._base_url = base_url if base_url.is_absolute_url else None

    def _url(self, url: str, request: httpx.Request) -> httpx.URL:
        """`url` made absolute: against the API client's base URL, else the request's."""
        base = self._base_url if self._base_url is not None else request.url
        if not str(base.path).endswith("/"):
            base = base.copy_with(path=str(base.path) + "/")
        return base.join(url)

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self._usable()
        if token is None:
            with self._thread_lock:
                token = self._usable()
                if token is None:
                    token = yield from self._run_sync(request)
        response = yield _authorized(request, token)
        if response.status_code != 401:
            return
        with self._thread_lock:
            # Renewed already by another caller since this one's token was sent: use that.
            if self._token is token or self._token is None:
                self._token = None
                token = yield from self._run_sync(request)
            else:
                token = self._token
        yield _authorized(request, token)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = self._usable()
        if token is None:
            async with self._loop_lock():
                token = self._usable()
                if token is None:
                    steps = self._run_async(request)
                    with contextlib.suppress(StopAsyncIteration):
                        step = await steps.__anext__()
                        while True:
                            step = await steps.asend((yield step))
                    token = self._required_token()
        response = yield _authorized(request, token)
        if response.status_code != 401:
            return
        async with self._loop_lock():
            if self._token is token or self._token is None:
                self._token = None
                steps = self._run_async(request)
                with contextlib.suppress(StopAsyncIteration):
                    step = await steps.__anext__()
                    while True:
                        step = await steps.asend((yield step))
            token = self._required_token()
        yield _authorized(request, token)

    def _usable(self) -> Token | None:
        token = self._token
        return token if token is not None and token.is_fresh else None

    def _required_token(self) -> Token:
        if self._token is None:  # pragma: no cover - _run_async always stores one or raises
            raise AuthError("no token was obtained")
        return self._token

    def _run_sync(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, Token]:
        steps = self._obtain(request)
        reply: httpx.Response | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, Wait):
                    time.sleep(step.seconds)
                    reply = None
                else:
                    reply = yield step
                    reply.read()
        except StopIteration as done:
            token: Token = done.value
        self._token = token
        return token

    async def _run_async(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Yields the requests to send; stores the token obtained."""
        steps = self._obtain(request)
        reply: httpx.Response | None = None
        try:
            while True:
                step = steps.send(reply)
                if isinstance(step, Wait):
                    import asyncio  # see _loop_lock

                    await asyncio.sleep(step.seconds)
                    reply = None
                else:
                    reply = yield step
                    await reply.aread()
        except StopIteration as done:
            self._token = done.value

    def _loop_lock(self) -> asyncio.Lock:
        # asyncio takes tens of milliseconds to import: only async renewals import it.
        import asyncio

        loop = asyncio.get_running_loop()
        with self._registry_lock:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
        return lock


def _authorized(request: httpx.Request, token: Token) -> httpx.Request:
    request.headers["Authorization"] = f"Bearer {token.access_token}"
    return request
