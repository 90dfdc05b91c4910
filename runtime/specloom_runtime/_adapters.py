"""One cached pydantic `TypeAdapter` per Python type, shared by client and server."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter


@cache
def adapter_for(annotation: Any) -> TypeAdapter[Any]:
    """The TypeAdapter for `annotation` (`int`, `list[Pet]`, ...), built once."""
    return TypeAdapter(annotation)
