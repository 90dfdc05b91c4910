"""Local `$ref` resolution: `#/json/pointer` into the one bundled document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import msgspec

from specloom.diagnostics import join_pointer

_MISSING = object()


class Target(msgspec.Struct, frozen=True):
    """What a `$ref` points at: the value and its canonical JSON pointer."""

    value: Any
    pointer: str
    tokens: tuple[str, ...]


class Resolver:
    """Resolves local references, each at most once (results are memoised)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._document = document
        self._cache: dict[str, Target | None] = {}

    def resolve(self, ref: object) -> Target | None:
        """The value `ref` (`#/components/schemas/Pet`) points at, or None when it is not a
        local reference or points nowhere."""
        if not isinstance(ref, str):
            return None
        if ref not in self._cache:
            self._cache[ref] = self._lookup(ref)
        return self._cache[ref]

    def follow(self, value: Any) -> tuple[Any, str | None]:
        """`value` with any chain of `$ref`s followed: the final value and its pointer (None
        when `value` is not a reference). A dangling or cyclic chain yields `(None, None)`."""
        pointer: str | None = None
        seen: set[str] = set()
        while isinstance(value, dict) and "$ref" in value:
            ref = value["$ref"]
            target = self.resolve(ref)
            if target is None or target.pointer in seen:
                return None, None
            seen.add(target.pointer)
            value, pointer = target.value, target.pointer
        return value, pointer

    def _lookup(self, ref: str) -> Target | None:
        if not ref.startswith("#"):
            return None
        fragment = unquote(ref[1:])
        if fragment and not fragment.startswith("/"):
            return None
        tokens = tuple(_unescape(t) for t in fragment.split("/")[1:]) if fragment else ()
        value: Any = self._document
        for token in tokens:
            value = _child(value, token)
            if value is _MISSING:
                return None
        return Target(value, join_pointer("", *tokens), tokens)


def _child(value: Any, token: str) -> Any:
    if isinstance(value, dict):
        if token in value:
            return value[token]
        # YAML may have loaded numeric keys (status codes) as ints.
        return value.get(int(token), _MISSING) if token.isdigit() else _MISSING
    if isinstance(value, list) and token.isdigit() and int(token) < len(value):
        return value[int(token)]
    return _MISSING


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")
