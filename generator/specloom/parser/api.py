"""The parse stage: a bundled OpenAPI document becomes the IR, plus diagnostics."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from msgspec.structs import replace

from specloom import diagnostics
from specloom.diagnostics import Diagnostic, join_pointer
from specloom.ir.model import Api, Operation, Server, Service
from specloom.ir.security import SecurityScheme
from specloom.naming import (
    RESERVED_TYPE_NAMES,
    Scope,
    module_names,
    pascal_case,
    type_scope,
    upper_snake,
)
from specloom.parser import discriminators, shapes
from specloom.parser.context import EnumInfo, ParseContext
from specloom.parser.operations import build_operation
from specloom.parser.ordering import emission_order
from specloom.parser.overlaps import mark_shadowed
from specloom.parser.paths import RawOperation, collect_operations
from specloom.parser.refs import Resolver
from specloom.parser.schemas import SchemaConverter
from specloom.parser.security import parse_requirements, parse_schemes
from specloom.parser.services import ServicePlan, method_names, plan_services, service_key
from specloom.parser.webhooks import (
    collect_webhooks,
    plan_webhooks,
    webhook_key,
    webhook_method_names,
)
from specloom.unread_schemas import EnumMembers, KnownComponents, Unread

_SERVER_VARIABLE = re.compile(r"{([^{}]+)}")


def parse(document: Mapping[str, Any]) -> tuple[Api, list[Diagnostic]]:
    """The IR of an OpenAPI 3.0/3.1/3.2 document whose `$ref`s are all local.

    Never raises on bad input: each problem is a diagnostic with a JSON pointer,
    and whatever is wrong is skipped or typed as `Any` while the rest is parsed.

    Objects are read as `dict`s (as loading gives them; a check for `dict` costs a fifth
    of one for `Mapping`, and the parse makes ~300,000 on a large spec): a document of
    other mappings is copied into dicts first.
    """
    if isinstance(document, Mapping) and not isinstance(document, dict):
        document = _as_dicts(document)
    if not isinstance(document, dict):
        empty = Api("", "", "", "", (), (), ())
        return empty, [diagnostics.error("the document is not an object")]
    named = components_named(document)
    ctx, converter, operations, plans = named.ctx, named.converter, named.operations, named.plans
    hooks, hook_plans, schemes = named.hooks, named.hook_plans, named.schemes
    _convert_components(named.components, converter, ctx)
    built = mark_shadowed(_build_operations(operations, plans, converter, ctx), ctx)
    built_hooks = _build_webhooks(hooks, hook_plans, converter, ctx)
    discriminators.apply_tags(ctx)
    everything = shapes.split_shapes(ctx, built + built_hooks)
    types = emission_order(ctx.slots, ctx)
    everything, schemes = _name_constants(everything, schemes, {t.name for t in types})
    built, built_hooks = everything[: len(built)], everything[len(built) :]
    info = _mapping(document.get("info"))
    api = Api(
        title=_text(info.get("title")),
        version=_scalar_text(info.get("version")),
        description=_text(info.get("description")),
        openapi_version=_scalar_text(document.get("openapi")),
        servers=_servers(document.get("servers"), ctx),
        types=types,
        services=_services(plans, operations, built),
        security_schemes=schemes,
        webhooks=_services(hook_plans, hooks, built_hooks, webhook_key),
        request_shapes=tuple(ctx.request_shapes.items()),
    )
    return api, list(ctx.diagnostics)


def _check_version(document: Mapping[str, Any], ctx: ParseContext) -> None:
    if "swagger" in document:
        ctx.error("Swagger 2.0 documents must be converted to OpenAPI 3 before parsing", "/swagger")
    elif not _scalar_text(document.get("openapi")).startswith("3."):
        ctx.warn("openapi version is missing or not 3.x; parsed as OpenAPI 3", "/openapi")
    if not isinstance(document.get("info"), dict):
        ctx.warn("info must be an object with title and version", "/info")


@dataclass
class Named:
    """A parse up to its component schemas named, none converted yet: what every
    operation is typed against (`parse` goes on from here; `build_one` builds one
    operation from here, to regenerate after an edit of it)."""

    ctx: ParseContext
    converter: SchemaConverter
    operations: list[RawOperation]
    plans: dict[str, ServicePlan]
    hooks: list[RawOperation]
    hook_plans: dict[str, ServicePlan]
    schemes: tuple[SecurityScheme, ...]
    components: list[tuple[str, Any]]
    """Each component schema to convert: its key and its schema."""


def components_named(document: dict[str, Any], known: KnownComponents | None = None) -> Named:
    """The parse of `document` up to its component schemas named (see `Named`); `known`,
    what a full run found of them, names those left `Unread` (`specloom.unread_schemas`)."""
    ctx = ParseContext(Resolver(document))
    _check_version(document, ctx)
    schemes = _parse_security(document, ctx)
    operations = collect_operations(document, ctx)
    hooks = collect_webhooks(document, operations, ctx)
    plans = plan_services(operations, document)
    hook_plans = plan_webhooks(hooks, set())
    ctx.type_names = type_scope(
        [name for plan in plans.values() for name in plan.class_names]
        + [plan.api_class for plan in hook_plans.values()]
    )
    converter = SchemaConverter(ctx)
    components = _name_components(document, converter, ctx, known)
    return Named(ctx, converter, operations, plans, hooks, hook_plans, schemes, components)


def build_one(named: Named, index: int) -> Operation | None:
    """Operation `index` of `named.operations` typed against `named` as `parse` types it
    (its method name from every operation's, its service's plan), before the passes over
    every operation (`mark_shadowed`, request shapes, constant names). Component schemas
    are not converted: an operation whose types depend on their conversion (a union of
    component models) may be typed otherwise than by `parse`, which the caller checks."""
    raw = named.operations[index]
    name = method_names(named.operations)[index]
    ctx = named.ctx
    return build_operation(raw, name, named.plans[service_key(raw)], named.converter, ctx)


def known_components(document: Mapping[str, Any]) -> KnownComponents:
    """What naming reads of each of `document`'s component schemas, by its name in the
    spec: kept by a full run for a rebuild that leaves most of them unread."""
    ctx = ParseContext(Resolver(document))
    converter = SchemaConverter(ctx)
    enums: dict[str, EnumMembers] = {}
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    for key, schema in schemas.items():
        wire = str(key)
        ctx.components.setdefault(wire, wire)
        ctx.component_schemas.setdefault(wire, schema)
        enum_info = converter.component_enum(wire, schema)
        if enum_info is not None:
            enums[wire] = enum_info.members
    return KnownComponents(enums, discriminators.subtypes_by_base(ctx))


def _name_components(
    document: Mapping[str, Any],
    converter: SchemaConverter,
    ctx: ParseContext,
    known: KnownComponents | None = None,
) -> list[tuple[str, Any]]:
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    if "components" in document and not isinstance(document.get("components"), dict):
        ctx.error("components must be an object; ignored", "/components")
    # Every component is named before any is converted: references may point forward.
    components: list[tuple[str, Any]] = []
    for key, schema in schemas.items():
        wire = str(key)
        if wire in ctx.components:
            ctx.warn(
                f"schema name {wire!r} appears twice; the second is skipped", "/components/schemas"
            )
            continue
        components.append((wire, schema))
        name = ctx.type_names.claim(pascal_case(wire))
        ctx.components[wire] = name
        ctx.component_schemas[name] = schema
        ctx.component_wires[name] = wire
        if isinstance(schema, dict):
            ctx.component_ids.setdefault(id(schema), name)
        if isinstance(schema, Unread):
            members = known.enums.get(wire) if known is not None else None
            enum_info = None if members is None else EnumInfo(name, members)
        else:
            enum_info = converter.component_enum(name, schema)
        if enum_info is not None:
            ctx.enums[name] = enum_info
    if known is None:
        ctx.subtypes = discriminators.subtypes_by_base(ctx)
    else:
        ctx.subtypes = known.subtypes_named(ctx.components)
    return components


def _convert_components(
    components: list[tuple[str, Any]], converter: SchemaConverter, ctx: ParseContext
) -> None:
    for wire, schema in components:
        pointer = join_pointer("/components/schemas", wire)
        try:
            converter.define_component(wire, schema, pointer)
        except Exception as exc:  # the last line of defence for one schema
            # Slots left unfilled become `Any` aliases (Slot.built), so every name handed
            # out so far still refers to a definition.
            ctx.error(
                f"schema could not be parsed ({type(exc).__name__}: {exc}); typed as Any", pointer
            )


def _build_operations(
    operations: list[RawOperation],
    plans: dict[str, ServicePlan],
    converter: SchemaConverter,
    ctx: ParseContext,
) -> list[Operation | None]:
    built: list[Operation | None] = []
    for raw, name in zip(operations, method_names(operations), strict=True):
        try:
            built.append(build_operation(raw, name, plans[service_key(raw)], converter, ctx))
        except Exception as exc:  # the last line of defence for one operation
            ctx.error(
                f"operation could not be parsed ({type(exc).__name__}: {exc}); skipped", raw.pointer
            )
            built.append(None)
    return built


def _build_webhooks(
    webhooks: list[RawOperation],
    plans: dict[str, ServicePlan],
    converter: SchemaConverter,
    ctx: ParseContext,
) -> list[Operation | None]:
    built: list[Operation | None] = []
    for raw, name in zip(webhooks, webhook_method_names(webhooks), strict=True):
        try:
            built.append(build_operation(raw, name, plans[webhook_key(raw)], converter, ctx))
        except Exception as exc:  # the last line of defence for one webhook
            ctx.error(
                f"webhook could not be parsed ({type(exc).__name__}: {exc}); skipped", raw.pointer
            )
            built.append(None)
    return built


def _parse_security(document: Mapping[str, Any], ctx: ParseContext) -> tuple[SecurityScheme, ...]:
    schemes = parse_schemes(document, ctx)
    ctx.security_schemes = {scheme.wire_name: scheme for scheme in schemes}
    if "security" in document:
        ctx.default_security = parse_requirements(
            document["security"], "/security", ctx.security_schemes, ctx
        )
        if ctx.default_security is None:
            ctx.warn(
                "no security requirement of the document can be met; the operations without "
                "their own `security` are skipped",
                "/security",
            )
    return schemes


def _name_constants(
    operations: list[Operation | None],
    schemes: tuple[SecurityScheme, ...],
    type_names: set[str],
) -> tuple[list[Operation | None], tuple[SecurityScheme, ...]]:
    """Operation descriptors first, then scheme descriptors: adding a scheme to a spec
    never renames an operation's."""
    scope = Scope(RESERVED_TYPE_NAMES | type_names)
    named = [
        replace(op, constant_name=scope.claim(upper_snake(op.python_name))) if op else None
        for op in operations
    ]
    named_schemes = tuple(
        replace(scheme, constant_name=scope.claim(upper_snake(scheme.python_name)))
        for scheme in schemes
    )
    return named, named_schemes


