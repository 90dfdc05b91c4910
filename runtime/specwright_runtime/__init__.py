"""specwright-runtime: what generated specwright clients and servers run on.

The names below are the client-side API; `specwright_runtime.operation` holds the
operation descriptors, `specwright_runtime.serialization` the wire encodings and
`specwright_runtime.server` the server side.
"""

from .client import AsyncClientCore, ClientCore
from .errors import (
    ApiStatusError,
    DeclaredStatusError,
    RequestTimeout,
    ResponseValidationError,
    SpecwrightError,
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
    "SpecwrightError",
    "TransportError",
    "UnexpectedStatusError",
]
