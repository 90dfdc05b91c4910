"""Webhooks (OpenAPI 3.1 `webhooks`) and callbacks: requests the API sends to its users.

They are typed like operations (their payloads become models), and grouped by first
tag into `<Tag>Webhooks` receiver classes: a user implements them as they would a
`<Tag>Api` and serves them with the generated `create_webhooks_app`. A webhook has no
path of its own (the user registers whatever URL they like), so each is served at
`/<name>`: the webhook's name, or the callback's; a callback with several URL
expressions adds the expression's position (`/<name>/2`), and a route taken already (two
operations with a callback of the same name) a number (`/<name>-2`).

A callback without tags takes those of the operation that declares it; an operation
without an `operationId` is named after its webhook or callback.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from msgspec.structs import replace

from specloom.diagnostics import join_pointer
from specloom.naming import Scope, method_scope, operation_name, pascal_case, service_attribute
from specloom.parser.context import ParseContext
from specloom.parser.paths import HTTP_METHODS, RawOperation
from specloom.parser.services import UNTAGGED, ServicePlan

_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")


def collect_webhooks(
    document: Mapping[str, Any], operations: list[RawOperation], ctx: ParseContext
) -> list[RawOperation]:
    """Every operation of `webhooks`, then of every operation's `callbacks`, in spec order."""
    found: list[RawOperation] = []
    webhooks = document.get("webhooks")
    if isinstance(webhooks, dict):
        for name, item in webhooks.items():
            if isinstance(name, str) and not name.startswith("x-"):
                pointer = join_pointer("/webhooks", name)
                found += _item_operations(item, name, f"/{_route(name)}", pointer, (), ctx)
    for parent in operations:
        callbacks = parent.spec.get("callbacks")
        if not isinstance(callbacks, dict):
            continue
        for name, callback in callbacks.items():
            if not isinstance(name, str) or name.startswith("x-"):
                continue
            pointer = join_pointer(parent.pointer, "callbacks", name)
            callback, _ = ctx.resolver.follow(callback)
            if not isinstance(callback, dict):
                ctx.warn("callback must be an object; skipped", pointer)
                continue
            expressions = [e for e in callback if isinstance(e, str) and not e.startswith("x-")]
            for index, expression in enumerate(expressions):
                path = f"/{_route(name)}" + (f"/{index + 1}" if index else "")
                here = join_pointer(pointer, expression)
                found += _item_operations(callback[expression], name, path, here, parent.tags, ctx)
    return _distinct_routes(found)


def _distinct_routes(operations: list[RawOperation]) -> list[RawOperation]:
    """The operations, a route taken already (two callbacks of one name) moved to `-2`..."""
    taken: set[tuple[str, str]] = set()
    distinct = []
    for operation in operations:
        path, number = operation.path, 1
        while (operation.method, path) in taken:
            number += 1
            path = f"{operation.path}-{number}"
        taken.add((operation.method, path))
        distinct.append(operation if path == operation.path else replace(operation, path=path))
    return distinct


def _item_operations(
    item: Any,
    name: str,
    path: str,
    pointer: str,
    tags: tuple[str, ...],
    ctx: ParseContext,
) -> list[RawOperation]:
    item, _ = ctx.resolver.follow(item)
    if not isinstance(item, dict):
        ctx.warn("webhook must be a path item object; skipped", pointer)
        return []
    shared = item.get("parameters")
    shared_parameters = (
        tuple(
            (param, join_pointer(pointer, "parameters", index))
            for index, param in enumerate(shared)
        )
        if isinstance(shared, list)
        else ()
    )
    found = []
    for method in HTTP_METHODS:
        spec = item.get(method)
        if not isinstance(spec, dict):
            continue
        spec = dict(spec)
        if not spec.get("operationId"):
            spec["operationId"] = name
        if not spec.get("tags") and tags:
            spec["tags"] = list(tags)
        spec["security"] = []  # see `create_webhooks_app`: checking the sender is the handler's
        op_pointer = join_pointer(pointer, method)
        found.append(RawOperation(path, method.upper(), spec, op_pointer, shared_parameters))
    return found


def _route(name: str) -> str:
    return _UNSAFE.sub("-", name).strip("-") or "webhook"


def webhook_key(operation: RawOperation) -> str:
    """The receiver group (by first tag) a webhook belongs to."""
    tags = operation.tags
    return service_attribute(tags[0] if tags else UNTAGGED)


def plan_webhooks(webhooks: list[RawOperation], taken: set[str]) -> dict[str, ServicePlan]:
    """One receiver class per first tag, `<Tag>Webhooks`, clear of the names in `taken`."""
    first_tags: dict[str, str] = {}
    for operation in webhooks:
        tags = operation.tags
        first_tags.setdefault(webhook_key(operation), tags[0] if tags else UNTAGGED)
    prefixes = Scope(taken, separator="", companions=lambda p: (f"{p}Webhooks",))
    plans = {}
    for attribute in sorted(first_tags):
        tag = first_tags[attribute]
        prefix = prefixes.claim(pascal_case(tag, fallback="Default"))
        plans[attribute] = ServicePlan(
            tag=tag,
            attribute_name=attribute,
            client_class="",
            async_client_class="",
            api_class=f"{prefix}Webhooks",
            description="",
        )
    return plans


def webhook_method_names(webhooks: list[RawOperation]) -> list[str]:
    """The handler method name of each webhook, unique within its receiver class."""
    scopes: dict[str, Scope] = {}
    names = []
    for operation in webhooks:
        scope = scopes.setdefault(webhook_key(operation), method_scope())
        candidate = operation_name(operation.operation_id, operation.method, operation.path)
        names.append(scope.claim(candidate))
    return names
