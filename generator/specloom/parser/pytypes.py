"""Python type annotations under construction: source text plus what the text names."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from specloom.ir.model import References


class PyType(msgspec.Struct, frozen=True):
    """A Python type as source text, built from union members.

    `members` never contains `None`; `nullable` adds it (always last). No members
    and `nullable` is the type `None` itself. The reference sets record the
    generated types, stdlib modules and typing names the text uses.
    """

    members: tuple[str, ...]
    nullable: bool = False
    types: frozenset[str] = frozenset()
    modules: frozenset[str] = frozenset()
    typing: frozenset[str] = frozenset()

    @property
    def source(self) -> str:
        """The annotation, e.g. `list[Pet] | None`."""
        return " | ".join((*self.members, "None") if self.nullable else self.members) or "None"

    @property
    def source_or_none(self) -> str:
        """The annotation with `| None` added (an optional field or parameter)."""
        return self.with_nullable(True).source

    @property
    def is_any(self) -> bool:
        return self.members == ("Any",)

    def with_nullable(self, nullable: bool = True) -> PyType:
        """This type, accepting `None` too when `nullable` (never removes it)."""
        if not nullable or self.nullable:
            return self
        return PyType(self.members, True, self.types, self.modules, self.typing)

    def wrap(self, template: str) -> PyType:
        """A single-member type around this one: `wrap("list[{}]")` -> `list[Pet]`."""
        return PyType((template.format(self.source),), False, self.types, self.modules, self.typing)

    def references(self) -> References:
        return references_of([self])


def simple(name: str, *, module: str = "", typing: str = "", type_name: str = "") -> PyType:
    """A one-member type: a builtin (`int`), `module.Name`, a typing name or a generated type."""
    return PyType(
        (name,),
        types=frozenset({type_name} if type_name else ()),
        modules=frozenset({module} if module else ()),
        typing=frozenset({typing} if typing else ()),
    )


ANY = simple("Any", typing="Any")
NONE = PyType((), nullable=True)


def named(type_name: str, nullable: bool = False) -> PyType:
    """A generated type (model, enum or alias) by its Python name."""
    return simple(type_name, type_name=type_name).with_nullable(nullable)


def union(parts: Iterable[PyType]) -> PyType:
    """`A | B | ...`, members deduplicated in order; `Any` absorbs every other member."""
    parts = list(parts)
    members: list[str] = []
    for part in parts:
        members.extend(m for m in part.members if m not in members)
    nullable = any(p.nullable for p in parts)
    if "Any" in members:
        return ANY.with_nullable(nullable)
    return PyType(
        tuple(members),
        nullable,
        frozenset().union(*(p.types for p in parts)),
        frozenset().union(*(p.modules for p in parts)),
        frozenset().union(*(p.typing for p in parts)),
    )


def dict_of(value: PyType) -> PyType:
    return value.wrap("dict[str, {}]")


def list_of(item: PyType) -> PyType:
    return item.wrap("list[{}]")


def references_of(types: Iterable[PyType], extra_types: Iterable[str] = ()) -> References:
    """Everything `types` name, as the IR's sorted `References`."""
    names: set[str] = set(extra_types)
    modules: set[str] = set()
    typing: set[str] = set()
    for t in types:
        names |= t.types
        modules |= t.modules
        typing |= t.typing
    return References(tuple(sorted(names)), tuple(sorted(modules)), tuple(sorted(typing)))
