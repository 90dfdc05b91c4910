"""A faster step from a node to its child for openapi-spec-validator's second phase.

The second phase reads the document through jsonschema_path, which asks at every step
into a node whether it is `Subscriptable`: an `isinstance` check against a runtime
protocol, and on Python 3.11 such a check lists the protocol's members again each time
(a third of the phase's time on GitHub's spec). The protocol's one member is
`__getitem__`; for the values a loaded document holds (dicts, lists, strings, numbers,
booleans, None, YAML dates) whether their type has one is the same answer, found at the
cost of an attribute lookup. The step is otherwise jsonschema_path's own.
"""

from __future__ import annotations

from typing import Any

from jsonschema_path.accessors import SchemaAccessor
from jsonschema_path.nodes import SchemaNode

__all__ = ["install"]


def _get_subnode(cls: type, node: Any, part: Any) -> Any:
    if getattr(type(node), "__getitem__", None) is None:
        raise KeyError(part)
    try:
        return node[part]
    except (KeyError, IndexError, TypeError) as exc:
        raise KeyError(part) from exc


_FAST_STEP: classmethod[Any, Any, Any] = classmethod(_get_subnode)


def install() -> None:
    """Make jsonschema_path's schema nodes (the ones validation reads) step the fast way."""
    for reader in (SchemaNode, SchemaAccessor):
        if reader.__dict__.get("_get_subnode") is not _FAST_STEP:
            setattr(reader, "_get_subnode", _FAST_STEP)  # noqa: B010
