"""`build_app`: a Starlette application serving the operations of generated API classes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ._binding import bind_implementations, handler_for, operations_of
from ._dispatch import Selector, choose, most_specific_first
from ._endpoint import DeferredEndpoint, OperationEndpoint
from ._limits import DEFAULT_MAX_BODY_SIZE
from ._openapi import served_spec
from ._paths import (
    adjacent_choices,
    adjacent_integers,
    empty_tail,
    path_shape,
    precedence,
    starlette_path,
    variable_names,
)
from ._problems import problem_response
from ._render import ResponseValidation
from ._route_table import Endpoint, OperationRoute, RouteTable
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
    generated from, is served at `/openapi.json` with the app's own problem responses added,
    unless the spec has an operation of its own there (a GET or HEAD of `/openapi.json`,
    as a spec documenting that route has): that operation is served instead. What reads an
    operation's requests and writes its responses is built on its first request (the
    validators of thousands of models are not built for operations no request uses).

    Raises TypeError for an implementation of none of the classes, ValueError for two
    implementations of one class, two operations on the same method and path that no
    request tells apart (see `_dispatch`), or a scheme the operations use without a
    verifier.
    """
    bound = bind_implementations(implementations, api_classes)
    served = [(api, operation) for api in api_classes for operation in operations_of(api)]
    verifiers = dict(security or {})
    check_verifiers((operation for _, operation in served), verifiers)
    endpoints: list[DeferredEndpoint] = []
    for api, operation in served:
        handler = handler_for(bound.get(api), api, operation.name)
        build = partial(
            OperationEndpoint.build,
            operation,
            handler,
            checks=[SecurityCheck(operation, verifiers)] if operation.security else [],
            debug=debug,
            validate_responses=validate_responses,
            max_body_size=DEFAULT_MAX_BODY_SIZE if max_body_size is None else max_body_size,
        )
        endpoints.append(DeferredEndpoint(operation, handler, build, debug=debug))
    routes: list[EncodedPathRoute] = []
    if openapi is not None and not _declares_spec_path(endpoints):
        routes.append(_spec_route(openapi, endpoints))
    routes += _routes(endpoints)
    table: list[BaseRoute] = [RouteTable(routes)]
    return Starlette(
        debug=debug,
        routes=table,
        exception_handlers={HTTPException: _http_error},
    )


def _declares_spec_path(endpoints: Sequence[DeferredEndpoint]) -> bool:
    return any(
        e.operation.path == SPEC_PATH and e.operation.method in ("GET", "HEAD") for e in endpoints
    )


def _spec_route(
    document: Mapping[str, Any], endpoints: Sequence[DeferredEndpoint]
) -> EncodedPathRoute:
    served = served_spec(document, [(e.operation, e.handler is not None) for e in endpoints])
    content = json.dumps(served, ensure_ascii=False).encode()

    async def spec(request: Request) -> Response:
        return Response(content, media_type="application/json")

    return EncodedPathRoute(SPEC_PATH, spec, methods=["GET"], name="openapi")


@dataclass(frozen=True)
class _Candidate:
    """An operation served on a route, with what tells it apart from the others there."""

    selector: Selector
    endpoint: DeferredEndpoint
    path_names: tuple[tuple[str, str], ...]
    """(the operation's name, the route's name) of each path variable, when the route's
    path names them differently (`/files/{id}` served on `/files/{file_id}`)."""


@dataclass(frozen=True)
class _MethodDispatch:
    """The operations sharing one path, by method; a HEAD request goes to the GET one.

    Operations sharing a method too are told apart by their selectors (`_dispatch`),
    sorted most specific first.
    """

    candidates: Mapping[str, Sequence[_Candidate]]
    selectors: Mapping[str, Sequence[Selector]]

    def select(self, request: Request) -> Endpoint:
        """The endpoint serving `request`; raises HTTPException 405 or 404 when none does."""
        method = request.scope["method"]
        candidates = self.candidates.get(method)
        if candidates is None and method == "HEAD":
            method = "GET"
            candidates = self.candidates.get(method)
        if candidates is None:
            raise HTTPException(405, headers={"Allow": ", ".join(self.candidates)})
        chosen = choose(self.selectors[method], request)
        if chosen is None:
            raise HTTPException(404)
        candidate = candidates[chosen]
        if candidate.path_names:
            values = request.path_params
            request.scope["path_params"] = {own: values[ours] for own, ours in candidate.path_names}
        return candidate.endpoint.ready()


def _routes(endpoints: Sequence[DeferredEndpoint]) -> list[OperationRoute]:
    """One route per path shape, concrete paths first, each with every method served on it.

    Raises ValueError for two operations on one path shape and method that no request
    tells apart.
    """
    by_shape: dict[str, tuple[str, dict[str, list[_Candidate]]]] = {}
    for endpoint in endpoints:
        operation = endpoint.operation
        path = starlette_path(operation)
        route_path, methods = by_shape.setdefault(path_shape(path), (path, {}))
        served = methods.setdefault(operation.method.upper(), [])
        selector = Selector.of(operation)
        twin = next((c.endpoint for c in served if c.selector == selector), None)
        if twin is not None:
            raise ValueError(
                f"{operation.method.upper()} {operation.path} is served by two operations "
                f"that no request tells apart: {twin.operation.name} and {operation.name}"
            )
        renamed = zip(variable_names(path), variable_names(route_path), strict=True)
        path_names = () if path == route_path else tuple(renamed)
        served.append(_Candidate(selector, endpoint, path_names))
    routes = sorted(by_shape.values(), key=lambda route: precedence(route[0]))
    return [_route(path, methods) for path, methods in routes]


def _route(path: str, methods: Mapping[str, Sequence[_Candidate]]) -> OperationRoute:
    candidates: dict[str, list[_Candidate]] = {}
    for method, served in methods.items():
        order = most_specific_first([candidate.selector for candidate in served])
        candidates[method] = [served[index] for index in order]
    selectors = {m: [c.selector for c in served] for m, served in candidates.items()}
    operations = [c.endpoint.operation for served in candidates.values() for c in served]
    return OperationRoute(
        path,
        _MethodDispatch(candidates, selectors).select,
        methods=list(methods),
        name="|".join(operation.name for operation in operations),
        choices=adjacent_choices(path, operations),
        integers=adjacent_integers(path, operations),
        empty_tail=empty_tail(path, operations),
    )


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own errors (404, 405, ...) as problem+json."""
    if not isinstance(error, HTTPException):
        raise error
    if error.status_code in (204, 304):
        return Response(status_code=error.status_code, headers=error.headers)
    return problem_response(error.status_code, error.detail, headers=error.headers)
