"""Source fragments of generated operation methods: keyword parameters, the arguments that
forward them, and the annotations the runtime descriptors take.

Client methods and handler methods of one operation share these, so they always have
the same parameters.
"""

from __future__ import annotations

from specloom.escaping import python_literal
from specloom.ir import Body, BodyEncoding, Operation, Parameter, Response
from specloom.render.imports import LINE_LENGTH

_OPTIONAL_SUFFIX = " | None"
_PARAMETER_INDENT = " " * 8
"""Where a method's parameters sit when its signature is one parameter a line."""

# The runtime's defaults (`specloom_runtime.operation.DEFAULT_STYLES`); descriptors only
# spell out a style or explode flag that differs from them.
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}


def keyword_parameters(operation: Operation) -> str:
    """The handler parameters after `self`: `, *, pet_id: int, body: NewPet` (or empty)."""
    return _keyword_parameters(operation, client=False)


def client_keyword_parameters(operation: Operation) -> str:
    """The client method parameters after `self`: the handler's, a parameter with only one
    possible value defaulting to it (`version: Version = Version.V2012_12_01`)."""
    return _keyword_parameters(operation, client=True)


def _keyword_parameters(operation: Operation, *, client: bool) -> str:
    declared = [
        _declaration(
            parameter.python_name,
            signature_annotation(parameter),
            parameter.required,
            parameter.client_default if client else None,
        )
        for parameter in operation.parameters
    ]
    if operation.body is not None:
        declared.append(_declaration("body", operation.body.annotation, operation.body.required))
    return "".join(f", {item}" for item in ["*", *declared]) if declared else ""


def keyword_arguments(operation: Operation) -> str:
    """The call arguments forwarding every parameter: `pet_id=pet_id, body=body`."""
    names = [parameter.python_name for parameter in operation.parameters]
    if operation.body is not None:
        names.append("body")
    return ", ".join(f"{name}={name}" for name in names)


def argument_mapping(operation: Operation) -> str:
    """The parameters as the mapping the runtime sends: `{"pet_id": pet_id}`."""
    items = (
        f"{python_literal(parameter.python_name)}: {parameter.python_name}"
        for parameter in operation.parameters
    )
    return "{" + ", ".join(items) + "}"


def value_annotation(item: Parameter | Body) -> str:
    """The type of a parameter's or body's value, without the `| None` that only says it
    may be left out (descriptors carry `required` separately).

    That is the IR's `value_annotation`; IR values built without it get `annotation` with
    the optional `| None` taken off.
    """
    if item.value_annotation:
        return item.value_annotation
    annotation = item.annotation.strip()
    if not item.required and annotation.endswith(_OPTIONAL_SUFFIX):
        return annotation[: -len(_OPTIONAL_SUFFIX)].rstrip()
    return annotation


def descriptor_annotation(parameter: Parameter) -> str:
    """What a parameter's `ParamSpec` gets as its annotation: the value type, as
    `Annotated[int, Field(ge=1, le=100)]` when its schema sets limits, so that the server
    validates them (and method signatures show them, see `signature_annotation`)."""
    annotation = value_annotation(parameter)
    if not parameter.constraints:
        return annotation
    arguments = ", ".join(f"{name}={value}" for name, value in parameter.constraints)
    return f"Annotated[{annotation}, Field({arguments})]"


def signature_annotation(parameter: Parameter) -> str:
    """A parameter's type in method signatures: with its limits when it has any
    (`Annotated[int, Field(ge=1)] | None`), so callers and type checkers see them."""
    if not parameter.constraints:
        return parameter.annotation
    constrained = descriptor_annotation(parameter)
    return constrained if parameter.required else f"{constrained}{_OPTIONAL_SUFFIX}"


def has_custom_style(parameter: Parameter) -> bool:
    """Whether the parameter's style differs from the default for its location."""
    return parameter.style != _DEFAULT_STYLES[parameter.location]


def has_custom_explode(parameter: Parameter) -> bool:
    """Whether the parameter's explode flag differs from the default for its style."""
    return parameter.explode != (parameter.style == "form")


def encoding_arguments(encoding: BodyEncoding) -> str:
    """The keyword arguments of a body property's `PropertyEncoding(...)`."""
    arguments = []
    if encoding.content_type:
        arguments.append(f"content_type={python_literal(encoding.content_type)}")
    if encoding.style:
        arguments.append(f"style={python_literal(encoding.style)}")
    if encoding.explode is not None:
        arguments.append(f"explode={encoding.explode!r}")
    return ", ".join(arguments)


