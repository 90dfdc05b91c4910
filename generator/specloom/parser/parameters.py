"""Operation parameters: path-level and operation-level merged, typed and named."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, cast

import msgspec

from specloom.diagnostics import join_pointer
from specloom.ir.model import Parameter, ParameterLocation
from specloom.naming import component_name, parameter_scope, pascal_case, snake_case
from specloom.parser.context import ParseContext
from specloom.parser.defaults import default_literal
from specloom.parser.fields import constraints, description_of, kept_pattern, pattern_argument
from specloom.parser.media import choose_media_type
from specloom.parser.paths import RawOperation
from specloom.parser.pytypes import ANY, PyType, simple
from specloom.parser.schemas import SchemaConverter
from specloom.path_keys import is_variable, path_variables, query_string_terms

STYLES: dict[str, tuple[str, ...]] = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form", "cookie"),
}
"""The styles each location allows; the first is the default."""

_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
_SCALARS = frozenset({"str", "int", "float", "bool"})


class _Declared(msgspec.Struct, frozen=True):
    """A parameter object after `$ref`s, with where it was found."""

    spec: Mapping[str, Any]
    pointer: str
    name: str
    location: ParameterLocation


def build_parameters(
    operation: RawOperation,
    operation_pascal: str,
    converter: SchemaConverter,
    ctx: ParseContext,
    *,
    replaced: Collection[tuple[str, ParameterLocation]] = (),
) -> tuple[tuple[Parameter, ...], list[PyType]]:
    """The operation's parameters (required first, spec order within) and their types,
    without the `replaced` ones ((wire name, location) of those a constant stands for)."""
    declared = [d for d in _merged(operation, ctx) if (d.name, d.location) not in replaced]
    _report_field_clashes(declared, {name for name, where in replaced if where == "query"}, ctx)
    typed = [(d, _parameter_type(d, operation_pascal, converter, ctx)) for d in declared]
    typed.sort(key=lambda entry: not _is_required(entry[0]))
    scope = parameter_scope()
    parameters = tuple(
        _parameter(d, t, scope.claim(snake_case(d.name, fallback="param")), ctx) for d, t in typed
    )
    return parameters, [t for _, t in typed]


def declared_parameters(
    operation: RawOperation, ctx: ParseContext
) -> frozenset[tuple[str, ParameterLocation]]:
    """(wire name, location) of every parameter the operation and its path item declare;
    `build_parameters` reports what is wrong with them."""
    found: set[tuple[str, ParameterLocation]] = set()
    own = operation.spec.get("parameters")
    for value in [
        *(p for p, _ in operation.path_parameters),
        *(own if isinstance(own, list) else []),
    ]:
        spec, _ = ctx.resolver.follow(value)
        if (
            isinstance(spec, dict)
            and isinstance(spec.get("name"), str)
            and spec.get("in") in STYLES
        ):
            found.add((spec["name"], cast(ParameterLocation, spec["in"])))
    return frozenset(found)


def _merged(operation: RawOperation, ctx: ParseContext) -> list[_Declared]:
    merged: dict[tuple[str, str], _Declared] = {}
    own = operation.spec.get("parameters")
    own_pointer = join_pointer(operation.pointer, "parameters")
    if own is not None and not isinstance(own, list):
        ctx.error("parameters must be a list; ignored", own_pointer)
        own = []
    own_entries = [(p, join_pointer(own_pointer, i)) for i, p in enumerate(own or [])]
    for value, pointer in [*operation.path_parameters, *own_entries]:
        declared = _declared(value, pointer, ctx)
        if declared is not None:
            merged[(declared.name, declared.location)] = declared  # the operation's own win
    for name in path_variables(operation.path):
        if (name, "path") not in merged:
            ctx.warn(f"path parameter {name!r} is not declared; typed as str", operation.pointer)
            spec = {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            merged[(name, "path")] = _Declared(spec, operation.pointer, name, "path")
    url_variables = set(path_variables(operation.path))
    for name, value in query_string_terms(operation.path):
        if not is_variable(value) or (name, "query") in merged:
            continue
        variable = value[1:-1]
        as_path = merged.get((variable, "path"))
        if as_path is not None and variable not in url_variables:
            # Validators want each `{variable}` of the key declared `in: path` (weatherbit's
            # `/alerts?lat={lat}&lon={lon}` does so): that declaration is the query
            # parameter, its schema and description kept.
            merged = _renamed(merged, (variable, "path"), _as_query(as_path, name))
            continue
        ctx.warn(
            f"query parameter {name!r} of the path key's query string is not declared;"
            " typed as str",
            operation.pointer,
        )
        spec = {"name": name, "in": "query", "required": True, "schema": {"type": "string"}}
        merged[(name, "query")] = _Declared(spec, operation.pointer, name, "query")
    return list(merged.values())


def _as_query(declared: _Declared, name: str) -> _Declared:
    """A path parameter declaration as the required query parameter `name` (a path style
    means nothing in a query: the query's default applies)."""
    spec = {k: v for k, v in declared.spec.items() if k not in ("style", "explode")}
    spec.update(name=name, required=True)
    spec["in"] = "query"
    return _Declared(spec, declared.pointer, name, "query")


def _renamed(
    merged: dict[tuple[str, str], _Declared], old: tuple[str, str], new: _Declared
) -> dict[tuple[str, str], _Declared]:
    """`merged` with the entry `old` replaced by `new`, in its place (the order is the
    parameters' order in the method)."""
    return {
        ((new.name, new.location) if key == old else key): (new if key == old else value)
        for key, value in merged.items()
    }


def _declared(value: Any, pointer: str, ctx: ParseContext) -> _Declared | None:
    spec, target_pointer = ctx.resolver.follow(value)
    if not isinstance(spec, dict):
        ctx.error("parameter is not an object (or a resolvable $ref); skipped", pointer)
        return None
    pointer = target_pointer or pointer
    name, location = spec.get("name"), spec.get("in")
    if not isinstance(name, str) or not name:
        ctx.warn("parameter has no name; skipped", pointer)
        return None
    if location not in STYLES:
        ctx.warn(f"parameter {name!r} has unsupported location {location!r}; skipped", pointer)
        return None
    if location == "header" and name.lower() in _IGNORED_HEADERS:
        # OpenAPI says these definitions SHALL be ignored: not worth a warning under --strict.
        return None
    return _Declared(spec, pointer, name, cast(ParameterLocation, location))


def _report_field_clashes(
    declared: list[_Declared], constants: Collection[str], ctx: ParseContext
) -> None:
    """Warn of an exploded `form` query object whose property has the name of another query
    parameter or of a property of another such object, and of two such maps: each
    property is a pair of its own, which a server gives to both, so the client refuses to
    send it."""
    query = [d for d in declared if d.location == "query"]
    taken = {d.name for d in query} | set(constants)
    owners: dict[str, str] = {}
    open_map: str | None = None
    for each in query:
        style = each.spec.get("style", "form")
        explode = each.spec.get("explode", style == "form")
        if style != "form" or explode is not True:
            continue
        properties = _property_names(each.spec.get("schema"), ctx)
        if not properties and _is_map(each.spec.get("schema"), ctx):
            if open_map is not None:
                ctx.warn(
                    f"query parameters {open_map!r} and {each.name!r} (form, exploded) both "
                    f"take any key: sent as its own pair, a key reaches both, so the client "
                    f"refuses to send their keys",
                    each.pointer,
                )
            open_map = open_map or each.name
        for name in sorted(properties & (taken - {each.name})):
            ctx.warn(
                f"query parameter {each.name!r} (form, exploded) has a property {name!r} "
                f"named like another query parameter: the two cannot be told apart, and "
                f"the client refuses to send that property",
                each.pointer,
            )
        for name in sorted(properties - taken):
            owner = owners.setdefault(name, each.name)
            if owner != each.name:
                ctx.warn(
                    f"query parameters {owner!r} and {each.name!r} (form, exploded) both "
                    f"have a property {name!r}: sent as its own pair, it reaches both, so the "
                    f"client refuses to send it",
                    each.pointer,
                )


def _is_map(schema: Any, ctx: ParseContext) -> bool:
    """Whether an object schema without properties takes any key (`additionalProperties`
    not false): a map, each of whose keys an exploded `form` parameter sends as a pair."""
    source, _ = ctx.resolver.follow(schema)
    if not isinstance(source, dict):
        return False
    additional = source.get("additionalProperties", True)
    object_like = source.get("type") == "object" or "additionalProperties" in source
    return object_like and additional is not False


def _property_names(schema: Any, ctx: ParseContext, depth: int = 0) -> set[str]:
    """The property names of an object schema, through `$ref` and `allOf` (a few levels
    deep: an `allOf` may lead back to its own schema)."""
    source, _ = ctx.resolver.follow(schema)
    if not isinstance(source, dict) or depth > 8:
        return set()
    properties = source.get("properties")
    names = set(properties) if isinstance(properties, dict) else set()
    members = source.get("allOf")
    for member in members if isinstance(members, list) else []:
        names |= _property_names(member, ctx, depth + 1)
    return names


def _is_required(declared: _Declared) -> bool:
    return declared.location == "path" or declared.spec.get("required") is True


def _parameter_type(
    declared: _Declared, operation_pascal: str, converter: SchemaConverter, ctx: ParseContext
) -> PyType:
    # A reusable parameter's types are named after it, whichever operation comes first.
    hint = component_name(declared.pointer) or (
        operation_pascal + pascal_case(declared.name, fallback="Param")
    )
    spec = declared.spec
    if "schema" in spec:
        return converter.annotate(spec["schema"], join_pointer(declared.pointer, "schema"), hint)
    content = spec.get("content")
    choice = choose_media_type(content) if isinstance(content, dict) else None
    if choice is None:
        ctx.warn(f"parameter {declared.name!r} has no schema; typed as Any", declared.pointer)
        return ANY
    if choice.kind == "text":
        return simple("str")
    media_pointer = join_pointer(declared.pointer, "content", choice.content_type, "schema")
    annotation = converter.annotate(choice.media.get("schema", True), media_pointer, hint)
    if choice.kind != "json" and not set(annotation.members) <= _SCALARS:
        ctx.warn(
            f"parameter {declared.name!r} is declared with content {choice.content_type!r}; "
            "it is typed from that schema but serialized with its location's default style",
            declared.pointer,
        )
    return annotation


def _parameter(
    declared: _Declared, annotation: PyType, python_name: str, ctx: ParseContext
) -> Parameter:
    spec = declared.spec
    required = _is_required(declared)
    default = None
    schema = spec.get("schema")
    if not required and isinstance(schema, dict):
        source, _ = ctx.resolver.follow(schema)
        if isinstance(source, dict) and "default" in source:
            pointer = join_pointer(declared.pointer, "schema", "default")
            default, _ = default_literal(source["default"], schema, annotation, ctx, pointer)
    style = _style(declared, ctx)
    explode = spec.get("explode")
    client_default = _only_value(declared, annotation, ctx) if required else None
    return Parameter(
        python_name=python_name,
        wire_name=declared.name,
        location=declared.location,
        annotation=annotation.source if required else annotation.source_or_none,
        required=required,
        description=description_of(spec),
        style=style,
        explode=explode if isinstance(explode, bool) else style == "form",
        default=default,
        deprecated=spec.get("deprecated") is True,
        value_annotation=annotation.source,
        constraints=_constraints(declared, annotation, ctx),
        content_type=_json_content_type(declared),
        client_default=client_default,
    )


def _only_value(declared: _Declared, annotation: PyType, ctx: ParseContext) -> str | None:
    """The literal of the one value the parameter's schema allows (`enum: [x]`), if any."""
    schema = declared.spec.get("schema")
    source, _ = ctx.resolver.follow(schema)
    if not isinstance(source, dict) or len(annotation.members) != 1:
        return None
    values = source.get("enum")
    if not isinstance(values, list) or len(values) != 1:
        return None
    pointer = join_pointer(declared.pointer, "schema", "enum", 0)
    literal, _ = default_literal(values[0], schema, annotation, ctx, pointer)
    return literal


def _json_content_type(declared: _Declared) -> str:
    """The JSON media type of a parameter declared with `content`, else empty."""
    content = declared.spec.get("content")
    if "schema" in declared.spec or not isinstance(content, dict):
        return ""
    choice = choose_media_type(content)
    return choice.content_type if choice is not None and choice.kind == "json" else ""


def _constraints(
    declared: _Declared, annotation: PyType, ctx: ParseContext
) -> tuple[tuple[str, str], ...]:
    """The `Field` arguments for the limits of the parameter's schema, as a model field
    with that schema and annotation gets them (its pattern first). A parameter described
    by `content` gets none."""
    schema = declared.spec.get("schema")
    if not isinstance(schema, dict):
        return ()
    pattern = kept_pattern(schema, annotation, join_pointer(declared.pointer, "schema"), ctx)
    kept = () if pattern is None else (("pattern", pattern_argument(pattern)),)
    return kept + constraints(schema, annotation)


def _style(declared: _Declared, ctx: ParseContext) -> str:
    allowed = STYLES[declared.location]
    style = declared.spec.get("style")
    if style is None:
        return allowed[0]
    if style not in allowed:
        ctx.warn(
            f"style {style!r} is not allowed in {declared.location}; {allowed[0]!r} is used",
            join_pointer(declared.pointer, "style"),
        )
        return allowed[0]
    return cast(str, style)
