"""Authentication: every OpenAPI security scheme as an `httpx.Auth`.

- `ApiKey`, `BearerToken`, `Basic`: static credentials (a value, or a function returning it).
- `OAuth2ClientCredentials`, `OAuth2RefreshToken`, `OAuth2DeviceAuthorization`,
  `OpenIdConnect`: tokens from a token endpoint, cached, renewed shortly before expiry and
  once on a 401, one renewal at a time across threads and tasks.
- `CredentialPicker`: the credentials each operation's security asks for (what generated
  clients use).

Secrets never appear in `repr`, `str` or error messages.

Each name is imported from its module when first used: a client whose spec has no OAuth2
or OpenID Connect scheme does not import those.
"""

import typing

from .. import _lazy

if typing.TYPE_CHECKING:
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

_MODULES: dict[str, str] = {
    "ApiKey": "._static",
    "Basic": "._static",
    "BearerToken": "._static",
    "CredentialPicker": "._select",
    "OAuth2ClientCredentials": "._oauth2",
    "OAuth2DeviceAuthorization": "._oauth2",
    "OAuth2RefreshToken": "._oauth2",
    "OpenIdConnect": "._oidc",
    "SecretValue": "._static",
    "Token": "._tokens",
    "TokenAuth": "._tokens",
    "TokenCredential": "._select",
    "UserCode": "._oauth2",
    "scheme_auth": "._select",
}
"""The module defining each public name, imported when the name is first used."""


__getattr__, __dir__ = _lazy.lazy_names(globals(), _MODULES)
