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

A hierarchy may be deeper: a schema below a base that has subtypes of its own inherits
the discriminator (or declares its own, in an inline `allOf` part) and is the union of the
classes below it and its own model `<Class>Base`; unions above it list that model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from msgspec.structs import replace

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


class Discriminator(msgspec.Struct, frozen=True):
    """A schema's `discriminator`, its mapping resolved to Python type names."""

    property: str
    """The tag property's wire name."""
    mapping: tuple[tuple[str, str], ...]
    """(tag, Python type name) pairs in spec order."""
    pointer: str


class Member(msgspec.Struct, frozen=True):
    """One alternative of a discriminated union: a model and its raw schema."""

    name: str
    schema: Mapping[str, Any]
    pointer: str
    wire_name: str | None
    """Its key in `components/schemas`, None for an inline schema."""
    component: str | None = None
    """The component `mapping` entries name it by, when not `name` (a hierarchy class's own
    model `<Class>Base` stands for the class `<Class>`)."""

    @property
    def mapped_as(self) -> str:
        return self.component or self.name


def read_discriminator(
    schema: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> Discriminator | None:
    """The schema's discriminator, or None when it has none (or an unusable one, with a
    warning)."""
    found = _own_discriminator(schema)
    if found is None:
        return None
    value, at = found[0], join_pointer(pointer, *found[1])
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


def _own_discriminator(schema: Mapping[str, Any]) -> tuple[Any, tuple[str | int, ...]] | None:
    """The schema's own `discriminator` and its place: at the top, or in an inline `allOf`
    part (Microsoft Graph's intermediate classes declare theirs beside their properties)."""
    if "discriminator" in schema:
        return schema["discriminator"], ("discriminator",)
    parts = schema.get("allOf")
    for index, part in enumerate(parts if isinstance(parts, list) else ()):
        if isinstance(part, dict) and "discriminator" in part and "$ref" not in part:
            return part["discriminator"], ("allOf", index, "discriminator")
    return None


def is_inheritance_base(schema: object) -> bool:
    """Whether a component with a discriminator is a base for `allOf` subtypes rather than
    a union of its own `oneOf`/`anyOf`."""
    if not isinstance(schema, dict) or union_options(schema) is not None:
        return False
    found = _own_discriminator(schema)
    return found is not None and isinstance(found[0], dict)


def subtypes_by_base(ctx: ParseContext) -> dict[str, tuple[str, ...]]:
    """Component name -> the components that extend it directly with an `allOf` `$ref`,
    for the components of a discriminated hierarchy: the inheritance bases (see
    `is_inheritance_base`) and the components below one that have subtypes of their own
    (they inherit its discriminator)."""
    parents: dict[str, list[str]] = {}
    for name, schema in ctx.component_schemas.items():
        parts = schema.get("allOf") if isinstance(schema, dict) else None
        for part in parts if isinstance(parts, list) else ():
            base = _component_of_ref(part, ctx)
            if base is not None and base != name and base not in parents.get(name, ()):
                parents.setdefault(name, []).append(base)
    hierarchy = {
        name for name, schema in ctx.component_schemas.items() if is_inheritance_base(schema)
    }
    growing = True
    while growing:
        below = {
            name
            for name, bases in parents.items()
            if name not in hierarchy
            and union_options(ctx.component_schemas[name]) is None
            and any(base in hierarchy for base in bases)
        }
        hierarchy |= below
        growing = bool(below)
    found: dict[str, list[str]] = {}
    for name, bases in parents.items():
        for base in bases:
            if base in hierarchy:
                found.setdefault(base, []).append(name)
    return {base: tuple(names) for base, names in found.items()}


def supertypes_of(subtypes: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Component name -> the components of `subtypes_by_base` it extends directly."""
    found: dict[str, list[str]] = {}
    for base, names in subtypes.items():
        for name in names:
            found.setdefault(name, []).append(base)
    return {name: tuple(bases) for name, bases in found.items()}


def ancestors(name: str, supertypes: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every component above `name` (parents, their parents, ...), nearest first."""
    return _reachable(name, supertypes)


def inherited(own: Discriminator | None, above: Iterable[Discriminator]) -> Discriminator | None:
    """A hierarchy member's discriminator: its own, else its nearest ancestor's, with the
    `mapping` entries of every ancestor on the same tag property after its own (a tag
    names one class wherever in the hierarchy it is declared)."""
    found = own
    mapping = dict(own.mapping) if own else {}
    for each in above:
        if found is None:
            found = each
        if each.property == found.property:
            for tag, name in each.mapping:
                mapping.setdefault(tag, name)
    return replace(found, mapping=tuple(mapping.items())) if found else None


def descendants(base: str, subtypes: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every component below `base` (children, their children, ...), breadth first."""
    return _reachable(base, subtypes)


def _reachable(start: str, edges: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Every name reached from `start` along `edges`, nearest first, `start` left out."""
    found: dict[str, None] = {}
    queue = list(edges.get(start, ()))
    while queue:
        name = queue.pop(0)
        if name == start or name in found:
            continue
        found[name] = None
        queue += edges.get(name, ())
    return list(found)


def member_tags(
    discriminator: Discriminator, members: list[Member], ctx: ParseContext, *, subtypes: bool
) -> list[tuple[Member, tuple[str, ...]]] | None:
    """Each member with the tags that select it, or None (with a warning) when some member
    has no tag or two members share one. A member whose only tag is its name, which its
    own tag property does not allow (`enum: [user, guest]`), can never be selected: a
    subtype (`subtypes`) is left out of its base's union, with a warning; a `oneOf`
    member makes the union plain. A tag the spec states (a mapping entry, an
    `x-ms-discriminator-value`) is kept whatever the enum says."""
    tagged: list[tuple[Member, tuple[str, ...]]] = []
    owner: dict[str, str] = {}
    for member in members:
        tag_schema = _tag_schema(discriminator.property, member, ctx)
        if not _holds_strings(tag_schema):
            ctx.warn(
                f"discriminator: {discriminator.property!r} of {member.name} is not a string; "
                "the union is not discriminated",
                discriminator.pointer,
            )
            return None
        tags = tuple(tag for tag, name in discriminator.mapping if name == member.mapped_as)
        tags = tags or _own_tags(discriminator.property, member, ctx)
        if _named_implicitly(tags, discriminator, member) and not _allows(tag_schema, tags):
            shown = ", ".join(repr(tag) for tag in tags)
            ctx.warn(
                f"discriminator: {discriminator.property!r} of {member.mapped_as} never takes "
                f"its tag {shown}; "
                + (
                    "it is not a member of the union"
                    if subtypes
                    else "the union is not discriminated"
                ),
                discriminator.pointer,
            )
            if subtypes:
                continue
            return None
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
    *,
    root: bool,
) -> tuple[str, ...]:
    """The tags that select a hierarchy class itself rather than a class below it.

    The root of a hierarchy: `mapping` entries naming it, its own
    `x-ms-discriminator-value`, and the values its tag property allows (`enum`, `const`)
    that no subtype claims (Azure's `eventType: [$all, ...]`); none for the usual abstract
    base. A class between the root and the leaves: the tags that select it in its
    parent's union (a mapping entry, its `x-ms-discriminator-value`, ... its name, when
    its tag property allows that)."""
    claimed = {tag for _, tags in tagged for tag in tags}
    found = [tag for tag, name in discriminator.mapping if name == base.mapped_as]
    tag_schema = _tag_schema(discriminator.property, base, ctx)
    allowed = _allowed_values(tag_schema)
    if root:
        named = base.schema.get(AZURE_TAG)
        found += [named] if isinstance(named, str) else []
        found += allowed or []
    else:
        found = found or list(_own_tags(discriminator.property, base, ctx))
        if _named_implicitly(tuple(found), discriminator, base) and not _allows(tag_schema, found):
            found = []
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
    sent_defaults: list[str] = []
    for wire_name, tag in wanted.items():
        literal = "Literal[" + ", ".join(python_literal(t) for t in tag.tags) + "]"
        index = next((i for i, f in enumerate(fields) if f.wire_name == wire_name), None)
        if index is None:
            fields.append(Field(tag.python_name, wire_name, literal, False, False, None, ""))
            index = len(fields) - 1
        # A tag the spec leaves optional defaults to the member's one tag: a value of the
        # member on its own may omit it (the union still needs it to pick the member).
        defaulted = not fields[index].required and len(tag.tags) == 1
        # The tag travels both ways whatever the spec marks it (Azure migrateprojects'
        # `instanceType` is readOnly): a request's union cannot be told apart without it.
        fields[index] = replace(
            fields[index],
            annotation=literal,
            required=not defaulted,
            nullable=False,
            default=python_literal(tag.tags[0]) if defaulted else None,
            pattern=None,
            constraints=(),
            read_only=False,
            write_only=False,
            value_annotation="",
        )
        _take_name(fields, index, tag.python_name)
        if defaulted:
            sent_defaults.append(tag.python_name)
    fields.sort(key=lambda f: not f.required)  # stable: spec order within each group
    references = model.references
    typing = tuple(sorted({*references.typing, "Literal", *(["Any"] if sent_defaults else [])}))
    return replace(
        model,
        fields=tuple(fields),
        references=replace(references, typing=typing),
        sent_defaults=tuple(sent_defaults),
    )


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


def _named_implicitly(tags: tuple[str, ...], discriminator: Discriminator, member: Member) -> bool:
    """Whether the member's only tag is its schema name (no `mapping` entry, no
    `x-ms-discriminator-value`): a tag the spec states outright is kept even where the
    tag property's `enum` omits it (Azure's enums often lag their subtypes)."""
    return (
        len(tags) == 1
        and tags[0] == member.wire_name
        and all(name != member.mapped_as for _, name in discriminator.mapping)
        and not isinstance(member.schema.get(AZURE_TAG), str)
    )


def _allows(tag_schema: Any, tags: Iterable[str]) -> bool:
    """Whether the tag property's `enum` or `const` (if it sets one) allows one of `tags`."""
    allowed = _allowed_values(tag_schema)
    return allowed is None or any(tag in allowed for tag in tags)


def _allowed_values(schema: Any) -> list[str] | None:
    """The strings a tag property's `enum` or `const` allows, in order; None when it sets
    none."""
    if not isinstance(schema, dict):
        return None
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(values, list):
        return None
    return [value for value in values if isinstance(value, str)]


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
