"""The IR's data classes. See the package docstring for the rules they follow."""

from __future__ import annotations

from typing import Literal

import msgspec

from specloom.ir.security import SecurityRequirement, SecurityScheme

ParameterLocation = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "form", "multipart", "xml", "binary", "text"]


class References(msgspec.Struct, frozen=True):
    """The names an annotation-bearing definition uses, so each generated module can import
    exactly what it needs. Each tuple is sorted and free of duplicates."""

    types: tuple[str, ...] = ()
    """Generated type names (models, enums, aliases)."""
    modules: tuple[str, ...] = ()
    """Standard-library modules used as `module.Name` (`datetime`, `uuid`)."""
    typing: tuple[str, ...] = ()
    """Names from `typing` (`Any`, `Literal`)."""


class Field(msgspec.Struct, frozen=True):
    """One property of a model."""

    python_name: str
    """A valid, non-reserved Python identifier, unique in its model."""
    wire_name: str
    """The property name in JSON; an alias is emitted when it differs from `python_name`."""
    annotation: str
    """The Python type as source text, e.g. `list[Pet] | None`; includes `| None` when the
    field is nullable or optional."""
    required: bool
    nullable: bool
    default: str | None
    """A Python literal (source text) for the spec's default, or None when it has none.
    Optional fields without a spec default default to `None`."""
    description: str
    pattern: str | None = None
    """A regular expression the value must match (checked to compile in pydantic's Rust
    regex engine, or in Python's `re` when `python_regex`)."""
    python_regex: bool = False
    """The pattern needs Python's `re` (look-around, back-references): emitted as
    `pattern=re.compile(...)`, which pydantic enforces with `re`."""
    deprecated: bool = False
    read_only: bool = False
    write_only: bool = False
    constraints: tuple[tuple[str, str], ...] = ()
    """pydantic `Field` keyword arguments for the schema's limits, as (name, Python literal)
    pairs in a fixed order, e.g. `(("min_length", "1"),)` -> `Field(min_length=1)`: lengths
    for `str` and `list[...]` fields, `ge`/`gt`/`le`/`lt`/`multiple_of` for `int` and
    `float` fields; empty for every other annotation."""
    value_annotation: str = ""
    """The type of a value that is present: `annotation` without the `| None` added for an
    optional field. An optional field that is not nullable is emitted as
    `Omittable[value_annotation]` (absent or a value, never `null` on the wire)."""


class ModelDef(msgspec.Struct, frozen=True):
    """An object schema, emitted as a pydantic model class."""

    name: str
    """The Python class name, unique across everything generated."""
    wire_name: str
    """The schema's key in `components/schemas`, or a synthesized path for inline schemas."""
    description: str
    fields: tuple[Field, ...]
    extra: Literal["ignore", "allow", "forbid"]
    """What happens to undeclared properties (`allow` when additionalProperties is set)."""
    extra_annotation: str | None
    """The value type of additional properties, when `extra == "allow"` and typed."""
    pointer: str
    """JSON pointer of the schema in its source document."""
    references: References
    sent_defaults: tuple[str, ...] = ()
    """Fields whose default is always sent (a discriminated union member's tag, which the
    spec leaves optional): marked as set when the model is made, so that dumping with
    `exclude_unset` keeps them."""


class EnumMember(msgspec.Struct, frozen=True):
    python_name: str
    """UPPER_SNAKE member name, unique in its enum."""
    value: str
    """The member's value as a Python literal (source text), e.g. `'available'` or `3`."""


class EnumDef(msgspec.Struct, frozen=True):
    """An enum schema of strings or integers, emitted as an `enum.Enum` subclass."""

    name: str
    wire_name: str
    description: str
    base: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    pointer: str


class TypeAliasDef(msgspec.Struct, frozen=True):
    """A named non-object schema (array, map, union, primitive), emitted as a type alias."""

    name: str
    wire_name: str
    description: str
    annotation: str
    pointer: str
    references: References


TypeDef = ModelDef | EnumDef | TypeAliasDef


