"""Operation descriptors: what generated code tells the runtime about one operation.

A generated package holds one `OperationSpec` per operation (in its
`_operations.py`); the client sends requests from it and the server parses
requests and shapes responses from it, so both sides agree by construction.
Types are real Python types (`int`, `list[Pet]`, `Pet | None`), validated and
serialized with pydantic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from .security import SecurityRequirement

ParameterLocation = Literal["path", "query", "header", "cookie"]

DEFAULT_STYLES: dict[str, str] = {
    "path": "simple",
    "query": "form",
    "header": "simple",
    "cookie": "form",
}


@dataclass(frozen=True)
class ParamSpec:
    """One parameter: its keyword name, its wire name and place, and how it is encoded."""

    name: str
    """The Python keyword argument name."""
    wire_name: str
    location: ParameterLocation
    annotation: Any
    """The Python type of the value (`int`, `list[str]`, ...), without `| None`."""
    required: bool = False
    style: str = ""
    """OpenAPI style; empty means the default for the location."""
    explode: bool | None = None
    """None means the default for the style (true for `form`, false otherwise)."""
    default: Any = None
    """The spec's default, applied by the server when the parameter is absent."""
    content_type: str = ""
    """For a parameter declared with `content`: its JSON media type. The value then travels
    as compact JSON text (in place of the style's encoding); empty otherwise."""

    @property
    def effective_style(self) -> str:
        return self.style or DEFAULT_STYLES[self.location]

    @property
    def effective_explode(self) -> bool:
        if self.explode is not None:
            return self.explode
        return self.effective_style == "form"


FORM_STYLES = frozenset({"form", "spaceDelimited", "pipeDelimited", "deepObject"})
"""The styles a property of a form or multipart body may take (as query parameters do)."""


@dataclass(frozen=True)
class PropertyEncoding:
    """How one property of a form or multipart body goes on the wire: the spec's `encoding`
    entry for it.

    With a `style` (or `explode`) the property is written as a query parameter of that style
    would be (`deepObject`: `address[city]=Paris`); else with a JSON `content_type` it is
    JSON text; in a multipart body `content_type` is also the part's Content-Type.
    """

    content_type: str = ""
    style: str = ""
    """Empty when the spec sets none (and no `explode` either)."""
    explode: bool | None = None

    @property
    def has_style(self) -> bool:
        """Whether the spec gives the property a style (or an explicit explode)."""
        return bool(self.style) or self.explode is not None

    @property
    def effective_style(self) -> str:
        return self.style or "form"

    @property
    def effective_explode(self) -> bool:
        if self.explode is not None:
            return self.explode
        return self.effective_style == "form"


@dataclass(frozen=True)
class XmlNode:
    """The OpenAPI `xml` facts of one schema, as far as an XML body needs them.

    `name` is the element (or attribute) name the spec gives; empty means the property's
    name (for the items of an array: the array property's name). An array has `items`; an
    object names its properties' entry in `XmlShape.models` with `model`; any other node is
    a scalar (text or attribute value).
    """

    name: str = ""
    namespace: str = ""
    prefix: str = ""
    attribute: bool = False
    wrapped: bool = False
    """For an array property: its items sit in one element named after the property
    (`<Tags><Tag/><Tag/></Tags>`) instead of side by side (`<Tag/><Tag/>`)."""
    items: XmlNode | None = None
    model: str = ""
    values: XmlNode | None = None
    """For an object with typed `additionalProperties`: the node of each additional
    property's value, in an element named after its key."""


XmlProperties = tuple[tuple[str, XmlNode], ...]
"""(wire name, node) of each property of an object schema, in spec order."""


@dataclass(frozen=True)
class XmlShape:
    """How a body travels as XML: the root element, and the properties of every object
    schema reachable from it, by `XmlNode.model` (shared by the operations of a module, so a
    schema that contains itself needs no infinite tree)."""

    root: XmlNode
    """Its `name` is the root element's: the schema's `xml.name`, else its component name."""
    models: tuple[tuple[str, XmlProperties], ...] = ()

    @cached_property
    def properties(self) -> dict[str, dict[str, XmlNode]]:
        """`models` by key, each a dict by wire name (worked out on first use)."""
        return {key: dict(properties) for key, properties in self.models}