def _declaration(
    name: str, annotation: str, required: bool, default_value: str | None = None
) -> str:
    default = f" = {default_value}" if default_value else "" if required else " = None"
    if len(f"{_PARAMETER_INDENT}{name}: {annotation}{default},") > LINE_LENGTH and _is_union(
        annotation
    ):
        # black parenthesizes a union annotation too long for its line; write it that way.
        annotation = f"({annotation})"
    return f"{name}: {annotation}{default}"


def _is_union(annotation: str) -> bool:
    """Whether `annotation` has a `|` outside brackets."""
    depth = 0
    for char in annotation:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "|" and depth == 0:
            return True
    return False


def header_class_parameters(response: Response) -> str:
    """The parameters of a response class's `__init__` after `self`: the body (unless the
    status has none), then each declared header by keyword, optional ones defaulting to
    None: `, body: Pet, *, location: str, rate_limit: int | None = None`."""
    parts = (
        [] if response.status_class == "NoContent" else [f"body: {response.annotation or 'None'}"]
    )
    parts.append("*")
    for header in response.headers:
        if header.required:
            parts.append(f"{header.python_name}: {header.annotation}")
        else:
            parts.append(f"{header.python_name}: {header.annotation} | None = None")
    return "".join(f", {part}" for part in parts)


def header_class_base(response: Response) -> str:
    """The status class a response class extends: `Created[Pet]`, `NoContent`."""
    if response.status_class == "NoContent":
        return "NoContent"
    return f"{response.status_class}[{response.annotation or 'None'}]"


def header_class_super_arguments(response: Response) -> str:
    """The arguments passed on to the status class: the body and the headers by wire name."""
    mapping = ", ".join(
        f"{python_literal(header.wire_name)}: {header.python_name}" for header in response.headers
    )
    body = "" if response.status_class == "NoContent" else "body, "
    return f"{body}headers=header_values({{{mapping}}})"


_PLAIN = frozenset({"str", "int", "float", "bool", "bytes", "Any", "None"})

RESOURCE_ANNOTATION = "resources.Resource"
"""What a handler may return instead of a JSON success body (`specloom_runtime.resources`)."""


def returns_resources(operation: Operation) -> bool:
    """Whether the operation's primary success has a JSON object body a resource may stand
    for (a model, not a list or mapping), and requires no header only its class carries."""
    success = operation.success
    if success is None or success.annotation is None or success.content_type is None:
        return False
    if success.annotation.startswith(("list[", "dict[")) or success.annotation in _PLAIN:
        return False
    if any(header.required for header in success.headers):
        return False
    media = success.content_type.split(";")[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


SERVER_SENT_EVENT = "ServerSentEvent"
"""What an event stream's handler may yield besides an item (`specloom_runtime.streaming`)."""


def streams(operation: Operation) -> bool:
    """Whether the operation's primary success is streamed (server-sent events, JSON lines)."""
    return operation.success is not None and bool(operation.success.stream)


def streams_events(operation: Operation) -> bool:
    """Whether the operation's primary success is a stream of server-sent events."""
    return operation.success is not None and operation.success.stream == "sse"


def handler_def(operation: Operation) -> str:
    """How a handler method is declared: `async def`, or `def` for a streamed success, so
    that an async generator (`async def` with `yield`) overrides it."""
    return "def" if streams(operation) else "async def"


def handler_return(operation: Operation) -> str:
    """A handler's return annotation: the spec's, a resource for a JSON success body, and
    `ServerSentEvent` items in an event stream."""
    annotation = operation.server_return
    success = operation.success
    if success is not None and streams_events(operation):
        item = f"AsyncIterator[{success.annotation}]"
        annotation = annotation.replace(
            item, f"AsyncIterator[{success.annotation} | {SERVER_SENT_EVENT}]", 1
        )
    if returns_resources(operation):
        return f"{annotation} | {RESOURCE_ANNOTATION}"
    return annotation


def forwarded_arguments(operation: Operation) -> str:
    """Every argument of a method as a mapping, the body included: `{"page": page}`."""
    names = [parameter.python_name for parameter in operation.parameters]
    names += ["body"] if operation.body is not None else []
    return "{" + ", ".join(f"{python_literal(name)}: {name}" for name in names) + "}"
