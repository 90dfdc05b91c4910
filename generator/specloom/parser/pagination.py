"""Paginated envelopes: an operation whose success body holds `data` (a list of one
component type) with `links.next` and a `page` parameter, or `meta.next_cursor` and a
`cursor` parameter — the shapes `specloom_runtime.resources` writes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from specloom.diagnostics import join_pointer
from specloom.ir.model import Pagination, Parameter, Response
from specloom.parser.context import ParseContext
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import PyType
from specloom.parser.schemas import SchemaConverter


def detect_pagination(
    raw: RawOperation,
    success: Response | None,
    parameters: tuple[Parameter, ...],
    converter: SchemaConverter,
    ctx: ParseContext,
) -> tuple[Pagination | None, PyType | None]:
    """The pagination of an operation and its items' type; (None, None) when it has none."""
    if success is None or success.content_type is None:
        return None, None
    schema = _success_schema(raw, success, ctx)
    properties = _properties(schema, ctx)
    data = _follow(properties.get("data"), ctx)
    if data.get("type") != "array" or not _is_ref(data.get("items")):
        return None, None
    query = {p.wire_name: p.python_name for p in parameters if p.location == "query"}
    meta = _properties(properties.get("meta"), ctx)
    links = _properties(properties.get("links"), ctx)
    kind: Literal["page", "cursor"]
    if "next" in links and "current_page" in meta and "page" in query:
        kind, parameter = "page", query["page"]
    elif ("next_cursor" in meta or "next_cursor" in properties) and "cursor" in query:
        kind, parameter = "cursor", query["cursor"]
    else:
        return None, None
    pointer = join_pointer(raw.pointer, "responses", success.status)
    items = converter.annotate(data["items"], pointer, "PageItem")
    return Pagination(kind=kind, parameter=parameter, item_annotation=items.source), items


def _success_schema(raw: RawOperation, success: Response, ctx: ParseContext) -> Any:
    responses = raw.spec.get("responses")
    response = responses.get(success.status) if isinstance(responses, dict) else None
    content = _follow(response, ctx).get("content")
    media = content.get(success.content_type) if isinstance(content, dict) else None
    return media.get("schema") if isinstance(media, dict) else None


def _properties(schema: Any, ctx: ParseContext) -> Mapping[str, Any]:
    properties = _follow(schema, ctx).get("properties")
    return properties if isinstance(properties, dict) else {}


def _follow(value: Any, ctx: ParseContext) -> Mapping[str, Any]:
    target, _ = ctx.resolver.follow(value)
    return target if isinstance(target, dict) else {}


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)
