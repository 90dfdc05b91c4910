"""OpenID Connect: the token endpoint found through the provider's discovery document."""

from __future__ import annotations

import os
from collections.abc import Callable, Generator, Iterable

import httpx

from ..errors import AuthError
from ..security import SecurityScheme
from ._oauth2 import (
    ClientAuthMethod,
    OAuth2ClientCredentials,
    OAuth2DeviceAuthorization,
    OAuth2RefreshToken,
    UserCode,
    _OAuth2Client,
)
from ._tokens import Step, TokenAuth, TokenSteps, _json_object, describe_token_error


class OpenIdConnect(TokenAuth):
    """Tokens from an OpenID Connect provider.

    The discovery document (`discovery_url`, by default the spec's `openIdConnectUrl`) is
    fetched once; its `token_endpoint` (and `device_authorization_endpoint`) are used.
    The grant is client credentials, or the refresh token grant when `refresh_token` is
    given, or device authorization when `on_user_code` is given.
    """

    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str | None = None,
        discovery_url: str | None = None,
        scopes: Iterable[str] | None = None,
        refresh_token: str | None = None,
        on_user_code: Callable[[UserCode], object] | None = None,
        token_store: str | os.PathLike[str] | None = None,
        client_auth: ClientAuthMethod = "basic",
    ) -> None:
        super().__init__()
        self.discovery_url = discovery_url
        self._grant = _grant(
            client_id, client_secret, scopes, refresh_token, on_user_code, token_store, client_auth
        )
        self._discovered = False

    def adopt_scheme(self, scheme: SecurityScheme, base_url: httpx.URL) -> None:
        super().adopt_scheme(scheme, base_url)
        if self.discovery_url is None and scheme.openid_connect_url:
            self.discovery_url = scheme.openid_connect_url

    def _obtain(self, request: httpx.Request) -> TokenSteps:
        if not self._discovered:
            yield from self._discover(request)
        return (yield from self._grant._obtain(request))

    def _discover(self, request: httpx.Request) -> Generator[Step, httpx.Response | None, None]:
        if not self.discovery_url:
            raise AuthError("OpenIdConnect has no discovery_url (the spec declares none)")
        url = self._url(self.discovery_url, request)
        response = yield httpx.Request("GET", url, headers={"Accept": "application/json"})
        assert response is not None
        document = _json_object(response)
        token_endpoint = document.get("token_endpoint")
        if response.status_code != 200 or not isinstance(token_endpoint, str):
            raise AuthError(
                f"OpenID Connect discovery failed: {describe_token_error(response, document)}"
            )
        self._grant.token_url = token_endpoint
        device = document.get("device_authorization_endpoint")
        if isinstance(self._grant, OAuth2DeviceAuthorization) and isinstance(device, str):
            self._grant.device_authorization_url = device
        self._discovered = True

    def __repr__(self) -> str:
        return (
            f"OpenIdConnect(client_id={self._grant.client_id!r}, "
            f"discovery_url={self.discovery_url!r}, scopes={self._grant.scopes!r})"
        )


def _grant(
    client_id: str,
    client_secret: str | None,
    scopes: Iterable[str] | None,
    refresh_token: str | None,
    on_user_code: Callable[[UserCode], object] | None,
    token_store: str | os.PathLike[str] | None,
    client_auth: ClientAuthMethod,
) -> _OAuth2Client:
    if refresh_token is not None:
        return OAuth2RefreshToken(
            client_id=client_id,
            refresh_token=refresh_token,
            client_secret=client_secret,
            scopes=scopes,
            client_auth=client_auth,
            token_store=token_store,
        )
    if on_user_code is not None:
        return OAuth2DeviceAuthorization(
            client_id=client_id,
            on_user_code=on_user_code,
            token_store=token_store,
            client_secret=client_secret,
            scopes=scopes,
            client_auth=client_auth,
        )
    if client_secret is None:
        raise TypeError("OpenIdConnect needs client_secret, refresh_token or on_user_code")
    return OAuth2ClientCredentials(
        client_id=client_id, client_secret=client_secret, scopes=scopes, client_auth=client_auth
    )
