"""`OperationPlan`: what a client works out once per operation rather than on every call."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ._shapes import Shape, object_layout, shape_of
from .operation import OperationSpec, ParamSpec, ResponseSpec
from .serialization import PathTemplate

__all__ = ["OperationPlan", "plan_for"]


@dataclass(frozen=True)
class OperationPlan:
    """An operation's `Accept` header, its parameters by place and its responses by status."""

    accept: str
    """The declared response media types; empty when no response has a body."""
    query: tuple[ParamSpec, ...]
    query_names: frozenset[str]
    """The wire names of the query parameters and constants: one pair each."""
    field_owners: Mapping[str, tuple[str, ...]]
    """Of the exploded `form` query objects, whose fields are pairs of their own: each
    field's wire name -> the (Python) names of the parameters declaring it."""
    open_maps: tuple[str, ...]
    """The exploded `form` query parameters that take any key (maps)."""
    headers: tuple[ParamSpec, ...]
    cookies: tuple[ParamSpec, ...]
    path: PathTemplate | None
    """The path template, compiled; None when the path is sent as it is (no variables, no
    `#` to encode)."""
    responses: Mapping[str, ResponseSpec]
    """By upper-case status: `200`, `4XX`, `DEFAULT`."""

    def response_for(self, status_code: int) -> ResponseSpec | None:
        """The declared response for a status: exact code, then `4XX`-style range, then default."""
        responses = self.responses
        return (
            responses.get(str(status_code))
            or responses.get(f"{status_code // 100}XX")
            or responses.get("DEFAULT")
        )


# Keyed by id(): hashing a whole OperationSpec would cost more than planning it again. The
# entry keeps the operation alive, so its id cannot be reused by another object.
_PLANS: dict[int, tuple[OperationSpec, OperationPlan]] = {}


def plan_for(operation: OperationSpec) -> OperationPlan:
    """The plan of `operation`, made on first use."""
    entry = _PLANS.get(id(operation))
    if entry is None or entry[0] is not operation:
        entry = (operation, _plan(operation))
        _PLANS[id(operation)] = entry
    return entry[1]


def _plan(operation: OperationSpec) -> OperationPlan:
    media_types = dict.fromkeys(
        content_type
        for response in operation.responses
        if response.annotation is not None
        for content_type in [response.content_type, *_json_alternatives(response)]
        if content_type
    )
    # An exploded `form` object's fields are pairs of their own, taken by the keys of its
    # layout on the server (`_shapes`): what the client checks them against.
    exploded = [
        p
        for p in operation.params
        if p.location == "query"
        and p.effective_style == "form"
        and p.effective_explode
        and shape_of(p.annotation) is Shape.OBJECT
    ]
    return OperationPlan(
        accept=", ".join(media_types),
        query=tuple(p for p in operation.params if p.location == "query"),
        query_names=frozenset(
            [p.wire_name for p in operation.params if p.location == "query"]
            + [name for name, _ in operation.query]
        ),
        field_owners=_field_owners(exploded),
        open_maps=tuple(p.name for p in exploded if object_layout(p.annotation).keys is None),
        headers=tuple(p for p in operation.params if p.location == "header"),
        cookies=tuple(p for p in operation.params if p.location == "cookie"),
        path=(
            PathTemplate(operation.path, operation.params)
            if "{" in operation.path or "#" in operation.path
            else None
        ),
        responses={r.status.upper(): r for r in operation.responses},
    )


def _field_owners(exploded: list[ParamSpec]) -> dict[str, tuple[str, ...]]:
    owners: dict[str, tuple[str, ...]] = {}
    for spec in exploded:
        for key in object_layout(spec.annotation).keys or ():
            owners[key] = (*owners.get(key, ()), spec.name)
    return owners


def _json_alternatives(response: ResponseSpec) -> list[str]:
    """The response's other JSON media types (`application/problem+json`): the client reads
    them into their own types, so it accepts them too."""
    return [
        content_type
        for content_type, _ in response.media[1:]
        if content_type.partition(";")[0].strip().lower().endswith(("/json", "+json"))
    ]
