"""Authentication: every OpenAPI security scheme as an `httpx.Auth`.

- `ApiKey`, `BearerToken`, `Basic`: static credentials (a value, or a function returning it).
- `OAuth2ClientCredentials`, `OAuth2RefreshToken`, `OAuth2DeviceAuthorization`,
  `OpenIdConnect`: tokens from a token endpoint, cached, renewed shortly before expiry and
  once on a 401, one renewal at a time across threads and tasks.
- `CredentialPicker`: the credentials each operation's security asks for (what generated
  clients use).

Secrets never appear in `repr`, `str` or error messages.
"""

from ._oauth2 import (
    OAuth2ClientCredentials,
    OAuth2DeviceAuthorization,
    OAuth2RefreshToken,
    UserCode,
)
from ._oidc import OpenIdConnect
from ._select import CredentialPicker, TokenCredential, scheme_auth
from ._static import ApiKey, Basic, BearerToken, SecretValue
from ._tokens import Token, TokenAuth

__all__ = [
    "ApiKey",
    "Basic",
    "BearerToken",
    "CredentialPicker",
    "OAuth2ClientCredentials",
    "OAuth2DeviceAuthorization",
    "OAuth2RefreshToken",
    "OpenIdConnect",
    "SecretValue",
    "Token",
    "TokenAuth",
    "TokenCredential",
    "UserCode",
    "scheme_auth",
]
