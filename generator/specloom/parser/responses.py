"""Responses: one per declared status, the primary success, and the return annotations of
client and handler methods."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

import msgspec
from msgspec.structs import replace

from specloom.diagnostics import join_pointer
from specloom.ir.model import Response, ResponseHeader
from specloom.naming import component_name, field_name, parameter_scope, pascal_case
from specloom.parser.bodies import (
    content_type_annotation,
    media_suffix,
    typed_as_declared,
    warn_unused_schema,
    xml_shape_of,
)
from specloom.parser.context import ParseContext
from specloom.parser.fields import description_of
from specloom.parser.media import ranked_media_types
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import PyType, simple, union
from specloom.parser.schemas import SchemaConverter

STATUS_CLASSES = {
    "200": "Ok",
    "201": "Created",
    "202": "Accepted",
    "204": "NoContent",
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "422": "UnprocessableEntity",
    "429": "TooManyRequests",
    "500": "InternalServerError",
}
"""`specloom_runtime.server` classes by status; any other status is `WithStatus`."""

BODILESS_STATUSES = frozenset({"204", "205", "304"})
"""Statuses whose responses never carry a body (RFC 9110, 15.3.5, 15.3.6 and 15.4.5)."""

_STATUS = re.compile(r"[1-5]([0-9][0-9]|XX)\Z", re.IGNORECASE)


ANY_SUCCESS = Response(
    status="2XX",
    annotation=None,
    content_type=None,
    description="Success (the spec declares no success response).",
    is_success=True,
    status_class="WithStatus",
)
"""The success of an operation that declares none."""


class Responses(msgspec.Struct, frozen=True):
    """Everything an operation's responses contribute to it."""

    responses: tuple[Response, ...]
    success: Response | None
    client_return: str
    client_response: str
    server_return: str
    status_classes: tuple[str, ...]
    types: tuple[PyType, ...]


def build_responses(
    operation: RawOperation, operation_pascal: str, converter: SchemaConverter, ctx: ParseContext
) -> Responses:
    """The declared responses in spec order, with the primary success (the lowest 2xx, or
    `default` when there is no 2xx, else the lowest 3xx, else `ANY_SUCCESS`) and the return
    annotations derived from them."""
    declared = _declared_statuses(operation, ctx)
    has_2xx = any(status.startswith("2") for status in declared)
    successes = [s for s in declared if s.startswith("2") or (s == "default" and not has_2xx)]
    if not successes:
        # Only redirects and errors (GitHub's archive downloads answer 302 with a Location):
        # the redirect is the outcome, returned to the caller rather than followed.
        successes = [s for s in declared if s.startswith("3")]
    primary = min(successes) if successes else None
    responses: list[Response] = []
    types: list[PyType] = []
    for status, value in declared.items():
        pointer = join_pointer(operation.pointer, "responses", status)
        hint = f"{operation_pascal}Response" + _hint_suffix(status, primary)
        response, referenced = _response(
            status, value, pointer, hint, status in successes, converter, ctx, operation.method
        )
        if response is not None:
            headers, header_types = _headers(value, pointer, hint, converter, ctx)
            if headers and response.status_class != "WithStatus":
                class_name = ctx.type_names.claim(operation_pascal + response.status_class)
                response = replace(response, headers=headers, headers_class=class_name)
                types += header_types
            responses.append(response)
            types += referenced
    if primary is None:
        # Nothing says what success looks like (only errors are declared, as in callfire):
        # any 2xx without a body is a success, on both sides.
        primary = ANY_SUCCESS.status
        responses.append(ANY_SUCCESS)
    success = next((r for r in responses if r.status == primary), None)
    server_parts = _server_return_parts(responses, success)
    return Responses(
        responses=tuple(responses),
        success=success,
        client_return=(success.annotation or "None") if success else "None",
        client_response=_client_response(responses, success),
        server_return=" | ".join(server_parts),
        status_classes=tuple(
            sorted({r.status_class for r in responses if r is not success or not r.stream})
        ),
        types=tuple(types),
    )


