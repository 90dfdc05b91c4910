"""specloom-runtime: what generated specloom clients and servers run on.

The names below are the client-side API; `specloom_runtime.operation` and
`specloom_runtime.security` hold the operation descriptors, `specloom_runtime.serialization`
the wire encodings, `specloom_runtime.auth` every security scheme as an `httpx.Auth` (the
OAuth2 and OpenID Connect ones are re-exported here) and `specloom_runtime.server` the
server side.

Each name is imported from its module when first used, so that importing a generated
client does not import httpx, pydantic and the call machinery before a call needs them;
the name is the very object its module defines (`isinstance` and `except` see one class).
"""

import typing

from . import _lazy

if typing.TYPE_CHECKING:
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

_MODULES: dict[str, str] = {
    "ApiStatusError": ".errors",
    "AsyncClientCore": ".client",
    "AsyncClientOptions": ".options",
    "AsyncRequestHook": ".hooks",
    "AsyncResponseHook": ".hooks",
    "AuthError": ".errors",
    "BodySpec": ".operation",
    "CallOptions": ".options",
    "ClientCore": ".client",
    "ClientOptions": ".options",
    "DeclaredStatusError": ".errors",
    "InvalidRequest": ".errors",
    "OAuth2ClientCredentials": ".auth",
    "OAuth2DeviceAuthorization": ".auth",
    "OAuth2RefreshToken": ".auth",
    "OpenIdConnect": ".auth",
    "OperationSpec": ".operation",
    "ParamSpec": ".operation",
    "RateLimit": ".throttle",
    "RateLimited": ".errors",
    "RequestHook": ".hooks",
    "RequestTimeout": ".errors",
    "Response": ".response",
    "ResponseHook": ".hooks",
    "ResponseSpec": ".operation",
    "ResponseTooLarge": ".errors",
    "ResponseValidationError": ".errors",
    "RetryBudget": ".retry_budget",
    "RetryPolicy": ".retry",
    "SpecloomError": ".errors",
    "TransportError": ".errors",
    "UnexpectedStatusError": ".errors",
    "UserCode": ".auth",
}
"""The module defining each public name, imported when the name is first used."""


__getattr__, __dir__ = _lazy.lazy_names(globals(), _MODULES)
