"""JSON pointers (RFC 6901) as token lists, and looking them up in a document."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import unquote

from specloom.diagnostics import join_pointer

MISSING: Final = object()
"""What `lookup` returns when a pointer leads nowhere."""


def split_pointer(pointer: str) -> list[str] | None:
    """The unescaped reference tokens of `pointer`, or None when it is not a JSON pointer."""
    if not pointer:
        return []
    if not pointer.startswith("/"):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def split_fragment(fragment: str) -> list[str] | None:
    """The tokens of a URI fragment (`/components/schemas/Pet`, percent-encoding allowed)."""
    return split_pointer(unquote(fragment))


def to_pointer(tokens: list[str]) -> str:
    """The JSON pointer for `tokens`."""
    return join_pointer("", *tokens)


def array_index(token: str) -> int | None:
    """The array index a reference token names (ASCII digits, no leading zero), else None."""
    if token.isascii() and token.isdigit() and (token == "0" or not token.startswith("0")):
        return int(token)
    return None


def step(node: Any, token: str) -> Any:
    """The child of `node` named by one reference token, or `MISSING`."""
    if isinstance(node, dict):
        return node.get(token, MISSING)
    index = array_index(token) if isinstance(node, list) else None
    if index is None:
        return MISSING
    return node[index] if index < len(node) else MISSING


def lookup(document: Any, tokens: list[str]) -> Any:
    """The value at `tokens` in `document`, or `MISSING`."""
    node = document
    for token in tokens:
        node = step(node, token)
        if node is MISSING:
            break
    return node


def lookup_through_refs(document: Any, tokens: list[str]) -> Any:
    """Like `lookup`, but a local `$ref` met on the way is followed when the next token is
    not beside it (`#/components/schemas/Pet/properties/id` where `Pet` is a reference)."""
    return _lookup_following(document, tokens, [_MAX_HOPS])


_MAX_HOPS = 32


def _lookup_following(document: Any, tokens: list[str], budget: list[int]) -> Any:
    node = document
    for token in tokens:
        child = step(node, token)
        while child is MISSING and budget[0] > 0 and _is_local_ref(node):
            budget[0] -= 1
            target = split_fragment(node["$ref"][1:])
            node = MISSING if target is None else _lookup_following(document, target, budget)
            child = step(node, token)
        if child is MISSING:
            return MISSING
        node = child
    return node


def _is_local_ref(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(ref := node.get("$ref"), str) and ref[:1] == "#"
