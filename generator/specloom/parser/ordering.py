"""Emission order of the generated types.

Model field annotations are evaluated lazily (`from __future__ import
annotations`), so models may refer to anything, defined earlier or later. Type
aliases are evaluated at import time, and so are field defaults naming enum
members: those definitions must come after the types they use. The order is
spec order, except that a definition's import-time needs are moved before it.
An alias that needs itself (through other aliases only) becomes `Any`.
"""

from __future__ import annotations

from msgspec.structs import replace

from specloom.ir.model import TypeAliasDef, TypeDef
from specloom.parser.context import ParseContext, Slot
from specloom.parser.pytypes import ANY


def emission_order(slots: list[Slot], ctx: ParseContext) -> tuple[TypeDef, ...]:
    """Every slot's definition, each after the definitions it needs at import time."""
    definitions = {slot.name: slot.built() for slot in slots}
    position = {name: index for index, name in enumerate(definitions)}
    needs = {
        slot.name: _import_time_needs(definitions[slot.name], slot, position) for slot in slots
    }
    state: dict[str, str] = {}  # name -> "visiting" | "done"
    ordered: list[TypeDef] = []
    for root in definitions:
        if root in state:
            continue
        # Iterative depth-first search: (name, index of the next need to visit).
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = "visiting"
        while stack:
            name, index = stack[-1]
            if index < len(needs[name]):
                stack[-1] = (name, index + 1)
                need = needs[name][index]
                alias = definitions[name]
                if state.get(need) == "visiting" and isinstance(alias, TypeAliasDef):
                    definitions[name] = _break_cycle(alias, need, ctx)
                    needs[name] = []
                elif need not in state:
                    state[need] = "visiting"
                    stack.append((need, 0))
                continue
            stack.pop()
            state[name] = "done"
            ordered.append(definitions[name])
    return tuple(ordered)


def _import_time_needs(definition: TypeDef, slot: Slot, position: dict[str, int]) -> list[str]:
    if isinstance(definition, TypeAliasDef):
        names = set(definition.references.types)
    else:
        names = set(slot.eager)
    return sorted((n for n in names if n in position), key=position.__getitem__)


def _break_cycle(alias: TypeAliasDef, need: str, ctx: ParseContext) -> TypeAliasDef:
    through = "" if need == alias.name else f" through {need}"
    ctx.warn(
        f"type alias {alias.name} refers to itself{through} with no model in between; typed as Any",
        alias.pointer,
    )
    return replace(alias, annotation=ANY.source, references=ANY.references())