def _services(
    plans: dict[str, ServicePlan],
    raw: list[RawOperation],
    built: list[Operation | None],
    key: Callable[[RawOperation], str] = service_key,
) -> tuple[Service, ...]:
    grouped: dict[str, list[Operation]] = {attribute: [] for attribute in plans}
    for raw_operation, operation in zip(raw, built, strict=True):
        if operation is not None:
            grouped[key(raw_operation)].append(operation)
    kept = [(attribute, plan) for attribute, plan in plans.items() if grouped[attribute]]
    modules = module_names(plan.attribute_name for _, plan in kept)
    return tuple(
        Service(
            tag=plan.tag,
            attribute_name=plan.attribute_name,
            module_name=module,
            client_class=plan.client_class,
            api_class=plan.api_class,
            description=plan.description,
            operations=tuple(grouped[attribute]),
        )
        for (attribute, plan), module in zip(kept, modules, strict=True)
    )


def _servers(value: Any, ctx: ParseContext) -> tuple[Server, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        ctx.warn("servers must be a list; ignored", "/servers")
        return ()
    servers = []
    for index, server in enumerate(value):
        if not isinstance(server, dict) or not isinstance(server.get("url"), str):
            ctx.warn("server has no url; ignored", join_pointer("/servers", index))
            continue
        url = _substitute_variables(server["url"], _mapping(server.get("variables")))
        servers.append(Server(url, _text(server.get("description"))))
    return tuple(servers)


def _substitute_variables(url: str, variables: Mapping[str, Any]) -> str:
    """The URL with each `{variable}` replaced by its default."""

    def default(match: re.Match[str]) -> str:
        variable = _mapping(variables.get(match.group(1)))
        return _scalar_text(variable.get("default")) or match.group(0)

    return _SERVER_VARIABLE.sub(default, url)


def _as_dicts(value: Any) -> Any:
    """`value` with every mapping in it a `dict`."""
    if isinstance(value, Mapping):
        return {key: _as_dicts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_dicts(item) for item in value]
    return value


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _scalar_text(value: Any) -> str:
    """A string, or a number YAML read from an unquoted version (`version: 1.0`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""
