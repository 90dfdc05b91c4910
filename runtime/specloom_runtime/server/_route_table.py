"""`RouteTable`: the routes of an app's operations found by a lookup, not one by one.

A Starlette router asks each of its routes in turn whether it matches; with one route per
path, a request for the last path of a spec pays for all the others first. The table is
one route holding them all: a path without variables is found in a dict, and only the
templated paths are tried in turn, in the order the app gave them (concrete paths come
first there, so looking the literal ones up first finds what trying all in that order
would). What the router sees is the same as with the routes listed one by one: the route
that matched is the scope's `route`, a route with the path but not the method answers
405 unless a later one takes the method, and `url_path_for` finds every route by name.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.datastructures import URLPath
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match, NoMatchFound
from starlette.types import Receive, Scope, Send

from ._paths import with_choices, with_empty_tail, with_integers
from ._routing import EncodedPathRoute, routing_scope


class RouteTable(BaseRoute):
    """Routes tried as Starlette tries them, literal paths found by a lookup."""

    def __init__(self, routes: Sequence[EncodedPathRoute]) -> None:
        self.routes = tuple(routes)
        self._literal: dict[str, list[EncodedPathRoute]] = {}
        for route in self.routes:
            if not route.templated:
                self._literal.setdefault(route.path, []).append(route)
        self._templated = tuple(route for route in self.routes if route.templated)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return Match.NONE, {}
        routing = routing_scope(scope)
        partial: Scope | None = None
        for route in (*self._literal.get(routing["path"], ()), *self._templated):
            match, child_scope = route.match_routing(routing)
            if match is Match.FULL:
                return match, child_scope
            if match is Match.PARTIAL and partial is None:
                partial = child_scope
        if partial is not None:
            return Match.PARTIAL, partial
        return Match.NONE, {}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        route: EncodedPathRoute = scope["route"]
        await route.handle(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> URLPath:
        for route in self.routes:
            try:
                return route.url_path_for(name, **path_params)
            except NoMatchFound:
                pass
        raise NoMatchFound(name, path_params)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({len(self.routes)} routes)"


Endpoint = Callable[[Request], Awaitable[Response]]


class OperationRoute(EncodedPathRoute):
    """The route of one path's operations: `select` picks the endpoint of a request (or
    raises an `HTTPException`, 404 or 405, which the app's exception middleware answers),
    which is called without Starlette's per-request wrapping: it answers every error of its
    own."""

    def __init__(
        self,
        path: str,
        select: Callable[[Request], Endpoint],
        *,
        choices: dict[str, tuple[str, ...]] | None = None,
        integers: frozenset[str] = frozenset(),
        empty_tail: str | None = None,
        **options: Any,
    ) -> None:
        """`choices` limits variables to some texts (`_paths.adjacent_choices`),
        `integers` to digits (`_paths.adjacent_integers`); `empty_tail` names a last
        variable that may be empty (`_paths.empty_tail`)."""

        async def endpoint(request: Request) -> Response:
            return await select(request)(request)

        super().__init__(path, endpoint, **options)
        self._select = select
        if choices:
            self.path_regex = re.compile(with_choices(self.path_regex.pattern, choices))
        if integers:
            self.path_regex = re.compile(with_integers(self.path_regex.pattern, integers))
        if empty_tail:
            self.path_regex = re.compile(with_empty_tail(self.path_regex.pattern, empty_tail))

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.methods and scope["method"] not in self.methods:
            await super().handle(scope, receive, send)  # 405
            return
        request = Request(scope, receive, send)
        response = await self._select(request)(request)
        await response(scope, receive, send)
