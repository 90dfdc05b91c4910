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
    InvalidRequest,
    RateLimited,
    RequestTimeout,
    ResponseTooLarge,
    ResponseValidationError,
    SpecloomError,
    TransportError,
    UnexpectedStatusError,
)
from .hooks import AsyncRequestHook, AsyncResponseHook, RequestHook, ResponseHook
from .operation import BodySpec, OperationSpec, ParamSpec, ResponseSpec
from .options import AsyncClientOptions, CallOptions, ClientOptions
from .response import Response
from .retry import RetryPolicy
from .retry_budget import RetryBudget
from .throttle import RateLimit

__all__ = [
    "ApiStatusError",
    "AsyncClientCore",
    "AsyncClientOptions",
    "AsyncRequestHook",
    "AsyncResponseHook",
    "AuthError",
    "BodySpec",
    "CallOptions",
    "ClientCore",
    "ClientOptions",
    "DeclaredStatusError",
    "InvalidRequest",
    "OAuth2ClientCredentials",
    "OAuth2DeviceAuthorization",
    "OAuth2RefreshToken",
    "OpenIdConnect",
    "OperationSpec",
    "ParamSpec",
    "RateLimit",
    "RateLimited",
    "RequestHook",
    "RequestTimeout",
    "Response",
    "ResponseHook",
    "ResponseSpec",
    "ResponseTooLarge",
    "ResponseValidationError",
    "RetryBudget",
    "RetryPolicy",
    "SpecloomError",
    "TransportError",
    "UnexpectedStatusError",
    "UserCode",
]
