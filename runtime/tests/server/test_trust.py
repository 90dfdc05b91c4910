"""Which response bodies are trusted as validated: exactly the declared model classes."""

from __future__ import annotations

from typing import Annotated, Any

import pytest
from pydantic import BaseModel, Field

from specloom_runtime.server._trust import validated_instances


class Pet(BaseModel):
    name: str = Field(min_length=1)


class Error(BaseModel):
    message: str


class LoudPet(Pet):
    pass


REX = Pet(name="Rex")


@pytest.mark.parametrize(
    ("annotation", "body"),
    [
        (Pet, REX),
        (Pet | Error, Error(message="gone")),
        (list[Pet], [REX, Pet(name="Tom")]),
        (list[Pet], []),
        (dict[str, Pet], {"rex": REX}),
    ],
)
def test_instances_of_the_declared_models_are_trusted(annotation: Any, body: object) -> None:
    trusted = validated_instances(annotation)

    assert trusted is not None
    assert trusted(body)


@pytest.mark.parametrize(
    ("annotation", "body"),
    [
        (Pet, {"name": ""}),
        (Pet, LoudPet(name="Rex")),
        (Pet, Error(message="not a pet")),
        (list[Pet], [REX, {"name": ""}]),
        (list[Pet], (REX,)),
        (dict[str, Pet], {"rex": {"name": ""}}),
    ],
    ids=["dict", "subclass", "other-model", "dict-in-list", "tuple", "dict-in-mapping"],
)
def test_anything_else_is_not(annotation: Any, body: object) -> None:
    trusted = validated_instances(annotation)

    assert trusted is not None
    assert not trusted(body)


@pytest.mark.parametrize(
    "annotation",
    [
        str,
        int,
        dict[str, int],
        Pet | None,
        Annotated[list[Pet], Field(max_length=1)],
        Annotated[Pet, Field(description="a pet")],
    ],
    ids=["str", "int", "scalar-mapping", "nullable", "constrained-list", "annotated"],
)
def test_types_whose_values_need_checking_trust_nothing(annotation: Any) -> None:
    assert validated_instances(annotation) is None
