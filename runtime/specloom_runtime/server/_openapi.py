"""The spec an app serves at `/openapi.json`: the one it was generated from, plus the
problem responses (400, 401, 403, 413, 415, 500, 501) the app itself may give.

A client or fuzzer reading it then meets no status or content type it was not told of.
A status the operation already declares gets `application/problem+json` added to its
content; a status it does not declare is added with the `Problem` schema.
"""

from __future__ import annotations

import copy
import importlib.resources
import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..operation import OperationSpec
from ._problems import PROBLEM_JSON

SPEC_RESOURCE = "openapi.json"
"""The file in a generated package holding the spec it was generated from."""

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A problem the server reports (RFC 9457).",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Each problem found in the request, and where it is.",
            "items": {
                "type": "object",
                "required": ["in", "message"],
                "properties": {
                    "in": {"type": "string", "enum": ["path", "query", "header", "cookie", "body"]},
                    "name": {"type": "string"},
                    "pointer": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}

_DESCRIPTIONS = {
    "400": "The request is invalid: every problem is listed.",
    "401": "The request lacks valid credentials.",
    "403": "The credentials do not allow this operation.",
    "413": "The request body is too large.",
    "415": "The request body has a media type the operation does not take.",
    "500": "The server failed to handle the request.",
    "501": "The operation is not implemented.",
}


def packaged_spec(package: str | None) -> dict[str, Any] | None:
    """The spec stored in a generated package (`openapi.json` beside its modules), or None."""
    if not package:
        return None
    resource = importlib.resources.files(package).joinpath(SPEC_RESOURCE)
    if not resource.is_file():
        return None
    document = json.loads(resource.read_bytes())
    return document if isinstance(document, dict) else None


def served_spec(
    document: Mapping[str, Any], operations: Iterable[tuple[OperationSpec, bool]]
) -> dict[str, Any]:
    """`document` with the problem responses of each (operation, implemented) pair added."""
    served = copy.deepcopy(dict(document))
    schema_ref = _add_problem_schema(served)
    root_security = served.get("security")
    for operation, implemented in operations:
        declared = _operation_object(served, operation)
        if declared is None:
            continue
        statuses = ["500"]
        if operation.params or operation.body is not None:
            statuses.append("400")
        if operation.body is not None:
            statuses += ["413", "415"]
        if _is_secured(declared.get("security", root_security)):
            statuses += ["401", "403"]
        if not implemented:
            statuses.append("501")
        responses = declared.setdefault("responses", {})
        for status in sorted(statuses):
            _document_problem(served, responses, status, schema_ref)
    return served


def _operation_object(document: dict[str, Any], operation: OperationSpec) -> dict[str, Any] | None:
    """The operation's object in `document`, found by its pointer (through a `$ref`ed path
    item), else by its path and method."""
    pointer = operation.pointer or _pointer(operation.path, operation.method.lower())
    found: object = document
    for token in pointer.split("/")[1:]:
        found = _followed(document, found)
        if not isinstance(found, dict):
            return None
        found = found.get(token.replace("~1", "/").replace("~0", "~"))
    found = _followed(document, found)
    return found if isinstance(found, dict) else None


def _pointer(path: str, method: str) -> str:
    return "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/" + method


def _is_secured(security: object) -> bool:
    """Whether a security requirement list demands credentials (`{}` makes them optional)."""
    if not isinstance(security, list) or not security:
        return False
    return all(isinstance(entry, dict) and entry for entry in security)


def _add_problem_schema(document: dict[str, Any]) -> str:
    """Add the Problem schema under a free name in `components/schemas`; its `$ref`."""
    components = document.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    name, number = "Problem", 1
    while name in schemas and schemas[name] != PROBLEM_SCHEMA:
        number += 1
        name = f"Problem{number}"
    schemas[name] = PROBLEM_SCHEMA
    return f"#/components/schemas/{name}"


def _document_problem(
    document: dict[str, Any], responses: dict[str, Any], status: str, schema_ref: str
) -> None:
    media = {"schema": {"$ref": schema_ref}}
    response = _resolved(document, responses.get(status))
    if isinstance(response, dict):
        content = response.get("content")
        response["content"] = {**(content if isinstance(content, dict) else {})}
        response["content"].setdefault(PROBLEM_JSON, media)
        responses[status] = response
        return
    responses[status] = {"description": _DESCRIPTIONS[status], "content": {PROBLEM_JSON: media}}


def _resolved(document: dict[str, Any], response: object) -> dict[str, Any] | None:
    """A copy of a response object, following a local `$ref`; None when there is none."""
    target = _followed(document, response)
    return dict(target) if isinstance(target, dict) else None


def _followed(document: dict[str, Any], value: object) -> object:
    """`value`, or what its chain of local `$ref`s leads to; None for a chain too long."""
    for _ in range(16):
        ref = value.get("$ref") if isinstance(value, dict) else None
        if not isinstance(ref, str):
            return value
        value = _local_target(document, ref)
    return None


def _local_target(document: dict[str, Any], ref: str) -> object:
    if not ref.startswith("#/"):
        return None
    target: object = document
    for token in ref[2:].split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict):
            return None
        target = target.get(token)
    return target
