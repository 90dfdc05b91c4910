"""The IR of the spec's security: schemes, and the requirements operations put on them."""

from __future__ import annotations

from typing import Literal

import msgspec

SchemeKind = Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]


class OAuthFlow(msgspec.Struct, frozen=True):
    """One flow of an oauth2 scheme; URLs are empty when the flow has none."""

    kind: Literal[
        "clientCredentials", "authorizationCode", "implicit", "password", "deviceAuthorization"
    ]
    token_url: str
    authorization_url: str
    refresh_url: str
    device_authorization_url: str
    scopes: tuple[tuple[str, str], ...]
    """(scope, description) pairs in spec order."""


class SecurityScheme(msgspec.Struct, frozen=True):
    """One entry of `components/securitySchemes`."""

    wire_name: str
    """The key in `components/securitySchemes`."""
    python_name: str
    """snake_case, unique: the client keyword argument and the server verifier key."""
    constant_name: str
    """UPPER_SNAKE name of the scheme's descriptor in the generated package."""
    kind: SchemeKind
    description: str
    pointer: str
    parameter_name: str = ""
    """apiKey: the header, query parameter or cookie name."""
    location: Literal["header", "query", "cookie"] | None = None
    """apiKey: where the key goes."""
    http_scheme: str = ""
    """http: the scheme, lower-cased (`basic`, `bearer`, ...)."""
    bearer_format: str = ""
    flows: tuple[OAuthFlow, ...] = ()
    openid_connect_url: str = ""


class SchemeUse(msgspec.Struct, frozen=True):
    """One scheme of a requirement, by its `python_name`, with the scopes asked for."""

    scheme: str
    scopes: tuple[str, ...] = ()


class SecurityRequirement(msgspec.Struct, frozen=True):
    """One alternative of an operation's security: all of `uses` at once (none: anonymous)."""

    uses: tuple[SchemeUse, ...] = ()
