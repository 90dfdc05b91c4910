"""Which response bodies pydantic validated already: instances of the declared models.

A handler returning an instance of the model its response declares (or a list or mapping
of them) built it through the model's constructor, which validated every field. Checking
the JSON it is dumped to against the same schema again would find nothing new; dumping it
is all that is left. What a constructor does not see (`model_construct`, assignments after
construction) is caught only as far as the serializer checks types (see docs/server.md).
"""

from __future__ import annotations

import collections.abc
import types
import typing
from collections.abc import Callable
from typing import Any, get_args, get_origin

from pydantic import BaseModel

Trusted = Callable[[object], bool]
"""Whether a body is made of instances of the declared models only."""

_SEQUENCES: frozenset[Any] = frozenset(
    {list, collections.abc.Sequence, collections.abc.MutableSequence, collections.abc.Iterable}
)
_MAPPINGS: frozenset[Any] = frozenset(
    {dict, collections.abc.Mapping, collections.abc.MutableMapping}
)


def validated_instances(annotation: Any) -> Trusted | None:
    """A test for bodies of type `annotation` that are validated model instances, or None
    when no body of this type is (scalars, dicts of scalars, constrained containers)."""
    classes = _model_classes(annotation)
    if classes is not None:
        return _instance_of(classes)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in _SEQUENCES and len(args) == 1:
        classes = _model_classes(args[0])
        if classes is not None:
            return _list_of(classes)
    if origin in _MAPPINGS and len(args) == 2 and args[0] is str:
        classes = _model_classes(args[1])
        if classes is not None:
            return _dict_of(classes)
    return None


def _model_classes(annotation: Any) -> frozenset[type] | None:
    """The model classes a plain model type or union of them admits, else None."""
    members = get_args(annotation) if _is_union(annotation) else (annotation,)
    if members and all(_is_model(member) for member in members):
        return frozenset(members)
    return None


def _is_union(annotation: Any) -> bool:
    return get_origin(annotation) in (typing.Union, types.UnionType)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _instance_of(classes: frozenset[type]) -> Trusted:
    def trusted(body: object) -> bool:
        return type(body) in classes

    return trusted


def _list_of(classes: frozenset[type]) -> Trusted:
    def trusted(body: object) -> bool:
        return type(body) is list and classes.issuperset(map(type, body))

    return trusted


def _dict_of(classes: frozenset[type]) -> Trusted:
    def trusted(body: object) -> bool:
        return (
            type(body) is dict
            and all(type(key) is str for key in body)
            and classes.issuperset(map(type, body.values()))
        )

    return trusted
