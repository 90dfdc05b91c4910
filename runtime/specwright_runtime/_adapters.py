"""One cached pydantic `TypeAdapter` per Python type, shared by client and server."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import TypeAdapter


@lru_cache(maxsize=None)
def adapter_for(annotation: Any) -> TypeAdapter[Any]:
    """The TypeAdapter for `annotation` (`int`, `list[Pet]`, ...), built once."""
    return TypeAdapter(annotation)