def _declared_statuses(operation: RawOperation, ctx: ParseContext) -> dict[str, object]:
    value = operation.spec.get("responses")
    pointer = join_pointer(operation.pointer, "responses")
    if value is None:
        return {}
    if not isinstance(value, dict):
        ctx.error("responses must be an object; ignored", pointer)
        return {}
    declared: dict[str, object] = {}
    for key, response in value.items():
        status = str(key)
        if status.startswith("x-"):
            continue
        if status != "default" and not _STATUS.match(status):
            ctx.warn(f"{status!r} is not a status code, range or 'default'; skipped", pointer)
            continue
        declared[status] = response
    return declared


def _response(
    status: str,
    value: object,
    pointer: str,
    hint: str,
    is_success: bool,
    converter: SchemaConverter,
    ctx: ParseContext,
    method: str,
) -> tuple[Response | None, list[PyType]]:
    """The response and the types it refers to: its annotation and, apart, each media
    type's own (written out beside the union, which `Any` absorbs)."""
    spec, target_pointer = ctx.resolver.follow(value)
    if not isinstance(spec, dict):
        ctx.error("response is not an object (or a resolvable $ref); skipped", pointer)
        return None, []
    used_at, pointer = pointer, target_pointer or pointer
    hint = component_name(pointer) or hint
    content = spec.get("content")
    if isinstance(content, dict) and content and (status in BODILESS_STATUSES or method == "HEAD"):
        # HTTP forbids a body here (RFC 9110): a server sends none, whatever the spec says.
        media_types = ", ".join(str(key) for key in content)
        head = method == "HEAD" and status not in BODILESS_STATUSES
        what = "an answer to HEAD" if head else f"a {status} response"
        ctx.warn(
            f"{what} has no body in HTTP, but this one declares {media_types}; "
            f"the content is dropped: nothing is sent or read for {status}",
            # A response shared with other methods is reported where HEAD uses it.
            used_at if head else join_pointer(pointer, "content"),
        )
        content = None
    choices = ranked_media_types(content) if isinstance(content, dict) else []
    choice = choices[0] if choices else None
    stream = _stream_kind(choice.content_type) if choice is not None else ""
    typed: list[tuple[str, PyType]] = []
    annotation = None
    if choice is not None and stream:
        annotation = _item_type(
            choice.media, stream, pointer, choice.content_type, hint, converter, ctx
        )
    elif choice is not None:
        warn_unused_schema(choice, pointer, ctx)
        # Every declared media type is kept: the first (preferred) names the type after the
        # response, the others after their media type too (`...ProblemJson`).
        choices = choices[:1] + [
            each
            for each in choices[1:]
            if typed_as_declared(each) and not _stream_kind(each.content_type)
        ]
        typed = [
            (
                each.wire_content_type,
                content_type_annotation(each, pointer, hint + media_suffix(each, index), converter),
            )
            for index, each in enumerate(choices)
        ]
        annotation = union(each for _, each in typed)
    distinct = {each.source for _, each in typed}
    description = spec.get("description")
    response = Response(
        status=status,
        annotation=annotation.source if annotation is not None else None,
        content_type=choices[0].wire_content_type if choices else None,
        description=description if isinstance(description, str) else "",
        is_success=is_success,
        status_class=STATUS_CLASSES.get(status, "WithStatus"),
        media=tuple((media, each.source) for media, each in typed) if len(distinct) > 1 else (),
        stream=stream,
        xml=xml_shape_of(choices, pointer, hint, ctx) if typed else None,
    )
    referenced = [annotation] if annotation is not None else []
    return response, referenced + [each for _, each in typed]


_STREAMS: dict[str, Literal["sse", "jsonl"]] = {
    "text/event-stream": "sse",
    "application/jsonl": "jsonl",
    "application/x-ndjson": "jsonl",
    "application/x-jsonlines": "jsonl",
}


def _stream_kind(content_type: str) -> Literal["", "sse", "jsonl"]:
    return _STREAMS.get(content_type.split(";", 1)[0].strip().lower(), "")


