"""One cached pydantic `TypeAdapter` per Python type, shared by client and server."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter


@cache
def adapter_for(annotation: Any) -> TypeAdapter[Any]:
    """The TypeAdapter for `annotation` (`int`, `list[Pet]`, ...), built once.

    Built now even for a model that defers its build (generated models do): its
    `validator` and `serializer`, which callers keep, would otherwise be stand-ins that
    look the real ones up again on every call.
    """
    adapter = TypeAdapter(annotation)
    adapter.rebuild()
    return adapter
