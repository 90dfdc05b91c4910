"""Field types generated models use to say what JSON Schema says and Python types cannot.

`Omittable[T]` is an optional property whose schema is not nullable: in Python it reads
`T | None` (None while absent), but it is left out of the JSON a model is dumped to when it
is None, and an explicit `null` fails validation under `STRICT_CONTEXT` (what generated
servers validate requests and responses with). Clients validate without that context, so
they still accept a server that sends `null` where the spec says it never does.

```python
class Pet(BaseModel):
    tag: Omittable[str] = None       # absent or a string; never null on the wire
    owner: str | None = None         # nullable: null is a value
```
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, Field, ValidationInfo

__all__ = ["STRICT_CONTEXT", "Omittable", "is_strict"]

T = TypeVar("T")

STRICT_KEY = "specloom.strict"
STRICT_CONTEXT: dict[str, Any] = {STRICT_KEY: True}
"""The pydantic validation context under which `null` for an `Omittable` field fails."""


def is_strict(info: ValidationInfo) -> bool:
    """Whether a validation runs under `STRICT_CONTEXT`."""
    context = info.context
    return isinstance(context, dict) and context.get(STRICT_KEY) is True


def _not_null(value: T | None, info: ValidationInfo) -> T | None:
    if value is None and is_strict(info):
        raise ValueError("null is not allowed here: leave the property out instead")
    return value


def _is_none(value: object) -> bool:
    return value is None


Omittable = Annotated[
    T | None,
    Field(exclude_if=_is_none),
    AfterValidator(_not_null),
]
"""An optional, non-nullable property: `T`, or None (absent), never `null` in JSON."""
