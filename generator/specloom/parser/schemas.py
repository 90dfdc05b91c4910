"""Schemas to Python types: annotations, and the models, enums and aliases they define.

`SchemaConverter.annotate` turns any schema into a `PyType`, defining named types
on the way (inline objects become models, inline enums become enums, with
names synthesized from `hint`). `define_component` defines a schema of
`components/schemas` under its preassigned name. Problems degrade the schema
to `Any` with a warning; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from specloom.diagnostics import join_pointer
from specloom.ir.model import ModelDef, TypeAliasDef
from specloom.naming import FILE_CONTENT, field_name, field_scope, pascal_case
from specloom.parser import discriminators, enums
from specloom.parser.context import EnumInfo, ParseContext, Slot
from specloom.parser.facts import (
    has_all_of,
    has_limits,
    implied_type,
    is_nullable,
    is_object_like,
    is_plain_enum,
    sole_all_of_part,
    union_options,
)
from specloom.parser.fields import FieldPlan, build_field, constrained, description_of
from specloom.parser.objects import MISSING, ObjectShape, merged_schema, object_shape
from specloom.parser.pytypes import (
    ANY,
    NONE,
    PyType,
    dict_of,
    list_of,
    named,
    references_of,
    simple,
    union,
)

Extra = Literal["ignore", "allow", "forbid"]

_FILE_CONTENT = simple(FILE_CONTENT, type_name=FILE_CONTENT)
"""`format: binary`: bytes, or the `UploadedFile` a server receives for a multipart file."""
_STRING_FORMATS: dict[str, PyType] = {
    "date-time": simple("datetime.datetime", module="datetime"),
    "date": simple("datetime.date", module="datetime"),
    "uuid": simple("uuid.UUID", module="uuid"),
    "binary": _FILE_CONTENT,
}
_PRIMITIVES: dict[str, PyType] = {
    "integer": simple("int"),
    "number": simple("float"),
    "boolean": simple("bool"),
    "null": NONE,
    "file": _FILE_CONTENT,
}
_STR = simple("str")


class SchemaConverter:
    """Converts the schemas of one document, memoising each schema object's type."""

    def __init__(self, ctx: ParseContext) -> None:
        self._ctx = ctx
        self._memo: dict[int, tuple[Any, PyType]] = {}
        self._active: set[int] = set()
        self._nullable: dict[str, bool] = {}
        self._defined: set[str] = set()
        self._model_names: set[str] = set()
        """Types defined (or being defined) as models, the only members a discriminated
        union can have."""
        self._base_members: dict[str, discriminators.Member] = {}
        """Hierarchy class defined as a union -> its own model `<Class>Base`, which stands
        for it in the unions above it."""
        self._supertypes_of: dict[str, tuple[str, ...]] | None = None
        self._discriminators: dict[str, discriminators.Discriminator | None] = {}
        """A hierarchy class's own discriminator, read once for every class below it."""

    def annotate(self, schema: Any, pointer: str, hint: str) -> PyType:
        """The Python type of `schema`; inline objects and enums are defined as `hint`-named
        types (`hint` is a PascalCase name, made unique when taken)."""
        if isinstance(schema, dict) and id(schema) in self._ctx.component_ids:
            name = self._ctx.component_ids[id(schema)]
            return named(name, self._component_nullable(name))
        return self._convert(schema, pointer, hint, None)

    def define_component(self, wire_name: str, schema: Any, pointer: str) -> None:
        """Define `components/schemas/<wire_name>` under its preassigned Python name: a model,
        an enum, or else a type alias of whatever type it describes."""
        name = self._ctx.components[wire_name]
        if name in self._defined:
            return
        self._defined.add(name)
        slot = self._ctx.new_slot(name, wire_name, pointer)
        if name in self._ctx.subtypes and self._inheritance_union(schema, pointer, slot):
            return
        annotation = self._convert(schema, pointer, name, slot)
        if slot.definition is None:
            if isinstance(schema, dict):
                annotation = constrained(schema, annotation, pointer, self._ctx)
            slot.definition = TypeAliasDef(
                name,
                wire_name,
                description_of(schema),
                annotation.source,
                pointer,
                annotation.references(),
            )

    def component_enum(self, name: str, schema: Any) -> EnumInfo | None:
        """The members of a component that will be defined as an enum class, known before
        it is defined (field defaults name its members)."""
        if not isinstance(schema, dict) or not is_plain_enum(schema):
            return None
        shape = enums.enum_shape(schema.get("enum"))
        if shape is None or shape.base is None:
            return None
        return EnumInfo(name, enums.member_names(shape.values))

    # -- dispatch -------------------------------------------------------------------------

    def _convert(self, schema: Any, pointer: str, hint: str, slot: Slot | None) -> PyType:
        if not isinstance(schema, dict):
            if schema is not True:
                self._ctx.warn("schema is not an object; typed as Any", pointer)
            return ANY
        key = id(schema)
        if key in self._memo:
            return self._memo[key][1]
        if key in self._active:
            self._ctx.warn(
                "schema contains itself without a named type between; typed as Any", pointer
            )
            return ANY
        self._active.add(key)
        try:
            result = self._convert_mapping(schema, pointer, hint, slot)
        finally:
            self._active.discard(key)
        self._memo[key] = (schema, result)  # holding the schema keeps its id() unique
        return result

    def _convert_mapping(
        self, schema: Mapping[str, Any], pointer: str, hint: str, slot: Slot | None
    ) -> PyType:
        nullable = schema.get("nullable") is True
        if "$ref" in schema:
            return self._ref(schema["$ref"], pointer, hint).with_nullable(nullable)
        if has_all_of(schema):
            return self._all_of(schema, pointer, hint, slot).with_nullable(nullable)
        union_of = union_options(schema)
        if union_of is not None:
            key, options = union_of
            union_pointer = join_pointer(pointer, key)
            tagged = self._tagged_union(schema, options, union_pointer, hint, slot)
            if tagged is not None:
                return tagged.with_nullable(nullable)
            return self._union(options, union_pointer, hint).with_nullable(nullable)
        if "const" in schema or "enum" in schema:
            return self._enum(schema, pointer, hint, slot).with_nullable(nullable)
        return self._typed(schema, pointer, hint, slot).with_nullable(nullable)

    # -- references and combinators ----------------------------------------------------------

    def _ref(self, ref: Any, pointer: str, hint: str) -> PyType:
        target = self._ctx.resolver.resolve(ref)
        if target is None:
            self._ctx.warn(f"$ref {ref!r} cannot be resolved; typed as Any", pointer)
            return ANY
        tokens = target.tokens
        if len(tokens) == 3 and tokens[:2] == ("components", "schemas"):
            name = self._ctx.components.get(tokens[2])
            if name is not None:
                return named(name, self._component_nullable(name))
        return self.annotate(target.value, target.pointer, hint)

    def _all_of(
        self, schema: Mapping[str, Any], pointer: str, hint: str, slot: Slot | None
    ) -> PyType:
        sole = sole_all_of_part(schema)
        if (
            sole is not None
            and not self._extends_inheritance_base(schema["allOf"][sole])
            and not self._limits_beside(schema, sole)
        ):
            return self.annotate(schema["allOf"][sole], join_pointer(pointer, "allOf", sole), hint)
        shape = object_shape(schema, pointer, self._ctx)
        if shape.properties:
            return self._model(schema, shape, pointer, hint, slot)
        merged = merged_schema(schema, pointer, self._ctx)
        return constrained(merged, self._convert(merged, pointer, hint, slot), pointer, self._ctx)

    def _limits_beside(self, schema: Mapping[str, Any], sole: int) -> bool:
        """Whether the schema or its other `allOf` parts set limits (a length, a range, a
        pattern) that the sole part's named type would not carry: the parts are merged then.
        An object part keeps its name: such limits mean nothing for a model."""
        parts = schema["allOf"]
        others = [part for index, part in enumerate(parts) if index != sole]
        if not any(isinstance(each, dict) and has_limits(each) for each in [*others, schema]):
            return False
        target, _ = self._ctx.resolver.follow(parts[sole])
        return isinstance(target, dict) and not is_object_like(target, self._ctx.resolver)

    def _union(self, options: list[Any], pointer: str, hint: str) -> PyType:
        return union(
            self._union_member(option, join_pointer(pointer, index), f"{hint}Option{index + 1}")
            for index, option in enumerate(options)
        )

    def _union_member(self, option: Any, pointer: str, hint: str) -> PyType:
        """An alternative's type with its own limits (`Annotated[str, Field(pattern=...)]`):
        a field or parameter enforces limits on its type only when that is one scalar.
        A `$ref` alternative is a named type, which keeps its limits itself."""
        annotation = self.annotate(option, pointer, hint)
        if isinstance(option, dict) and "$ref" not in option:
            return constrained(option, annotation, pointer, self._ctx)
        return annotation

    # -- discriminated unions -------------------------------------------------------------

    def _tagged_union(
        self,
        schema: Mapping[str, Any],
        options: list[Any],
        pointer: str,
        hint: str,
        slot: Slot | None,
    ) -> PyType | None:
        """A `oneOf`/`anyOf` with a discriminator as a named discriminated union alias; None
        when it has no (usable) discriminator."""
        discriminator = discriminators.read_discriminator(schema, pointer, self._ctx)
        if discriminator is None:
            return None
        members: list[discriminators.Member] = []
        for index, option in enumerate(options):
            member = self._member(option, join_pointer(pointer, index), f"{hint}Option{index + 1}")
            if member is None:
                self._ctx.warn(
                    "discriminator: every alternative must be an object schema; "
                    "the union is not discriminated",
                    join_pointer(pointer, index),
                )
                return None
            if all(member.name != known.name for known in members):
                members.append(member)
        return self._tagged_alias(schema, discriminator, members, pointer, hint, slot)

    def _inheritance_union(self, schema: Any, pointer: str, slot: Slot) -> bool:
        """Define a class of a discriminated hierarchy (a base schema with a discriminator,
        or a schema below one with subtypes of its own) as the union of the classes below
        it (False, defining nothing, when that union cannot be discriminated). The class
        itself is a member too, as its own model `<Class>Base`, when some tags select it
        (`discriminators.base_tags`)."""
        above = discriminators.ancestors(slot.name, self._supertypes)
        own = discriminators.read_discriminator(schema, pointer, self._ctx)
        discriminator = discriminators.inherited(own, self._hierarchy_discriminators(above))
        if discriminator is None:
            return False
        # The class's own properties take its name (`AccountKind`), not the name of the
        # first subclass converted (whose models share the property schemas).
        for prop in object_shape(schema, pointer, self._ctx).properties.values():
            self.annotate(
                prop.schema, prop.pointer, slot.name + pascal_case(prop.wire_name, "Field")
            )
        below = discriminators.descendants(slot.name, self._ctx.subtypes)
        names = discriminators.unique([*(n for _, n in discriminator.mapping), *below])
        if above:  # an inherited mapping names the whole hierarchy's classes
            names = [name for name in names if name in below]
        members = []
        for name in names:
            member = self._component_member(name) if name != slot.name else None
            if member is not None:
                members.append(member)
        tagged = discriminators.member_tags(discriminator, members, self._ctx, subtypes=True)
        if not tagged:
            return False
        base = discriminators.Member(slot.name, schema, pointer, slot.wire_name)
        own_tags = discriminators.base_tags(base, discriminator, tagged, self._ctx, root=not above)
        if own_tags:
            tagged.append((self._base_member(schema, pointer, slot), own_tags))
        slot.definition = discriminators.tagged_union_alias(
            slot, discriminator, tagged, description_of(schema), self._ctx
        )
        return True

    @property
    def _supertypes(self) -> dict[str, tuple[str, ...]]:
        """`ctx.subtypes` inverted (known once the components are named)."""
        if self._supertypes_of is None:
            self._supertypes_of = discriminators.supertypes_of(self._ctx.subtypes)
        return self._supertypes_of

    def _hierarchy_discriminators(self, names: list[str]) -> list[discriminators.Discriminator]:
        found = []
        for name in names:
            if name not in self._discriminators:
                wire = self._ctx.component_wires[name]
                pointer = join_pointer("/components/schemas", wire)
                schema = self._ctx.component_schemas[name]
                self._discriminators[name] = discriminators.read_discriminator(
                    schema, pointer, self._ctx
                )
            each = self._discriminators[name]
            if each is not None:
                found.append(each)
        return found

    def _base_member(
        self, schema: Mapping[str, Any], pointer: str, union_slot: Slot
    ) -> discriminators.Member:
        """The class's own model (`<Class>Base`), for the tags that select the class itself."""
        name = self._ctx.type_names.claim(union_slot.name + "Base")
        slot = self._ctx.new_slot(name, union_slot.wire_name, pointer)
        self._model(schema, object_shape(schema, pointer, self._ctx), pointer, name, slot)
        member = discriminators.Member(name, schema, pointer, union_slot.wire_name, union_slot.name)
        self._base_members[union_slot.name] = member
        return member

    def _tagged_alias(
        self,
        schema: Mapping[str, Any],
        discriminator: discriminators.Discriminator,
        members: list[discriminators.Member],
        pointer: str,
        hint: str,
        slot: Slot | None,
    ) -> PyType | None:
        tagged = discriminators.member_tags(discriminator, members, self._ctx, subtypes=False)
        if not tagged:
            return None
        slot = slot or self._new_slot(hint, pointer)
        slot.definition = discriminators.tagged_union_alias(
            slot, discriminator, tagged, description_of(schema), self._ctx
        )
        return named(slot.name)

    def _member(self, option: Any, pointer: str, hint: str) -> discriminators.Member | None:
        target, target_pointer = self._ctx.resolver.follow(option)
        if target is None:
            target, target_pointer = option, pointer
        if not isinstance(target, dict):
            return None
        name = self._ctx.component_ids.get(id(target))
        if name is not None:
            return self._component_member(name)
        annotation = self.annotate(option, pointer, hint)
        if annotation.nullable or len(annotation.members) != 1:
            return None
        name = annotation.members[0]
        if name not in self._model_names:
            return None
        return discriminators.Member(name, target, target_pointer or pointer, None)

    def _component_member(self, name: str) -> discriminators.Member | None:
        """The component `name` as a union member, defined first when it is not yet."""
        wire = self._ctx.component_wires[name]
        schema = self._ctx.component_schemas[name]
        pointer = join_pointer("/components/schemas", wire)
        self.define_component(wire, schema, pointer)
        if name in self._base_members:
            return self._base_members[name]
        if name not in self._model_names or not isinstance(schema, dict):
            return None
        return discriminators.Member(name, schema, pointer, wire)

    def _extends_inheritance_base(self, part: Any) -> bool:
        target, _ = self._ctx.resolver.follow(part)
        name = self._ctx.component_ids.get(id(target)) if isinstance(target, dict) else None
        return name is not None and name in self._ctx.subtypes

    def _enum(
        self, schema: Mapping[str, Any], pointer: str, hint: str, slot: Slot | None
    ) -> PyType:
        """`enum` as an enum class (strings or integers) or a `Literal`; `const` as a `Literal`."""
        key = "const" if "const" in schema else "enum"
        shape = enums.enum_shape([schema["const"]] if key == "const" else schema["enum"])
        if shape is None:
            self._ctx.warn(
                f"{key} values must be strings, integers, booleans or null (and at least one); "
                "they are not enforced",
                join_pointer(pointer, key),
            )
            return self._typed(schema, pointer, hint, slot)
        base = shape.base
        if base is None or key == "const":
            return enums.literal_type(shape)
        slot = slot or self._new_slot(hint, pointer)
        members = enums.member_names(shape.values)
        description = description_of(schema)
        slot.definition = enums.enum_def(
            slot.name, slot.wire_name, description, base, members, pointer
        )
        self._ctx.enums[slot.name] = EnumInfo(slot.name, members)
        return named(slot.name, shape.nullable)

    # -- types --------------------------------------------------------------------------

    def _typed(
        self, schema: Mapping[str, Any], pointer: str, hint: str, slot: Slot | None
    ) -> PyType:
        type_name = schema.get("type")
        if isinstance(type_name, list):
            return self._type_list(schema, type_name, pointer, hint, slot)
        if type_name is None:
            type_name = implied_type(schema)
            if type_name is None:
                return ANY
        if type_name == "string":
            string_format = schema.get("format")
            return (
                _STRING_FORMATS.get(string_format, _STR) if isinstance(string_format, str) else _STR
            )
        if type_name == "array":
            return self._array(schema, pointer, hint)
        if type_name == "object":
            return self._object(schema, pointer, hint, slot)
        if isinstance(type_name, str) and type_name in _PRIMITIVES:
            return _PRIMITIVES[type_name]
        self._ctx.warn(f"unknown type {type_name!r}; typed as Any", join_pointer(pointer, "type"))
        return ANY

    def _type_list(
        self,
        schema: Mapping[str, Any],
        type_names: list[Any],
        pointer: str,
        hint: str,
        slot: Slot | None,
    ) -> PyType:
        if not all(isinstance(t, str) for t in type_names):
            self._ctx.warn(
                "type list entries must be strings; others are ignored",
                join_pointer(pointer, "type"),
            )
        concrete = list(dict.fromkeys(t for t in type_names if isinstance(t, str) and t != "null"))
        nullable = "null" in type_names
        if not concrete:
            return NONE if nullable else ANY
        if len(concrete) == 1:
            single = {**schema, "type": concrete[0]}
            return self._convert(single, pointer, hint, slot).with_nullable(nullable)
        parts = (
            constrained(
                single,
                self._convert(single, pointer, f"{hint}{pascal_case(t)}", None),
                pointer,
                self._ctx,
            )
            for t in concrete
            for single in [{**schema, "type": t}]
        )
        return union(parts).with_nullable(nullable)

    def _array(self, schema: Mapping[str, Any], pointer: str, hint: str) -> PyType:
        items = schema.get("items", MISSING)
        if items is MISSING or isinstance(items, list):
            return list_of(ANY)
        return list_of(self.annotate(items, join_pointer(pointer, "items"), f"{hint}Item"))

    def _object(
        self, schema: Mapping[str, Any], pointer: str, hint: str, slot: Slot | None
    ) -> PyType:
        properties = schema.get("properties")
        if isinstance(properties, dict) and properties:
            return self._model(
                schema, object_shape(schema, pointer, self._ctx), pointer, hint, slot
            )
        values = schema.get("additionalProperties", True)
        if isinstance(values, dict) and values:
            value_pointer = join_pointer(pointer, "additionalProperties")
            return dict_of(self.annotate(values, value_pointer, f"{hint}Value"))
        return dict_of(ANY)

    # -- named definitions ----------------------------------------------------------------

    def _new_slot(self, hint: str, pointer: str) -> Slot:
        return self._ctx.new_slot(self._ctx.type_names.claim(hint), pointer, pointer)

    def _model(
        self,
        schema: Mapping[str, Any],
        shape: ObjectShape,
        pointer: str,
        hint: str,
        slot: Slot | None,
    ) -> PyType:
        slot = slot or self._new_slot(hint, pointer)
        self._model_names.add(slot.name)
        model_type = named(slot.name)
        # Registered before the fields are converted, so a recursive schema finds it.
        self._memo[id(schema)] = (schema, model_type.with_nullable(schema.get("nullable") is True))
        plans = [
            FieldPlan(
                prop,
                self.annotate(
                    prop.schema, prop.pointer, slot.name + pascal_case(prop.wire_name, "Field")
                ),
                prop.wire_name in shape.required,
            )
            for prop in shape.properties.values()
        ]
        plans.sort(key=lambda plan: not plan.required)  # stable: spec order within each group
        extra, extra_type = self._extra(shape, slot.name)
        scope = field_scope(name for plan in plans for name in plan.annotation.types)
        fields = []
        eager: set[str] = set()  # enums whose members are field defaults
        for plan in plans:
            field, enum_used = build_field(plan, field_name(plan.prop.wire_name, scope), self._ctx)
            fields.append(field)
            if enum_used is not None:
                eager.add(enum_used)
        annotations = [plan.annotation for plan in plans]
        annotations += [extra_type] if extra_type is not None else []
        slot.definition = ModelDef(
            name=slot.name,
            wire_name=slot.wire_name,
            description=description_of(schema),
            fields=tuple(fields),
            extra=extra,
            extra_annotation=extra_type.source if extra_type is not None else None,
            pointer=pointer,
            references=references_of(annotations),
        )
        slot.eager = frozenset(eager)
        return model_type

    def _extra(self, shape: ObjectShape, model_name: str) -> tuple[Extra, PyType | None]:
        additional = shape.additional
        if additional is MISSING:
            return "ignore", None
        if additional is False:
            return "forbid", None
        if additional is True or (isinstance(additional, dict) and not additional):
            return "allow", ANY
        if isinstance(additional, dict):
            return "allow", self.annotate(
                additional, shape.additional_pointer, f"{model_name}Value"
            )
        self._ctx.warn(
            "additionalProperties must be a boolean or a schema; ignored", shape.additional_pointer
        )
        return "ignore", None

    def _component_nullable(self, name: str) -> bool:
        if name not in self._nullable:
            schema = self._ctx.component_schemas.get(name)
            self._nullable[name] = is_nullable(schema, self._ctx.resolver)
        return self._nullable[name]
