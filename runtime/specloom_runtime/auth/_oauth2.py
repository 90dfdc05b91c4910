"""OAuth2 token auths: client credentials, refresh token, device authorization."""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

from ..errors import AuthError
from ..security import SecurityScheme
from . import _tokens
from ._store import load_refresh_token, save_refresh_token
from ._tokens import (
    Token,
    TokenAuth,
    TokenSteps,
    Wait,
    _json_object,
    describe_token_error,
)

ClientAuthMethod = Literal["basic", "body"]
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
_SLOW_DOWN_STEP = 5.0


class _OAuth2Client(TokenAuth):
    """What every grant shares: the client's identity, the scopes and the token endpoint."""

    _flow_kinds: tuple[str, ...] = ()
    """The spec's flows whose token URL this grant may use, in order of preference."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str | None,
        scopes: Iterable[str] | None,
        token_url: str | None,
        client_auth: ClientAuthMethod,
    ) -> None:
        super().__init__()
        self.client_id = client_id
        self._client_secret = client_secret
        self.scopes = tuple(scopes or ())
        self.token_url = token_url
        self.client_auth = client_auth

    def adopt_scheme(self, scheme: SecurityScheme, base_url: httpx.URL) -> None:
        super().adopt_scheme(scheme, base_url)
        if self.token_url is None:
            self.token_url = next(
                (
                    flow.token_url
                    for kind in self._flow_kinds
                    if (flow := scheme.flow(kind)) is not None and flow.token_url
                ),
                None,
            )

    def _token_request(self, request: httpx.Request, form: dict[str, str]) -> httpx.Request:
        if not self.token_url:
            raise AuthError(f"{type(self).__name__} has no token_url (the spec declares none)")
        headers = {"Accept": "application/json"}
        form = dict(form)
        if self.scopes and "scope" not in form:
            form["scope"] = " ".join(self.scopes)
        if self._client_secret is not None and self.client_auth == "basic":
            pair = f"{self.client_id}:{self._client_secret}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        else:
            form["client_id"] = self.client_id
            if self._client_secret is not None:
                form["client_secret"] = self._client_secret
        return httpx.Request("POST", self._url(self.token_url, request), data=form, headers=headers)

    def _grant(self, request: httpx.Request, form: dict[str, str], what: str) -> TokenSteps:
        response = yield self._token_request(request, form)
        assert response is not None
        return Token.from_response(response, what)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(client_id={self.client_id!r}, scopes={self.scopes!r})"


class OAuth2ClientCredentials(_OAuth2Client):
    """OAuth2 client credentials: a token for the client itself, renewed as needed.

    `token_url` defaults to the spec's (relative URLs resolve against the client's
    `base_url`); the client authenticates with HTTP basic (`client_auth="body"` sends
    its id and secret in the form instead).
    """

    _flow_kinds = ("clientCredentials",)

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        scopes: Iterable[str] | None = None,
        token_url: str | None = None,
        client_auth: ClientAuthMethod = "basic",
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            token_url=token_url,
            client_auth=client_auth,
        )

    def _obtain(self, request: httpx.Request) -> TokenSteps:
        form = {"grant_type": "client_credentials"}
        return (yield from self._grant(request, form, "client credentials token request"))


class _RefreshingClient(_OAuth2Client):
    """A grant that keeps a refresh token (and, with `token_store`, saves it)."""

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str | None,
        scopes: Iterable[str] | None,
        token_url: str | None,
        client_auth: ClientAuthMethod,
        refresh_token: str | None,
        token_store: str | os.PathLike[str] | None,
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            token_url=token_url,
            client_auth=client_auth,
        )
        self.token_store = Path(token_store).expanduser() if token_store is not None else None
        # A saved refresh token is newer than the one given (the server may have rotated it);
        # the given one stays as a fallback, once, should the server refuse the saved one.
        saved = load_refresh_token(self.token_store) if self.token_store is not None else None
        self._refresh_token = saved or refresh_token
        self._fallback_refresh_token = refresh_token if saved not in (None, refresh_token) else None

    def _refresh(self, request: httpx.Request) -> TokenSteps:
        assert self._refresh_token is not None
        form = {"grant_type": "refresh_token", "refresh_token": self._refresh_token}
        token = yield from self._grant(request, form, "refresh token request")
        self._keep(token)
        return token

    def _keep(self, token: Token) -> None:
        """Remember a new refresh token (servers may rotate it), in the store too."""
        if token.refresh_token and token.refresh_token != self._refresh_token:
            self._refresh_token = token.refresh_token
            if self.token_store is not None:
                save_refresh_token(self.token_store, token.refresh_token)


class OAuth2RefreshToken(_RefreshingClient):
    """OAuth2 refresh token grant: access tokens from a refresh token you already hold.

    A refresh token the server rotates replaces the old one and, with `token_store`, is
    saved to that file (created with mode 0600); the next run starts from the saved one
    (falling back to `refresh_token` if the server refuses it).
    """

    _flow_kinds = ("authorizationCode", "password", "deviceAuthorization", "clientCredentials")

    def __init__(
        self,
        *,
        client_id: str,
        refresh_token: str,
        client_secret: str | None = None,
        scopes: Iterable[str] | None = None,
        token_url: str | None = None,
        client_auth: ClientAuthMethod = "basic",
        token_store: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            token_url=token_url,
            client_auth=client_auth,
            refresh_token=refresh_token,
            token_store=token_store,
        )

    def adopt_scheme(self, scheme: SecurityScheme, base_url: httpx.URL) -> None:
        if self.token_url is None:
            self.token_url = next((f.refresh_url for f in scheme.flows if f.refresh_url), None)
        super().adopt_scheme(scheme, base_url)

    def _obtain(self, request: httpx.Request) -> TokenSteps:
        fallback, self._fallback_refresh_token = self._fallback_refresh_token, None
        try:
            return (yield from self._refresh(request))
        except AuthError:
            if fallback is None:
                raise
        self._refresh_token = fallback  # the saved one was refused: the one given
        return (yield from self._refresh(request))


@dataclass(frozen=True)
class UserCode:
    """What the user must do to approve a device: visit `verification_uri` and enter
    `user_code` (or open `verification_uri_complete`, which holds both)."""

    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    expires_in: float | None


class OAuth2DeviceAuthorization(_RefreshingClient):
    """OAuth2 device authorization (RFC 8628), for command-line tools and devices.

    The first time, `on_user_code` is called with a `UserCode` to show the user, and the
    token endpoint is polled until the user approves. The refresh token is saved to
    `token_store` (a file created with mode 0600) and used on the next run instead of
    asking the user again. URLs default to the spec's `deviceAuthorization` flow.
    """

    _flow_kinds = ("deviceAuthorization",)

    def __init__(
        self,
        *,
        client_id: str,
        on_user_code: Callable[[UserCode], object],
        token_store: str | os.PathLike[str] | None = None,
        client_secret: str | None = None,
        scopes: Iterable[str] | None = None,
        token_url: str | None = None,
        device_authorization_url: str | None = None,
        client_auth: ClientAuthMethod = "basic",
    ) -> None:
        super().__init__(
            client_id=client_id,
            client_secret=client_secret,
            scopes=scopes,
            token_url=token_url,
            client_auth=client_auth,
            refresh_token=None,
            token_store=token_store,
        )
        self.on_user_code = on_user_code
        self.device_authorization_url = device_authorization_url

    def adopt_scheme(self, scheme: SecurityScheme, base_url: httpx.URL) -> None:
        super().adopt_scheme(scheme, base_url)
        flow = scheme.flow("deviceAuthorization")
        if self.device_authorization_url is None and flow is not None:
            self.device_authorization_url = flow.device_authorization_url or None

    def _obtain(self, request: httpx.Request) -> TokenSteps:
        if self._refresh_token is not None:
            try:
                return (yield from self._refresh(request))
            except AuthError:
                self._refresh_token = None  # expired or revoked: ask the user again
        token = yield from self._authorize_device(request)
        self._keep(token)
        return token

    def _authorize_device(self, request: httpx.Request) -> TokenSteps:
        if not self.device_authorization_url:
            raise AuthError("OAuth2DeviceAuthorization has no device_authorization_url")
        form = {"client_id": self.client_id}
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        url = self._url(self.device_authorization_url, request)
        response = yield httpx.Request("POST", url, data=form)
        assert response is not None
        payload = _json_object(response)
        device_code = payload.get("device_code")
        if response.status_code != 200 or not isinstance(device_code, str):
            error = describe_token_error(response, payload)
            raise AuthError(f"device authorization request failed: {error}")
        user_code = _user_code(payload)
        self.on_user_code(user_code)
        interval = _number(payload.get("interval"))
        interval = 5.0 if interval is None else interval
        deadline = None if user_code.expires_in is None else _tokens._now() + user_code.expires_in
        form = {"grant_type": DEVICE_CODE_GRANT, "device_code": device_code}
        while True:
            if deadline is not None and _tokens._now() + interval > deadline:
                raise AuthError("the device code expired before the user approved it")
            yield Wait(interval)
            response = yield self._token_request(request, form)
            assert response is not None
            pending = _json_object(response).get("error")
            if pending == "authorization_pending":
                continue
            if pending == "slow_down":
                interval += _SLOW_DOWN_STEP
                continue
            return Token.from_response(response, "device access token request")


def _user_code(payload: dict[str, object]) -> UserCode:
    complete = payload.get("verification_uri_complete")
    return UserCode(
        user_code=str(payload.get("user_code", "")),
        verification_uri=str(payload.get("verification_uri", "")),
        verification_uri_complete=complete if isinstance(complete, str) else None,
        expires_in=_number(payload.get("expires_in")),
    )


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None
