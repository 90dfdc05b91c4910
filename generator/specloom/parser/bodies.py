"""Request bodies: the one media type generated, and its Python type."""

from __future__ import annotations

from collections.abc import Mapping

from specloom.diagnostics import join_pointer
from specloom.ir.model import Body, BodyEncoding
from specloom.naming import component_name
from specloom.parser.context import ParseContext
from specloom.parser.fields import description_of
from specloom.parser.media import MediaChoice, choose_media_type
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import PyType, simple
from specloom.parser.schemas import SchemaConverter


def build_body(
    operation: RawOperation, operation_pascal: str, converter: SchemaConverter, ctx: ParseContext
) -> tuple[Body | None, PyType | None]:
    """The request body and its type, or None when the operation has none."""
    if "requestBody" not in operation.spec:
        return None, None
    pointer = join_pointer(operation.pointer, "requestBody")
    spec, target_pointer = ctx.resolver.follow(operation.spec["requestBody"])
    if not isinstance(spec, Mapping):
        ctx.error("requestBody is not an object (or a resolvable $ref); skipped", pointer)
        return None, None
    pointer = target_pointer or pointer
    content = spec.get("content")
    choice = choose_media_type(content) if isinstance(content, Mapping) else None
    if choice is None:
        ctx.warn("requestBody has no content; skipped", pointer)
        return None, None
    hint = component_name(pointer) or f"{operation_pascal}Request"
    annotation = content_type_annotation(choice, pointer, hint, converter)
    required = spec.get("required") is True
    body = Body(
        annotation=annotation.source if required else annotation.source_or_none,
        content_type=choice.content_type,
        kind=choice.kind,
        required=required,
        description=description_of(spec),
        value_annotation=annotation.source,
        encoding=body_encoding(choice, join_pointer(pointer, "content", choice.content_type), ctx),
    )
    return body, annotation


_FORM_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def body_encoding(choice: MediaChoice, pointer: str, ctx: ParseContext) -> tuple[BodyEncoding, ...]:
    """The `encoding` entries of a form or multipart body (other bodies have none)."""
    encoding = choice.media.get("encoding")
    if choice.kind not in ("form", "multipart") or not isinstance(encoding, Mapping):
        return ()
    entries: list[BodyEncoding] = []
    for name, entry in encoding.items():
        where = join_pointer(pointer, "encoding", str(name))
        if not isinstance(name, str) or not isinstance(entry, Mapping):
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
    """The Python type of a body in the chosen media type: its schema's type for JSON, form
    and multipart, `bytes` for binary, `str` for text."""
    if choice.kind == "binary":
        return simple("bytes")
    if choice.kind == "text":
        return simple("str")
    schema_pointer = join_pointer(pointer, "content", choice.content_type, "schema")
    return converter.annotate(choice.media.get("schema", True), schema_pointer, hint)
