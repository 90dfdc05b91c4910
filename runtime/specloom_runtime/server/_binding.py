"""Matching implementations to the generated API classes they implement."""

from __future__ import annotations

from collections.abc import Sequence

from ..operation import OperationSpec
from ._endpoint import Handler


def bind_implementations(
    implementations: Sequence[object], api_classes: Sequence[type]
) -> dict[type, object]:
    """Each API class with the one implementation that is an instance of it.

    Raises TypeError for an implementation of none of the classes, ValueError for two
    implementations of one class.
    """
    bound: dict[type, object] = {}
    for implementation in implementations:
        served = [api for api in api_classes if isinstance(implementation, api)]
        if not served:
            raise TypeError(_not_an_implementation(implementation, api_classes))
        for api in served:
            if api in bound:
                raise ValueError(
                    f"two implementations of {api.__name__}: "
                    f"{type(bound[api]).__name__} and {type(implementation).__name__}"
                )
            bound[api] = implementation
    return bound


def operations_of(api_class: type) -> tuple[OperationSpec, ...]:
    """The `operations` an API class declares; TypeError when it declares none."""
    operations = getattr(api_class, "operations", None)
    if not isinstance(operations, tuple) or not all(
        isinstance(operation, OperationSpec) for operation in operations
    ):
        raise TypeError(
            f"{api_class.__name__} is not an API class: it needs "
            "`operations: ClassVar[tuple[OperationSpec, ...]]`"
        )
    return operations


def handler_for(implementation: object | None, api_class: type, name: str) -> Handler | None:
    """The implementation's method for an operation; None when it does not override it."""
    if implementation is None:
        return None
    method = getattr(type(implementation), name, None)
    if method is None or method is getattr(api_class, name, None):
        return None
    handler: Handler = getattr(implementation, name)
    return handler


def _not_an_implementation(implementation: object, api_classes: Sequence[type]) -> str:
    expected = ", ".join(api.__name__ for api in api_classes) or "no API class"
    if isinstance(implementation, type):
        return (
            f"got the class {implementation.__name__}; pass an instance of it "
            f"(an implementation of {expected})"
        )
    return f"{type(implementation).__name__} is not an implementation of {expected}"
