"""An int path value goes out as its digits when its limits allow, as `encode_path` sends
it, and is refused with the limits' own message when they do not."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import Field

from specloom_runtime.operation import ParamSpec
from specloom_runtime.serialization import (
    ParameterValueError,
    PathTemplate,
    encode_path,
)

ANNOTATIONS: list[Any] = [
    int,
    Annotated[int, Field(ge=-(2**63), le=2**63 - 1)],
    Annotated[int, Field(ge=1, le=100)],
    Annotated[int, Field(gt=0, lt=100)],
    Annotated[int, Field(lt=99.5)],  # refused by pydantic: sent by neither way
    Annotated[int, Field(multiple_of=3)],
    Annotated[float, Field(ge=0)],
    Annotated[str, Field(max_length=3)],
]


def outcome(make: Any) -> tuple[str, str]:
    """What was sent, or the error raised instead (its type and message)."""
    try:
        return "sent", make()
    except Exception as error:
        return type(error).__name__, str(error)


@pytest.mark.parametrize("annotation", ANNOTATIONS)
@given(value=st.one_of(st.integers(-(2**64), 2**64), st.booleans()))
def test_an_int_goes_out_as_encode_path_sends_it(annotation: Any, value: int) -> None:
    spec = ParamSpec("item_id", "itemId", "path", annotation, required=True)
    template = PathTemplate("/items/{itemId}", [spec])

    expanded = outcome(lambda: template.expand({"item_id": value}))

    assert expanded == outcome(lambda: "/items/" + encode_path(spec, value))


def test_a_value_over_the_limit_is_refused_with_the_limits_message() -> None:
    spec = ParamSpec("item_id", "itemId", "path", ANNOTATIONS[2], required=True)
    template = PathTemplate("/items/{itemId}", [spec])

    assert template.expand({"item_id": 100}) == "/items/100"
    with pytest.raises(ParameterValueError, match="less than or equal to 100"):
        template.expand({"item_id": 101})
