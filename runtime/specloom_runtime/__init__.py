"""specloom-runtime: what generated specloom clients and servers run on.

The names below are the client-side API; `specloom_runtime.operation` holds the
operation descriptors, `specloom_runtime.serialization` the wire encodings and
`specloom_runtime.server` the server side.
"""

from .client import AsyncClientCore, ClientCore
from .errors import (
    ApiStatusError,
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
    "BodySpec",
    "ClientCore",
    "DeclaredStatusError",
    "OperationSpec",
    "ParamSpec",
    "RequestTimeout",
    "Response",
    "ResponseSpec",
    "ResponseValidationError",
    "SpecloomError",
    "TransportError",
    "UnexpectedStatusError",
]