def _item_type(
    media: Mapping[str, Any],
    stream: str,
    pointer: str,
    content_type: str,
    hint: str,
    converter: SchemaConverter,
    ctx: ParseContext,
) -> PyType:
    """The type of each item of a streamed body: the 3.2 `itemSchema`, else the `schema` of
    JSON lines; events without an `itemSchema` are text.

    The `itemSchema` of an event stream describes the event (`data`, `event`, `id`,
    `retry`): the item is its `data`, typed by the `contentSchema` of `data` (text
    without one). An `itemSchema` without a `data` property is taken as the data's own.
    """
    key = "itemSchema" if "itemSchema" in media else "schema"
    if key not in media or (stream == "sse" and key == "schema"):
        return simple("str")
    item_pointer = join_pointer(pointer, "content", content_type, key)
    if stream == "sse":
        event, event_pointer = ctx.resolver.follow(media[key])
        properties = event.get("properties") if isinstance(event, dict) else None
        data = properties.get("data") if isinstance(properties, dict) else None
        if data is not None:
            data_pointer = join_pointer(event_pointer or item_pointer, "properties", "data")
            data, followed = ctx.resolver.follow(data)
            if not isinstance(data, dict) or "contentSchema" not in data:
                return simple("str")
            schema_pointer = join_pointer(followed or data_pointer, "contentSchema")
            return converter.annotate(data["contentSchema"], schema_pointer, hint + "Item")
    return converter.annotate(media[key], item_pointer, hint + "Item")


def _headers(
    value: object, pointer: str, hint: str, converter: SchemaConverter, ctx: ParseContext
) -> tuple[tuple[ResponseHeader, ...], list[PyType]]:
    """The headers a response declares, typed by their schemas; required ones first."""
    spec, target_pointer = ctx.resolver.follow(value)
    declared = spec.get("headers") if isinstance(spec, dict) else None
    if not isinstance(declared, dict):
        return (), []
    pointer = join_pointer(target_pointer or pointer, "headers")
    scope = parameter_scope()
    headers: list[ResponseHeader] = []
    types: list[PyType] = []
    for wire_name, header_value in declared.items():
        if not isinstance(wire_name, str) or wire_name.lower() == "content-type":
            continue
        header, header_pointer = ctx.resolver.follow(header_value)
        header_pointer = header_pointer or join_pointer(pointer, wire_name)
        if not isinstance(header, dict):
            ctx.warn("header is not an object (or a resolvable $ref); skipped", header_pointer)
            continue
        header_hint = hint + pascal_case(wire_name, fallback="Header")
        annotation = _header_type(header, header_pointer, header_hint, converter)
        types.append(annotation)
        headers.append(
            ResponseHeader(
                python_name=field_name(wire_name, scope),
                wire_name=wire_name,
                annotation=annotation.with_nullable(False).source,
                required=header.get("required") is True,
                description=description_of(header),
            )
        )
    headers.sort(key=lambda h: not h.required)
    return tuple(headers), types


def _header_type(
    header: Mapping[str, Any], pointer: str, hint: str, converter: SchemaConverter
) -> PyType:
    schema = header.get("schema")
    if schema is None:
        return simple("str")
    return converter.annotate(schema, join_pointer(pointer, "schema"), hint)


def _hint_suffix(status: str, primary: str | None) -> str:
    if status == primary:
        return ""
    return "Default" if status == "default" else status.upper()


def _client_response(responses: list[Response], success: Response | None) -> str:
    """The union of every declared body type, the primary success first and None last: what
    `data` holds when error statuses are returned instead of raised."""
    first = [success] if success else []
    annotations = [r.annotation or "None" for r in [*first, *responses]]
    parts = [annotation for annotation in dict.fromkeys(annotations) if annotation != "None"]
    if "None" in annotations or not parts:
        parts.append("None")
    return " | ".join(parts)


def _server_return_parts(responses: list[Response], success: Response | None) -> list[str]:
    """The members of a handler's return annotation: the success body itself (unless the
    success requires headers, which only its response class can carry), then one status
    class per response, the success's included (to add headers or cookies to it)."""
    parts = [(success.annotation or "None") if success else "None"]
    if success is not None and any(header.required for header in success.headers):
        parts = []
    for response in responses:
        if response is success and response.stream:
            parts = [f"AsyncIterator[{response.annotation}]"]
            continue
        if response.headers_class:
            part = response.headers_class
        elif response.status_class == "NoContent":
            part = "NoContent"
        else:
            part = f"{response.status_class}[{response.annotation or 'None'}]"
        if part not in parts:
            parts.append(part)
    return parts
