"""Request bodies: the one media type generated, and its Python type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from specloom.diagnostics import join_pointer
from specloom.ir.model import Body, BodyEncoding, XmlShape
from specloom.naming import component_name, pascal_case
from specloom.parser.context import ParseContext
from specloom.parser.fields import description_of
from specloom.parser.media import MediaChoice, ranked_media_types
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import ANY, PyType, dict_of, simple, union
from specloom.parser.schemas import SchemaConverter
from specloom.parser.xml import xml_shape


def build_body(
    operation: RawOperation, operation_pascal: str, converter: SchemaConverter, ctx: ParseContext
) -> tuple[Body | None, list[PyType]]:
    """The request body, or None when the operation has none, and the types it refers to:
    its annotation and, apart, each media type's own (written out beside the union, which
    `Any` absorbs)."""
    if "requestBody" not in operation.spec:
        return None, []
    pointer = join_pointer(operation.pointer, "requestBody")
    spec, target_pointer = ctx.resolver.follow(operation.spec["requestBody"])
    if not isinstance(spec, dict):
        ctx.error("requestBody is not an object (or a resolvable $ref); skipped", pointer)
        return None, []
    pointer = target_pointer or pointer
    content = spec.get("content")
    choices = ranked_media_types(content) if isinstance(content, dict) else []
    if not choices:
        ctx.warn("requestBody has no content; skipped", pointer)
        return None, []
    choices = choices[:1] + [each for each in choices[1:] if typed_as_declared(each)]
    choice = choices[0]
    warn_unused_schema(choice, pointer, ctx)
    hint = component_name(pointer) or f"{operation_pascal}Request"
    typed = [
        (
            each.wire_content_type,
            _body_annotation(each, pointer, hint + media_suffix(each, i), converter, ctx),
        )
        for i, each in enumerate(choices)
    ]
    annotation = union(each for _, each in typed)
    required = spec.get("required") is True
    structured = next((each for each in choices if each.kind in ("form", "multipart")), choice)
    body = Body(
        annotation=annotation.source if required else annotation.source_or_none,
        content_type=choice.wire_content_type,
        kind=choice.kind,
        required=required,
        description=description_of(spec),
        value_annotation=annotation.source,
        encoding=body_encoding(
            structured, join_pointer(pointer, "content", structured.content_type), ctx
        ),
        media=tuple((media, each.source) for media, each in typed) if len(typed) > 1 else (),
        xml=xml_shape_of(choices, pointer, hint, ctx),
    )
    return body, [annotation, *(each for _, each in typed)]


def _body_annotation(
    choice: MediaChoice, pointer: str, hint: str, converter: SchemaConverter, ctx: ParseContext
) -> PyType:
    """`content_type_annotation`, but a form or multipart body whose schema can only be
    something other than an object (a binary string, as some specs give a file upload) is
    typed `dict[str, Any]`, with a warning: a form's fields and a multipart body's parts
    are named, and such a schema names none, so the caller names them."""
    if choice.kind in ("form", "multipart"):
        schema_pointer = join_pointer(pointer, "content", choice.content_type, "schema")
        kind = _not_an_object(choice.media.get("schema"), ctx)
        if kind is not None:
            named = "parts" if choice.kind == "multipart" else "fields"
            ctx.warn(
                f"the {choice.content_type} body is a set of named {named}, but its schema is "
                f"{kind}, which names none: the body is typed dict[str, Any], its {named} "
                "by name",
                schema_pointer,
            )
            return dict_of(ANY)
    return content_type_annotation(choice, pointer, hint, converter)


_NOT_OBJECTS = {
    "string": "a string",
    "array": "an array",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}


def _not_an_object(schema: Any, ctx: ParseContext) -> str | None:
    """What a body's schema is ("a string") when it can only be a value other than an
    object; None when it may be an object, or says nothing."""
    target, _ = ctx.resolver.follow(schema)
    if not isinstance(target, dict) or any(
        key in target for key in ("properties", "additionalProperties", "allOf", "oneOf", "anyOf")
    ):
        return None
    kind = target.get("type")
    return _NOT_OBJECTS.get(kind) if isinstance(kind, str) else None


def xml_shape_of(
    choices: list[MediaChoice], pointer: str, hint: str, ctx: ParseContext
) -> XmlShape | None:
    """The XML shape of the first XML media type with a structured schema; None without one."""
    choice = next((each for each in choices if each.kind == "xml"), None)
    if choice is None:
        return None
    schema_pointer = join_pointer(pointer, "content", choice.content_type, "schema")
    return xml_shape(choice.media.get("schema"), schema_pointer, hint, ctx.resolver, ctx.warn)


def typed_as_declared(choice: MediaChoice) -> bool:
    """Whether a media type's body gets the type its schema says: JSON, form, multipart and
    XML bodies do; text and binary bodies are `str` and `bytes`, which only a string schema
    (or none) says. (`text/csv` or `image/png` beside `application/json`, with the same
    object schema, would only add `bytes` or `str` to the type.)"""
    if choice.kind in ("json", "form", "multipart", "xml"):
        return True
    schema = choice.media.get("schema")
    return schema is None or (isinstance(schema, dict) and schema.get("type") == "string")


def media_suffix(choice: MediaChoice, index: int) -> str:
    """The part of a type name that tells alternative media types apart (`ProblemJson`)."""
    if index == 0:
        return ""
    subtype = choice.content_type.split(";", 1)[0].rsplit("/", 1)[-1]
    return pascal_case(subtype, fallback="Media")


_FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def body_encoding(choice: MediaChoice, pointer: str, ctx: ParseContext) -> tuple[BodyEncoding, ...]:
    """The `encoding` entries of a form or multipart body (other bodies have none)."""
    encoding = choice.media.get("encoding")
    if choice.kind not in ("form", "multipart") or not isinstance(encoding, dict):
        return ()
    entries: list[BodyEncoding] = []
    for name, entry in encoding.items():
        where = join_pointer(pointer, "encoding", str(name))
        if not isinstance(name, str) or not isinstance(entry, dict):
            ctx.warn("encoding entry is not an object; ignored", where)
            continue
        content_type = entry.get("contentType")
        style = entry.get("style")
        explode = entry.get("explode")
        if style is not None and style not in _FORM_STYLES:
            ctx.warn(
                f"style {style!r} is not one a form property can take "
                f"({', '.join(_FORM_STYLES)}); the property is sent as if it had none",
                join_pointer(where, "style"),
            )
            style = None
        encoded = BodyEncoding(
            wire_name=name,
            content_type=content_type.strip() if isinstance(content_type, str) else "",
            style=style or "",
            explode=explode if isinstance(explode, bool) else None,
        )
        if encoded.content_type or encoded.style or encoded.explode is not None:
            entries.append(encoded)
    return tuple(entries)


def content_type_annotation(
    choice: MediaChoice, pointer: str, hint: str, converter: SchemaConverter
) -> PyType:
    """The Python type of a body in the chosen media type: its schema's type for JSON, form,
    multipart and XML, `bytes` for binary, `str` for text."""
    if choice.kind == "binary":
        return simple("bytes")
    if choice.kind == "text":
        return simple("str")
    schema_pointer = join_pointer(pointer, "content", choice.content_type, "schema")
    annotation = converter.annotate(choice.media.get("schema", True), schema_pointer, hint)
    if choice.kind in ("form", "multipart") and annotation.is_any:
        # A schema that says nothing (`schema: {}`): a form is still a set of named fields.
        return dict_of(ANY).with_nullable(annotation.nullable)
    return annotation


def warn_unused_schema(choice: MediaChoice, pointer: str, ctx: ParseContext) -> None:
    """Warn when the chosen media type carries only bytes or text but its schema describes
    structured data (an object under `image/gif`, as Swagger 2 conversions write streams):
    the body is typed `bytes` or `str` and the schema is not used."""
    if choice.kind not in ("binary", "text") or is_xml(choice.content_type):
        return  # XML carries structured data: a schema of its own, not a mistake
    schema, _ = ctx.resolver.follow(choice.media.get("schema"))
    if not isinstance(schema, dict) or not _is_structured(schema):
        return
    python_type, carries = ("bytes", "bytes") if choice.kind == "binary" else ("str", "text")
    ctx.warn(
        f"the schema describes structured data, but the media type {choice.content_type} "
        f"carries {carries}: the body is typed {python_type} and the schema is not used",
        join_pointer(pointer, "content", choice.content_type, "schema"),
    )


def is_xml(content_type: str) -> bool:
    """Whether a media type is XML (`application/xml`, `text/xml`, `…+xml`)."""
    return content_type.split(";", 1)[0].strip().lower().endswith(("/xml", "+xml"))


def _is_structured(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(k in ("object", "array") for k in kinds) or any(
        key in schema for key in ("properties", "items", "allOf", "oneOf", "anyOf")
    )
