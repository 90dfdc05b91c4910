"""Component schemas a rebuild of one operation leaves unread, and what naming needs of them.

A rebuild (`specloom.operation_edits`) reads of `components/schemas` only the schemas its
path item reaches (`specloom.partial_read`); each other one stands in the document as an
`Unread` placeholder. Naming the components needs two facts of every schema, which the
last full run kept (`KnownComponents`): the members of a plain enum, and which components
extend a schema of a discriminated hierarchy (`discriminators.subtypes_by_base`). Anything
else that looks into an unread schema raises `UnreadSchema`, which makes the rebuild run
in full: no answer is ever given from a schema that was not read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

import msgspec

__all__ = ["KnownComponents", "Unread", "UnreadSchema"]

EnumMembers = tuple[tuple[str | int, str], ...]
"""An enum's (value, member name) pairs, as `EnumInfo.members` holds them."""


class UnreadSchema(LookupError):
    """Something looked into a component schema that was not read."""


class Unread(dict[str, Any]):
    """A component schema left unread: a `dict` to `isinstance`, which raises
    `UnreadSchema` when anything looks into it, compares it or copies it. (C code that
    reads a dict's entries directly, as `json`'s encoder does, finds it empty: a rebuild
    never writes its document out.)"""

    __slots__ = ("wire",)

    def __init__(self, wire: str) -> None:
        super().__init__()
        self.wire = wire

    def _refused(self) -> NoReturn:
        raise UnreadSchema(f"the component schema {self.wire!r} was not read")

    def __getitem__(self, key: str) -> Any:
        self._refused()

    def __contains__(self, key: object) -> bool:
        self._refused()

    def __iter__(self) -> Iterator[str]:
        self._refused()

    def __len__(self) -> int:
        self._refused()

    def __eq__(self, other: object) -> bool:
        self._refused()

    def __ne__(self, other: object) -> bool:
        self._refused()

    __hash__ = None

    def __reduce_ex__(self, protocol: Any) -> Any:
        self._refused()

    def __or__(self, other: Any) -> Any:
        self._refused()

    def get(self, *args: Any, **kwargs: Any) -> Any:
        self._refused()

    def keys(self) -> Any:
        self._refused()

    def values(self) -> Any:
        self._refused()

    def items(self) -> Any:
        self._refused()

    def copy(self) -> Any:
        self._refused()

    def setdefault(self, *args: Any, **kwargs: Any) -> Any:
        self._refused()

    def pop(self, *args: Any, **kwargs: Any) -> Any:
        self._refused()


class KnownComponents(msgspec.Struct, frozen=True):
    """What naming the components reads of every schema, by its name in the spec."""

    enums: dict[str, EnumMembers]
    """The members of each component typed from its `enum` list (`component_enum`)."""
    subtypes: dict[str, tuple[str, ...]]
    """`discriminators.subtypes_by_base`, by names in the spec."""

    def packed(self) -> tuple[Any, ...]:
        return self.enums, self.subtypes

    @classmethod
    def unpacked(cls, data: Any) -> KnownComponents | None:
        try:
            enums, subtypes = data
        except (TypeError, ValueError):
            return None
        if not isinstance(enums, dict) or not isinstance(subtypes, dict):
            return None
        return cls(enums, subtypes)

    def subtypes_named(self, names: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
        """`subtypes` by the names the components were given (`names`: spec name ->
        type name); KeyError when one is not among them."""
        return {
            names[base]: tuple(names[wire] for wire in wires)
            for base, wires in self.subtypes.items()
        }
