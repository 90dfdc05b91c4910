"""Every path the second phase of validation resolves, kept for the whole check.

openapi-spec-validator's second phase reads the document through jsonschema_path, which
keeps resolved paths in a least-recently-used cache of `resolved_cache_maxsize` entries
(128 unless configured). On GitHub's spec the phase asks about 507,000 times for about
72,000 distinct paths, so most asks missed that cache and resolved their last step again,
and each one paid the cache's bookkeeping (a tuple, a hash check, a reordering). Here a
plain dictionary keeps every path. The answers are the same: a path in one document
always resolves to the same node, and jsonschema_path's prefix cache already keeps every
path it has resolved on the way. A registry that grows is handled as before, by
jsonschema_path rebinding what it reads from either cache.
"""

from __future__ import annotations

import contextlib
from collections.abc import Hashable, Sequence
from typing import Any

from jsonschema_path import SchemaPath
from jsonschema_path.accessors import SchemaAccessor

__all__ = ["keep_every_resolved_path"]


class _EveryPath:
    """The `get`/`set` of jsonschema_path's full-path cache, without a size limit."""

    def __init__(self) -> None:
        self._resolved: dict[tuple[Hashable, ...], Any] = {}

    def get(self, parts: Sequence[Hashable]) -> Any:
        try:
            return self._resolved.get(tuple(parts))
        except TypeError:  # a part that cannot be a key: not cached, as in jsonschema_path
            return None

    def set(self, parts: Sequence[Hashable], resolved: Any) -> None:
        with contextlib.suppress(TypeError):
            self._resolved[tuple(parts)] = resolved


def keep_every_resolved_path(document: SchemaPath) -> None:
    """Make `document`'s reads keep every resolved path (nothing when caching is off)."""
    accessor = document.accessor
    if not isinstance(accessor, SchemaAccessor) or not hasattr(accessor, "_resolved_cache"):
        return  # another jsonschema_path: left as it is
    maxsize: object = getattr(accessor, "_resolved_cache_maxsize", 0)
    if isinstance(maxsize, int) and maxsize > 0:
        accessor._resolved_cache = _EveryPath()  # type: ignore[assignment]
