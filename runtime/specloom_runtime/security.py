"""Security descriptors: the spec's security schemes and each operation's requirements.

A generated package's `_operations.py` holds one `SecurityScheme` per scheme of the spec
and gives every `OperationSpec` its `security`: the alternatives (any one will do) of
scheme sets (all of them at once), each scheme with the scopes it needs. The client picks
the credentials to send from them and the server checks requests against them, so both
sides agree by construction.

```
security=(
    SecurityRequirement(uses=(SchemeUse(BEARER_AUTH),)),              # bearer, or
    SecurityRequirement(uses=(SchemeUse(API_KEY), SchemeUse(APP_ID))),  # both keys
)
```

An empty `security` means the operation is open (`security: []`, or no security at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SchemeKind = Literal["apiKey", "http", "oauth2", "openIdConnect", "mutualTLS"]
ApiKeyLocation = Literal["header", "query", "cookie"]

__all__ = [
    "ApiKeyLocation",
    "OAuthFlow",
    "SchemeKind",
    "SchemeUse",
    "SecurityRequirement",
    "SecurityScheme",
]


@dataclass(frozen=True)
class OAuthFlow:
    """One OAuth2 flow of a scheme: `clientCredentials`, `authorizationCode`, `implicit`,
    `password` or `deviceAuthorization`, with its URLs (empty when the flow has none)."""

    kind: str
    token_url: str = ""
    authorization_url: str = ""
    refresh_url: str = ""
    device_authorization_url: str = ""
    scopes: tuple[str, ...] = ()
    """The scopes the flow declares."""


@dataclass(frozen=True)
class SecurityScheme:
    """One security scheme of the spec."""

    name: str
    """The Python name: the client's keyword argument and the server's verifier key
    (`ApiKeyAuth` -> `api_key_auth`)."""
    wire_name: str
    """The scheme's key in `components/securitySchemes`."""
    kind: SchemeKind
    parameter_name: str = ""
    """apiKey: the header, query parameter or cookie holding the key."""
    location: ApiKeyLocation | None = None
    """apiKey: where the key goes."""
    http_scheme: str = ""
    """http: the lower-case `Authorization` scheme (`basic`, `bearer`, `digest`, ...)."""
    flows: tuple[OAuthFlow, ...] = ()
    """oauth2: the flows the spec declares."""
    openid_connect_url: str = ""
    """openIdConnect: the discovery document's URL."""

    @property
    def is_bearer(self) -> bool:
        """Whether the credential is a bearer token in `Authorization` (http bearer, oauth2,
        openIdConnect)."""
        if self.kind == "http":
            return self.http_scheme == "bearer"
        return self.kind in ("oauth2", "openIdConnect")

    def flow(self, kind: str) -> OAuthFlow | None:
        """The oauth2 flow of that kind, if the scheme declares it."""
        return next((flow for flow in self.flows if flow.kind == kind), None)


@dataclass(frozen=True)
class SchemeUse:
    """A scheme in a requirement, with the scopes the operation needs (oauth2, openIdConnect;
    roles for the others)."""

    scheme: SecurityScheme
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SecurityRequirement:
    """One alternative: every scheme in `uses` at once. Empty means anonymous access."""

    uses: tuple[SchemeUse, ...] = ()
