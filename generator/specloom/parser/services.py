"""Services: operations grouped by their first tag, and the names of each group's classes
and of its methods."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from specloom.naming import Scope, method_scope, operation_name, pascal_case, service_attribute
from specloom.parser.paths import RawOperation

UNTAGGED = "default"


class ServicePlan(msgspec.Struct, frozen=True):
    """The names of one service, decided before any operation is typed."""

    tag: str
    """The first tag (as written) that maps to this service; `default` when untagged."""
    attribute_name: str
    client_class: str
    async_client_class: str
    api_class: str
    description: str

    @property
    def class_names(self) -> tuple[str, str, str]:
        return (self.client_class, self.async_client_class, self.api_class)


def service_key(operation: RawOperation) -> str:
    """The attribute name of the service an operation belongs to (tags that normalise to
    the same attribute share one service)."""
    tags = operation.tags
    return service_attribute(tags[0] if tags else UNTAGGED)


def plan_services(
    operations: list[RawOperation], document: Mapping[str, Any]
) -> dict[str, ServicePlan]:
    """One plan per service attribute, sorted by attribute name; class names made unique."""
    first_tags: dict[str, str] = {}
    for operation in operations:
        tags = operation.tags
        first_tags.setdefault(service_key(operation), tags[0] if tags else UNTAGGED)
    descriptions = _tag_descriptions(document)
    prefixes = Scope(
        separator="",
        companions=lambda p: (f"{p}Service", f"Async{p}Service", f"{p}Api"),
    )
    plans = {}
    for attribute in sorted(first_tags):
        tag = first_tags[attribute]
        prefix = prefixes.claim(pascal_case(tag, fallback="Default"))
        plans[attribute] = ServicePlan(
            tag=tag,
            attribute_name=attribute,
            client_class=f"{prefix}Service",
            async_client_class=f"Async{prefix}Service",
            api_class=f"{prefix}Api",
            description=descriptions.get(tag, ""),
        )
    return plans


def method_names(operations: list[RawOperation]) -> list[str]:
    """The Python method name of each operation, unique within its service, in spec order."""
    scopes: dict[str, Scope] = {}
    names = []
    for operation in operations:
        scope = scopes.setdefault(service_key(operation), method_scope())
        candidate = operation_name(operation.operation_id, operation.method, operation.path)
        names.append(scope.claim(candidate))
    return names


def _tag_descriptions(document: Mapping[str, Any]) -> dict[str, str]:
    tags = document.get("tags")
    descriptions: dict[str, str] = {}
    for tag in tags if isinstance(tags, list) else ():
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            description = tag.get("description")
            descriptions.setdefault(
                tag["name"], description if isinstance(description, str) else ""
            )
    return descriptions
