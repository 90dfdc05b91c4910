"""Discriminated unions: `discriminator` on a `oneOf`/`anyOf`, or on a base schema that
other schemas extend with `allOf`.

Such a union becomes a named alias `Annotated[Cat | Dog, Field(discriminator="pet_type")]`
and each member model's tag property a required `Literal[...]` of the tags that select
it, so pydantic picks the member by the tag and rejects an unknown one. The tags of a
member are the `mapping` entries that point at it; without any, its
`x-ms-discriminator-value` (Azure), or the single value its own tag property allows
(`enum: [dog]` or `const: dog`); else its schema name (the implicit mapping of the OpenAPI
specification). A base whose tags are not all claimed by its subtypes (a mapping entry
naming it, or tag values its `enum` allows that no subtype takes) is a member too, as the
model `<Base>Base`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from specloom.diagnostics import join_pointer
from specloom.escaping import python_literal
from specloom.ir.model import Field, ModelDef, References, TypeAliasDef
from specloom.naming import field_name, field_scope
from specloom.parser.context import ParseContext, Slot, TagField
from specloom.parser.facts import union_options
from specloom.parser.objects import object_shape

AZURE_TAG = "x-ms-discriminator-value"
"""The tag a subtype declares for itself in Azure's specs (AutoRest), where the implicit
mapping would take its schema name: `AzureDataLakeStoreOutputDataSource` is selected by
`"type": "Microsoft.DataLake/Accounts"` on the wire."""


@dataclass(frozen=True)
class Discriminator:
    """A schema's `discriminator`, its mapping resolved to Python type names."""

    property: str
    """The tag property's wire name."""
    mapping: tuple[tuple[str, str], ...]
    """(tag, Python type name) pairs in spec order."""
    pointer: str


@dataclass(frozen=True)
class Member:
    """One alternative of a discriminated union: a model and its raw schema."""

    name: str
    schema: Mapping[str, Any]
    pointer: str
    wire_name: str | None
    """Its key in `components/schemas`, None for an inline schema."""


def read_discriminator(
    schema: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> Discriminator | None:
    """The schema's discriminator, or None when it has none (or an unusable one, with a
    warning)."""
    value = schema.get("discriminator")
    if value is None:
        return None
    at = join_pointer(pointer, "discriminator")
    if not isinstance(value, dict) or not isinstance(value.get("propertyName"), str):
        ctx.warn("discriminator needs a propertyName; the union is not discriminated", at)
        return None
    raw_mapping = value.get("mapping")
    mapping: list[tuple[str, str]] = []
    for tag, target in raw_mapping.items() if isinstance(raw_mapping, dict) else ():
        name = _mapping_target(target, ctx)
        if name is None:
            ctx.warn(
                f"discriminator mapping {str(tag)!r} -> {target!r} names no component schema; "
                "the entry is ignored",
                join_pointer(at, "mapping", str(tag)),
            )
            continue
        mapping.append((str(tag), name))
    return Discriminator(value["propertyName"], tuple(mapping), at)


def is_inheritance_base(schema: object) -> bool:
    """Whether a component with a discriminator is a base for `allOf` subtypes rather than
    a union of its own `oneOf`/`anyOf`."""
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("discriminator"), dict)
        and union_options(schema) is None
    )


def subtypes_by_base(ctx: ParseContext) -> dict[str, tuple[str, ...]]:
    """Component name -> the components that extend it directly with an `allOf` `$ref`,
    for the components that are inheritance bases (see `is_inheritance_base`)."""
    found: dict[str, list[str]] = {}
    for name, schema in ctx.component_schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        for part in parts if isinstance(parts, list) else ():
            base = _component_of_ref(part, ctx)
            if base is None or base == name:
                continue
            if is_inheritance_base(ctx.component_schemas.get(base)):
                found.setdefault(base, [])
                if name not in found[base]:
                    found[base].append(name)
    return {base: tuple(names) for base, names in found.items()}