@dataclass(frozen=True)
class BodySpec:
    """The request body: its Python type and the one media type used on the wire."""

    annotation: Any
    content_type: str = "application/json"
    required: bool = True
    encoding: tuple[tuple[str, PropertyEncoding], ...] = ()
    """(wire name, encoding) of the properties a form or multipart body encodes specially."""
    media: tuple[tuple[str, Any], ...] = ()
    """(content type, type) of every media type the body may be sent as, `content_type`
    first, when the spec declares more than one; `annotation` is then their union. The
    client sends a value as the first whose type it is, the server reads each."""
    xml: XmlShape | None = None
    """How the body reads and writes as XML, when the spec declares an XML media type
    (`application/xml`, `text/xml`, `…+xml`) for it with a structured schema."""

    def encoding_of(self, wire_name: str) -> PropertyEncoding | None:
        """The declared encoding of a property, None when it has none."""
        for name, encoding in self.encoding:
            if name == wire_name:
                return encoding
        return None


@dataclass(frozen=True)
class ResponseSpec:
    """One declared response: `status` is `"200"`, `"4XX"` or `"default"`."""

    status: str
    annotation: Any = None
    """The Python type of the body; None when the response has no body."""
    content_type: str | None = "application/json"
    is_success: bool = False
    stream: Literal["", "sse", "jsonl"] = ""
    """A streamed body: `sse` (`text/event-stream`) or `jsonl` (JSON lines); `annotation`
    is then the type of each item (`specloom_runtime.streaming`)."""
    media: tuple[tuple[str, Any], ...] = ()
    """(content type, type) of each media type the response declares, the preferred first,
    when they hold different types; `annotation` is then their union. Empty otherwise."""
    xml: XmlShape | None = None
    """How the body reads and writes as XML, when the response declares an XML media type
    with a structured schema."""

    def media_for(self, content_type: str | None) -> tuple[Any, str | None]:
        """The type (and declared content type) of a body sent with this Content-Type: the
        declared media type it is, else the range (`application/*`) it falls in, else the
        preferred one."""
        if not self.media:
            return self.annotation, self.content_type
        received = _media_type(content_type or "")
        for declared, annotation in self.media:
            if _media_type(declared) == received:
                return annotation, declared
        for declared, annotation in self.media:
            if _in_range(received, _media_type(declared)):
                return annotation, declared
        return self.media[0][1], self.media[0][0]


@dataclass(frozen=True)
class OperationSpec:
    """Everything the runtime needs to send, receive or serve one operation."""

    name: str
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    body: BodySpec | None = None
    responses: tuple[ResponseSpec, ...] = ()
    tags: tuple[str, ...] = field(default=())
    security: tuple[SecurityRequirement, ...] = ()
    """The alternatives, any one of which grants access; empty when the operation is open."""
    headers: tuple[tuple[str, str], ...] = ()
    """Constant (name, value) request headers that select this operation among others on
    the same method and path (the AWS JSON protocol's `X-Amz-Target`): the client sends
    them, the server routes on them."""
    query: tuple[tuple[str, str], ...] = ()
    """Constant (name, value) query parameters that select this operation in the same way
    (the AWS query protocol's `Action`): the client sends them, the server routes on them."""
    pointer: str = ""
    """The operation's JSON pointer in the spec it was generated from (`/paths/~1#Action=X/get`):
    a fragment-keyed operation's path (`/`) is not its key in `paths`."""

    def response_for(self, status_code: int) -> ResponseSpec | None:
        """The declared response for a status: exact code, then `4XX`-style range, then default."""
        exact = str(status_code)
        family = f"{status_code // 100}XX"
        by_status = {r.status.upper(): r for r in self.responses}
        return by_status.get(exact) or by_status.get(family) or by_status.get("DEFAULT")

    @property
    def success(self) -> ResponseSpec | None:
        """The primary success response: the first declared success in status order."""
        successes = [r for r in self.responses if r.is_success]
        return min(successes, key=lambda r: r.status) if successes else None


def _media_type(content_type: str) -> str:
    return content_type.partition(";")[0].strip().lower()


def _in_range(media_type: str, declared: str) -> bool:
    """Whether `media_type` falls in a declared range: `*/*`, `application/*`."""
    if declared == "*/*":
        return bool(media_type)
    return declared.endswith("/*") and media_type.startswith(declared[:-1])
