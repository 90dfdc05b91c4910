"""`build_app`: a Starlette application serving the operations of generated API classes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ._binding import bind_implementations, handler_for, operations_of
from ._endpoint import OperationEndpoint
from ._limits import DEFAULT_MAX_BODY_SIZE
from ._openapi import served_spec
from ._paths import precedence, starlette_path
from ._problems import problem_response
from ._render import ResponseValidation
from ._route_table import OperationRoute, RouteTable
from ._routing import EncodedPathRoute
from ._security import SecurityCheck, Verifier, check_verifiers

SPEC_PATH = "/openapi.json"


def build_app(
    implementations: Sequence[object],
    api_classes: Sequence[type],
    *,
    security: Mapping[str, Verifier] | None = None,
    debug: bool = False,
    validate_responses: ResponseValidation = True,
    max_body_size: int | None = None,
    openapi: Mapping[str, Any] | None = None,
) -> Starlette:
    """A Starlette app serving every operation of `api_classes`.

    Each API class lists its operations in a class variable `operations` and has one
    `async` method per operation. An operation is handled by the method of the
    implementation that is an instance of its class; without one, or when that method is
    not overridden, it answers 501. Invalid requests answer 400 (every problem listed), a
    body of the wrong media type 415, a failing handler 500 (with details only when
    `debug`); all errors are `application/problem+json`. Routes match the path as the
    client sent it, so a path parameter holding an encoded `/` (`a%2Fb`) reaches its
    handler intact.

    `security` maps each security scheme (by its Python name) to its verifier, or to
    `ALLOW_ANONYMOUS`; requests failing an operation's security answer 401 or 403 (the
    verifiers' signatures are in the README's Security section and in the generated
    `create_app`'s docstring).

    `validate_responses` checks the JSON bodies a handler answers with against their
    declared type (500, with the reason logged, when one does not match): every body but
    instances of the declared models, which pydantic validated when they were built (a
    list or mapping of them too); `"always"` checks those as well (for handlers building
    models with `model_construct` or changing them after construction), False none.
    Request bodies over `max_body_size` bytes (1 MiB when None) answer 413 (raise it for
    one operation with `@max_body_size(...)`). `openapi`, the spec the classes were
    generated from, is served at `/openapi.json` with the app's own problem responses added.

    Raises TypeError for an implementation of none of the classes, ValueError for two
    implementations of one class, two operations on the same method and path, or a
    scheme the operations use without a verifier.
    """
    bound = bind_implementations(implementations, api_classes)
    served = [(api, operation) for api in api_classes for operation in operations_of(api)]
    verifiers = dict(security or {})
    check_verifiers((operation for _, operation in served), verifiers)
    endpoints = [
        OperationEndpoint.build(
            operation,
            handler_for(bound.get(api), api, operation.name),
            checks=[SecurityCheck(operation, verifiers)] if operation.security else [],
            debug=debug,
            validate_responses=validate_responses,
            max_body_size=DEFAULT_MAX_BODY_SIZE if max_body_size is None else max_body_size,
        )
        for api, operation in served
    ]
    routes: list[EncodedPathRoute] = []
    if openapi is not None:
        routes.append(_spec_route(openapi, endpoints))
    routes += _routes(endpoints)
    table: list[BaseRoute] = [RouteTable(routes)]
    return Starlette(
        debug=debug,
        routes=table,
        exception_handlers={HTTPException: _http_error},
    )


def _spec_route(
    document: Mapping[str, Any], endpoints: Sequence[OperationEndpoint]
) -> EncodedPathRoute:
    served = served_spec(document, [(e.operation, e.handler is not None) for e in endpoints])
    content = json.dumps(served, ensure_ascii=False).encode()

    async def spec(request: Request) -> Response:
        return Response(content, media_type="application/json")

    return EncodedPathRoute(SPEC_PATH, spec, methods=["GET"], name="openapi")


@dataclass(frozen=True)
class _MethodDispatch:
    """The operations sharing one path, by method; a HEAD request goes to the GET one.

    Operations sharing a method too are told apart by their constant headers
    (`OperationSpec.headers`, e.g. AWS's `X-Amz-Target`), most specific first.
    """

    endpoints: Mapping[str, Sequence[OperationEndpoint]]

    def select(self, request: Request) -> OperationEndpoint:
        """The endpoint serving `request`; raises HTTPException 405 or 404 when none does."""
        method = request.scope["method"]
        candidates = self.endpoints.get(method)
        if candidates is None and method == "HEAD":
            candidates = self.endpoints.get("GET")
        if candidates is None:
            raise HTTPException(405, headers={"Allow": ", ".join(self.endpoints)})
        for endpoint in candidates:
            selector = endpoint.operation.headers
            if not selector or all(request.headers.get(k) == v for k, v in selector):
                return endpoint
        raise HTTPException(404)


def _routes(endpoints: Sequence[OperationEndpoint]) -> list[OperationRoute]:
    """One route per path, concrete paths first, each with every method served on it."""
    by_path: dict[str, dict[str, list[OperationEndpoint]]] = {}
    for endpoint in endpoints:
        path = starlette_path(endpoint.operation)
        methods = by_path.setdefault(path, {})
        served = methods.setdefault(endpoint.operation.method.upper(), [])
        selector = _selector(endpoint)
        twin = next((e for e in served if _selector(e) == selector), None)
        if twin is not None:
            raise ValueError(
                f"{endpoint.operation.method.upper()} {endpoint.operation.path} is served by "
                f"two operations: {twin.operation.name} and {endpoint.operation.name}"
            )
        served.append(endpoint)
        served.sort(key=lambda e: -len(e.operation.headers))
    return [
        OperationRoute(
            path,
            _MethodDispatch(methods).select,
            methods=list(methods),
            name="|".join(e.operation.name for served in methods.values() for e in served),
        )
        for path, methods in sorted(by_path.items(), key=lambda item: precedence(item[0]))
    ]


def _selector(endpoint: OperationEndpoint) -> frozenset[tuple[str, str]]:
    return frozenset((name.lower(), value) for name, value in endpoint.operation.headers)


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (404, 405, ...) as problem+json."""
    if not isinstance(error, HTTPException):
        raise error
    if error.status_code in (204, 304):
        return Response(status_code=error.status_code, headers=error.headers)
    return problem_response(error.status_code, error.detail, headers=error.headers)