class Parameter(msgspec.Struct, frozen=True):
    """One path, query, header or cookie parameter of an operation."""

    python_name: str
    """Keyword argument name: snake_case, unique in the operation, never `body` or `self`."""
    wire_name: str
    location: ParameterLocation
    annotation: str
    """The Python type as source text, including `| None` when not required."""
    required: bool
    description: str
    style: str
    """The serialization style, with the spec's default for the location filled in."""
    explode: bool
    default: str | None
    """The spec's default as a Python literal (source text), or None."""
    deprecated: bool = False
    client_default: str | None = None
    """What a client sends when the caller gives nothing: the only value a required
    parameter can take (a single-value enum, the AWS query protocol's `Version`), as a
    Python literal. The server still requires the parameter."""
    value_annotation: str = ""
    """The type of a value that is present: `annotation` without the `| None` added for an
    optional parameter (what `ParamSpec.annotation` gets). Includes `None` only when the
    schema itself is nullable."""
    constraints: tuple[tuple[str, str], ...] = ()
    """pydantic `Field` keyword arguments for the schema's limits, as (name, Python literal)
    pairs in a fixed order, like `Field.constraints` (for the same annotations), preceded by
    `("pattern", ...)` when the schema has a pattern a model field would keep. The server
    validates them (`ParamSpec.annotation` becomes `Annotated[int, Field(ge=1)]`); method
    signatures show them too."""
    content_type: str = ""
    """The JSON media type of a parameter declared with `content` (its value travels as
    JSON text); empty for a parameter declared with `schema`."""


class BodyEncoding(msgspec.Struct, frozen=True):
    """The spec's `encoding` of one property of a form or multipart body."""

    wire_name: str
    content_type: str = ""
    style: str = ""
    """A query parameter style (`form`, `spaceDelimited`, `pipeDelimited`, `deepObject`);
    empty when the spec sets none."""
    explode: bool | None = None


class XmlNode(msgspec.Struct, frozen=True):
    """The spec's `xml` facts of one schema (what `specloom_runtime.operation.XmlNode`
    gets): an array has `items`, an object its properties under `model` in the shape."""

    name: str = ""
    """The spec's `xml.name` (for a root element: else its component name); empty means
    the property's name."""
    namespace: str = ""
    prefix: str = ""
    attribute: bool = False
    wrapped: bool = False
    items: XmlNode | None = None
    model: str = ""
    values: XmlNode | None = None
    """The node of the values of typed `additionalProperties`."""


class XmlShape(msgspec.Struct, frozen=True):
    """How a body reads and writes as XML: the root node and the properties of every
    object schema reachable from it, by model key, sorted."""

    root: XmlNode
    models: tuple[tuple[str, tuple[tuple[str, XmlNode], ...]], ...] = ()


class Body(msgspec.Struct, frozen=True):
    """The request body of an operation (one media type, the one chosen to generate)."""

    annotation: str
    """The Python type as source text, including `| None` when not required."""
    content_type: str
    kind: BodyKind
    required: bool
    description: str
    value_annotation: str = ""
    """`annotation` without the `| None` added for an optional body (what
    `BodySpec.annotation` gets)."""
    encoding: tuple[BodyEncoding, ...] = ()
    """The properties a form or multipart body encodes as the spec's `encoding` says."""
    media: tuple[tuple[str, str], ...] = ()
    """(content type, Python type) of every media type the body may be sent as, the
    preferred (`content_type`) first, when the spec declares more than one; `annotation`
    is then their union."""
    xml: XmlShape | None = None
    """Set when the body may be sent as XML (an XML media type with a structured schema)."""


class ResponseHeader(msgspec.Struct, frozen=True):
    """A header a response declares (`Content-Type` excluded, as OpenAPI requires)."""

    python_name: str
    """Keyword argument name in the response class's `__init__`, unique in the response."""
    wire_name: str
    annotation: str
    """The Python type of the value as source text, without `| None`."""
    required: bool
    description: str


class Response(msgspec.Struct, frozen=True):
    """One declared response of an operation."""

    status: str
    """`"200"`, `"4XX"` or `"default"`, as in the spec."""
    annotation: str | None
    """The Python type of the body, or None when the response has no body."""
    content_type: str | None
    description: str
    is_success: bool
    """2xx, or `default` when the operation declares no 2xx response."""
    status_class: str
    """The `specloom_runtime.server` class that stands for this status in a handler's
    return type: `Created`, `NotFound`, … or `WithStatus` for codes and ranges that have
    no class of their own."""
    headers: tuple[ResponseHeader, ...] = ()
    """The headers the response declares, required ones first."""
    stream: Literal["", "sse", "jsonl"] = ""
    """A streamed body: `sse` for `text/event-stream`, `jsonl` for JSON lines
    (`application/jsonl`, `application/x-ndjson`); `annotation` is then the type of each
    item (from the 3.2 `itemSchema`, else the schema; `str` for events without one)."""
    headers_class: str = ""
    """The server module's subclass of `status_class` taking `headers` as typed keyword
    arguments (e.g. `CreatePetCreated`); empty when the response declares no headers."""
    media: tuple[tuple[str, str], ...] = ()
    """(content type, Python type) of every media type the response declares, the preferred
    first, when they hold different types (`application/json` an `Error`,
    `application/problem+json` a `Problem`); `annotation` is then their union. Empty when
    one type serves every media type."""
    xml: XmlShape | None = None
    """Set when the body may come as XML (an XML media type with a structured schema)."""


