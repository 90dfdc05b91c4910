"""Operations: one IR `Operation` from a path item's method, fully typed."""

from __future__ import annotations

from specloom.ir.model import Operation
from specloom.naming import pascal_case
from specloom.parser.bodies import build_body
from specloom.parser.context import ParseContext
from specloom.parser.fragments import select_by_fragment
from specloom.parser.pagination import detect_pagination
from specloom.parser.parameters import build_parameters, declared_parameters
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import references_of
from specloom.parser.responses import build_responses
from specloom.parser.schemas import SchemaConverter
from specloom.parser.security import operation_security
from specloom.parser.services import ServicePlan


def build_operation(
    raw: RawOperation,
    python_name: str,
    service: ServicePlan,
    converter: SchemaConverter,
    ctx: ParseContext,
) -> Operation | None:
    """The operation, its constant name still empty (constants are named globally, later);
    None when its security cannot be met (it refers only to undefined schemes)."""
    security = operation_security(raw.spec, raw.pointer, ctx)
    if security is None:
        if "security" in raw.spec:  # else the document's is at fault, and says so once
            ctx.warn("no security requirement of the operation can be met; skipped", raw.pointer)
        return None
    pascal = pascal_case(python_name, fallback="Operation")
    selector = select_by_fragment(raw.path, declared_parameters(raw, ctx))
    parameters, parameter_types = build_parameters(
        raw, pascal, converter, ctx, replaced=selector.replaced
    )
    body, body_types = build_body(raw, pascal, converter, ctx)
    responses = build_responses(raw, pascal, converter, ctx)
    pagination, item_type = detect_pagination(raw, responses.success, parameters, converter, ctx)
    types = [*parameter_types, *body_types, *responses.types]
    types += [item_type] if item_type is not None else []
    return Operation(
        python_name=python_name,
        operation_id=raw.operation_id,
        constant_name="",
        method=raw.method,
        path=selector.path,
        tag=service.tag,
        summary=_text(raw.spec.get("summary")),
        description=_text(raw.spec.get("description")),
        deprecated=raw.spec.get("deprecated") is True,
        parameters=parameters,
        body=body,
        responses=responses.responses,
        success=responses.success,
        client_return=responses.client_return,
        client_response=responses.client_response,
        server_return=responses.server_return,
        pointer=raw.pointer,
        references=references_of(types),
        status_classes=responses.status_classes,
        tags=raw.tags,
        security=security,
        constant_headers=selector.headers,
        constant_query=selector.query,
        pagination=pagination,
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
