"""specloom-runtime: what generated specloom clients and servers run on.

The names below are the client-side API; `specloom_runtime.operation` and
`specloom_runtime.security` hold the operation descriptors, `specloom_runtime.serialization`
the wire encodings, `specloom_runtime.auth` every security scheme as an `httpx.Auth` (the
OAuth2 and OpenID Connect ones are re-exported here) and `specloom_runtime.server` the
server side.
"""

from .auth import (
    OAuth2ClientCredentials,
    OAuth2DeviceAuthorization,
    OAuth2RefreshToken,
    OpenIdConnect,
    UserCode,
)
from .client import AsyncClientCore, ClientCore
from .errors import (
    ApiStatusError,
    AuthError,
    DeclaredStatusError,
    RequestTimeout,
    ResponseValidationError,
    SpecloomError,
    TransportError,
    UnexpectedStatusError,
)
from .operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec
from .response import Response

__all__ = [
    "ApiStatusError",
    "AsyncClientCore",
    "AuthError",
    "BodySpec",
    "ClientCore",
    "DeclaredStatusError",
    "OAuth2ClientCredentials",
    "OAuth2DeviceAuthorization",
    "OAuth2RefreshToken",
    "OpenIdConnect",
    "OperationSpec",
    "ParamSpec",
    "RequestTimeout",
    "Response",
    "ResponseSpec",
    "ResponseValidationError",
    "SpecloomError",
    "TransportError",
    "UnexpectedStatusError",
    "UserCode",
]