def descendants(base: str, subtypes: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every component below `base` (children, their children, ...), breadth first."""
    found: list[str] = []
    queue = list(subtypes.get(base, ()))
    while queue:
        name = queue.pop(0)
        if name == base or name in found:
            continue
        found.append(name)
        queue += subtypes.get(name, ())
    return found


def member_tags(
    discriminator: Discriminator, members: list[Member], ctx: ParseContext
) -> list[tuple[Member, tuple[str, ...]]] | None:
    """Each member with the tags that select it, or None (with a warning) when some member
    has no tag or two members share one."""
    tagged: list[tuple[Member, tuple[str, ...]]] = []
    owner: dict[str, str] = {}
    for member in members:
        if not _holds_strings(_tag_schema(discriminator.property, member, ctx)):
            ctx.warn(
                f"discriminator: {discriminator.property!r} of {member.name} is not a string; "
                "the union is not discriminated",
                discriminator.pointer,
            )
            return None
        tags = tuple(tag for tag, name in discriminator.mapping if name == member.name)
        tags = tags or _own_tags(discriminator.property, member, ctx)
        if not tags:
            ctx.warn(
                f"discriminator: no tag value selects the inline schema {member.name}; "
                "the union is not discriminated",
                discriminator.pointer,
            )
            return None
        for tag in tags:
            if owner.setdefault(tag, member.name) != member.name:
                ctx.warn(
                    f"discriminator tag {tag!r} selects both {owner[tag]} and {member.name}; "
                    "the union is not discriminated",
                    discriminator.pointer,
                )
                return None
        tagged.append((member, tags))
    return tagged


def base_tags(
    base: Member,
    discriminator: Discriminator,
    tagged: list[tuple[Member, tuple[str, ...]]],
    ctx: ParseContext,
) -> tuple[str, ...]:
    """The tags that select an inheritance base itself rather than one of its subtypes:
    `mapping` entries naming the base, its own `x-ms-discriminator-value`, and the values
    its tag property allows (`enum`, `const`) that no subtype claims (Azure's
    `eventType: [$all, ...]`). Empty for the usual abstract base."""
    claimed = {tag for _, tags in tagged for tag in tags}
    found = [tag for tag, name in discriminator.mapping if name == base.name]
    named = base.schema.get(AZURE_TAG)
    found += [named] if isinstance(named, str) else []
    schema = _tag_schema(discriminator.property, base, ctx)
    if isinstance(schema, dict):
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        found += [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
    return tuple(tag for tag in unique(found) if tag not in claimed)


def tagged_union_alias(
    slot: Slot,
    discriminator: Discriminator,
    tagged: list[tuple[Member, tuple[str, ...]]],
    description: str,
    ctx: ParseContext,
) -> TypeAliasDef:
    """The union's alias definition; records each member's tag field for `apply_tags`."""
    python_name = tag_field_name(discriminator.property)
    for member, tags in tagged:
        fields = ctx.tag_fields.setdefault(member.name, {})
        known = fields.get(discriminator.property)
        merged = tuple(dict.fromkeys((*known.tags, *tags))) if known else tags
        fields[discriminator.property] = TagField(python_name, merged)
    names = [member.name for member, _ in tagged]
    annotation = (
        f"Annotated[{' | '.join(names)}, Field(discriminator={python_literal(python_name)})]"
    )
    references = References(tuple(sorted(set(names))), (), ("Annotated",))
    return TypeAliasDef(
        slot.name, slot.wire_name, description, annotation, slot.pointer, references
    )


def tag_field_name(wire_name: str) -> str:
    """The Python name every member model gives the tag property."""
    return field_name(wire_name, field_scope())


def apply_tags(ctx: ParseContext) -> None:
    """Type the tag field of every member model of a discriminated union as a required
    `Literal` of its tags (adding the field where the model lacks it)."""
    for slot in ctx.slots:
        wanted = ctx.tag_fields.get(slot.name)
        if wanted and isinstance(slot.definition, ModelDef):
            slot.definition = _tagged_model(slot.definition, wanted)


def _tagged_model(model: ModelDef, wanted: Mapping[str, TagField]) -> ModelDef:
    fields = list(model.fields)
    for wire_name, tag in wanted.items():
        literal = "Literal[" + ", ".join(python_literal(t) for t in tag.tags) + "]"
        index = next((i for i, f in enumerate(fields) if f.wire_name == wire_name), None)
        if index is None:
            fields.append(Field(tag.python_name, wire_name, literal, True, False, None, ""))
            index = len(fields) - 1
        fields[index] = replace(
            fields[index],
            annotation=literal,
            required=True,
            nullable=False,
            default=None,
            pattern=None,
            constraints=(),
        )
        _take_name(fields, index, tag.python_name)
    fields.sort(key=lambda f: not f.required)  # stable: spec order within each group
    references = model.references
    typing = tuple(sorted({*references.typing, "Literal"}))
    return replace(model, fields=tuple(fields), references=replace(references, typing=typing))


def _take_name(fields: list[Field], index: int, python_name: str) -> None:
    """Give `fields[index]` the name `python_name`, swapping with the field that has it."""
    current = fields[index].python_name
    if current == python_name:
        return
    for other, field in enumerate(fields):
        if field.python_name == python_name:
            fields[other] = replace(field, python_name=current)
    fields[index] = replace(fields[index], python_name=python_name)


def _tag_schema(property_name: str, member: Member, ctx: ParseContext) -> Any:
    """The member's schema of the tag property (followed through `$ref`s), None if absent."""
    prop = object_shape(member.schema, member.pointer, ctx).properties.get(property_name)
    if prop is None:
        return None
    schema, _ = ctx.resolver.follow(prop.schema)
    return prop.schema if schema is None else schema


def _holds_strings(schema: Any) -> bool:
    """Whether a tag property's schema admits strings (absent or untyped does)."""
    if not isinstance(schema, dict):
        return True
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared == "string"
    if isinstance(declared, list):
        return "string" in declared
    return not ({"items", "properties"} & set(schema))


def _own_tags(property_name: str, member: Member, ctx: ParseContext) -> tuple[str, ...]:
    named = member.schema.get(AZURE_TAG)
    if isinstance(named, str):
        return (named,)
    schema = _tag_schema(property_name, member, ctx)
    if isinstance(schema, dict):
        values = [schema["const"]] if "const" in schema else schema.get("enum")
        if isinstance(values, list) and len(values) == 1 and isinstance(values[0], str):
            return (values[0],)
    return (member.wire_name,) if member.wire_name is not None else ()


def _mapping_target(target: object, ctx: ParseContext) -> str | None:
    if not isinstance(target, str):
        return None
    if not target.startswith("#") and "/" not in target:
        return ctx.components.get(target)  # a bare schema name
    return _component_of_ref({"$ref": target}, ctx)


def _component_of_ref(part: object, ctx: ParseContext) -> str | None:
    if not isinstance(part, dict) or "$ref" not in part:
        return None
    target = ctx.resolver.resolve(part["$ref"])
    if target is None or len(target.tokens) != 3 or target.tokens[:2] != ("components", "schemas"):
        return None
    return ctx.components.get(target.tokens[2])


def unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
