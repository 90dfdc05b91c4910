"""The intermediate model: plain frozen data between the parser and the templates.

The parser computes everything a template needs (Python names beside wire
names, Python type annotations as source text, defaults as Python literals,
the order definitions must be emitted in). Templates only read it. Nothing
here does I/O, renders, or holds global state.

Every string that came from the spec and will land in generated code as a
string literal is kept raw here; templates emit it through the one escaping
filter (`specloom.render`), never by hand.
"""

from specloom.ir.model import (
    Api,
    Body,
    BodyEncoding,
    EnumDef,
    EnumMember,
    Field,
    ModelDef,
    Operation,
    Pagination,
    Parameter,
    ParameterLocation,
    References,
    Response,
    ResponseHeader,
    Server,
    Service,
    TypeAliasDef,
    TypeDef,
    XmlNode,
    XmlShape,
)
from specloom.ir.security import OAuthFlow, SchemeUse, SecurityRequirement, SecurityScheme

__all__ = [
    "Api",
    "Body",
    "BodyEncoding",
    "EnumDef",
    "EnumMember",
    "Field",
    "ModelDef",
    "OAuthFlow",
    "Operation",
    "Pagination",
    "Parameter",
    "ParameterLocation",
    "References",
    "Response",
    "ResponseHeader",
    "SchemeUse",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "Service",
    "TypeAliasDef",
    "TypeDef",
    "XmlNode",
    "XmlShape",
]