class Pagination(msgspec.Struct, frozen=True):
    """How to fetch every page of an operation whose success body is a paginated envelope:
    `{"data": [...], "meta": {...}, "links": {...}}`."""

    kind: Literal["page", "cursor"]
    """`page`: the envelope has `links.next` and `meta.current_page`, and the operation a
    `page` query parameter; `cursor`: the envelope has `meta.next_cursor` (or a top-level
    `next_cursor`), and the operation a `cursor` query parameter."""
    parameter: str
    """The Python name of the `page` or `cursor` parameter."""
    item_annotation: str
    """The type of the items under `data`."""


class Operation(msgspec.Struct, frozen=True):
    python_name: str
    """snake_case method name: from operationId, else derived from method and path."""
    operation_id: str
    """The operationId as written in the spec (empty when the spec has none)."""
    constant_name: str
    """UPPER_SNAKE name of the operation's descriptor in the generated package."""
    method: str
    """Upper-case HTTP method."""
    path: str
    tag: str
    summary: str
    description: str
    deprecated: bool
    parameters: tuple[Parameter, ...]
    """Required parameters first, then optional ones, each group in spec order."""
    body: Body | None
    responses: tuple[Response, ...]
    success: Response | None
    """The primary success response (lowest 2xx) whose body a client call returns."""
    client_return: str
    """Return annotation of the client method, e.g. `list[Pet]` or `None`."""
    client_response: str
    """Type of `data` in what the `<name>_with_response` method returns: every declared
    body, e.g. `list[Pet] | Error` (error statuses come back when not raised)."""
    server_return: str
    """Return annotation of the handler method, e.g. `Pet | NotFound[Error]`."""
    pointer: str
    references: References
    """Everything the operation's parameters, body and responses refer to."""
    status_classes: tuple[str, ...]
    """The `specloom_runtime.server` classes in `server_return`, sorted."""
    tags: tuple[str, ...] = ()
    """Every tag of the operation as written in the spec (`tag` is the first, or `default`)."""
    security: tuple[SecurityRequirement, ...] = ()
    """The alternatives (any one grants access), the document's default when the operation
    sets none; empty when the operation is open."""
    constant_headers: tuple[tuple[str, str], ...] = ()
    """(name, value) request headers that select this operation among others on its path
    and method, from a path fragment (`/#X-Amz-Target=Shield.AssociateDRTLogBucket`);
    `path` is then the part before `#`."""
    constant_query: tuple[tuple[str, str], ...] = ()
    """(name, value) query parameters that select this operation, from a path fragment
    (`/#Action=CreateTags`): constants the client always sends, no method arguments."""
    pagination: Pagination | None = None
    """Set when the success body is a paginated envelope the client can iterate over."""
    server_shadowed_by: str = ""
    """The `python_name` of an earlier operation on the same method and path shape that no
    request tells apart from this one: the server routes to that one and leaves this one
    out (`parser/overlaps.py`). Empty for an operation the server serves."""


class Service(msgspec.Struct, frozen=True):
    """The operations of one tag: a client service and a server `<Tag>Api` class."""

    tag: str
    attribute_name: str
    """snake_case attribute on the client, e.g. `pets`."""
    module_name: str
    """The name of its modules (`_client/pets.py`, `_operations/pets.py`): the attribute
    name, cut as long model module names are (`naming.module_names`)."""
    client_class: str
    """e.g. `PetsService`; the async one is `Async` + this."""
    api_class: str
    """e.g. `PetsApi`."""
    description: str
    operations: tuple[Operation, ...]


class Server(msgspec.Struct, frozen=True):
    url: str
    description: str


class Api(msgspec.Struct, frozen=True):
    """Everything generated from one spec."""

    title: str
    version: str
    description: str
    openapi_version: str
    servers: tuple[Server, ...]
    types: tuple[TypeDef, ...]
    """In emission order: every definition after the ones its annotations need at import
    time (model fields may refer forward; aliases and enums may not)."""
    services: tuple[Service, ...]
    """Sorted by attribute name; `default` holds untagged operations."""
    security_schemes: tuple[SecurityScheme, ...] = ()
    """Every security scheme of the spec, in spec order."""
    webhooks: tuple[Service, ...] = ()
    """Webhooks and callbacks (requests the API sends), by first tag: one `<Tag>Webhooks`
    receiver class each (`api_class`); no client side."""
    spec_json: str = ""
    """The spec document (bundled, Swagger 2.0 converted) as JSON text: what a generated
    server serves at `/openapi.json`; empty when unknown."""
    request_shapes: tuple[tuple[str, str], ...] = ()
    """(type name, the name of its request shape) of each type with `readOnly` or
    `writeOnly` properties at any depth (`specloom.parser.shapes`), in slot order."""
