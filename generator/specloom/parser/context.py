"""The state one `parse` call accumulates: diagnostics, type names, definitions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgspec

from specloom import diagnostics
from specloom.diagnostics import Diagnostic
from specloom.ir.model import TypeAliasDef, TypeDef
from specloom.ir.security import SecurityRequirement, SecurityScheme
from specloom.naming import Scope
from specloom.parser.pytypes import ANY
from specloom.parser.refs import Resolver


@dataclass
class Slot:
    """The place of one named definition in emission order, filled once it is built."""

    name: str
    wire_name: str
    pointer: str
    definition: TypeDef | None = None
    eager: frozenset[str] = frozenset()
    """Types the definition needs at import time beyond its annotation (enum defaults)."""

    def built(self) -> TypeDef:
        """The definition, or an `Any` alias standing in for one that failed to build."""
        if self.definition is not None:
            return self.definition
        return TypeAliasDef(self.name, self.wire_name, "", "Any", self.pointer, ANY.references())


class EnumInfo(msgspec.Struct, frozen=True):
    """What a field default needs to know about an enum: its members by value."""

    name: str
    members: tuple[tuple[str | int, str], ...]
    """(value, member name) pairs."""

    def member_for(self, value: object) -> str | None:
        for member_value, member_name in self.members:
            if type(member_value) is type(value) and member_value == value:
                return member_name
        return None


class TagField(msgspec.Struct, frozen=True):
    """The tag property of a discriminated union's member model, as it must be typed."""

    python_name: str
    tags: tuple[str, ...]


@dataclass
class ParseContext:
    """Shared by every stage of one parse; never outlives it."""

    resolver: Resolver
    type_names: Scope = field(default_factory=Scope)
    """The global type namespace; set once the service class names it reserves are known."""
    diagnostics: dict[Diagnostic, None] = field(default_factory=dict)
    """In the order found, each once: a shared `$ref` parameter or response is met once per
    use, but its problem is reported once, at its own pointer."""
    components: dict[str, str] = field(default_factory=dict)
    """`components/schemas` key -> Python type name."""
    component_schemas: dict[str, Any] = field(default_factory=dict)
    """Python type name -> the component's schema."""
    component_ids: dict[int, str] = field(default_factory=dict)
    """id() of each component schema object -> its Python type name (YAML anchors share them)."""
    slots: list[Slot] = field(default_factory=list)
    enums: dict[str, EnumInfo] = field(default_factory=dict)
    security_schemes: dict[str, SecurityScheme] = field(default_factory=dict)
    """`components/securitySchemes` key -> the scheme."""
    default_security: tuple[SecurityRequirement, ...] | None = ()
    """The document's `security` (None when none of its alternatives can be met)."""
    component_wires: dict[str, str] = field(default_factory=dict)
    """Python type name -> `components/schemas` key."""
    subtypes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Inheritance base with a discriminator -> the components extending it by `allOf`."""
    tag_fields: dict[str, dict[str, TagField]] = field(default_factory=dict)
    """Member model name -> tag property wire name -> how to type it (discriminators)."""
    request_shapes: dict[str, str] = field(default_factory=dict)
    """Type name -> the name of its request shape (`shapes`)."""
    merged_declarations: dict[tuple[int, int], tuple[Any, Any, Any]] = field(default_factory=dict)
    """(id(first), id(second)) of two declarations of one property -> (first, second,
    their merged schema): a pair merged again yields the same schema object."""

    def warn(self, message: str, pointer: str) -> None:
        self.diagnostics.setdefault(diagnostics.warning(message, pointer))

    def error(self, message: str, pointer: str) -> None:
        self.diagnostics.setdefault(diagnostics.error(message, pointer))

    def new_slot(self, name: str, wire_name: str, pointer: str) -> Slot:
        slot = Slot(name, wire_name, pointer)
        self.slots.append(slot)
        return slot
