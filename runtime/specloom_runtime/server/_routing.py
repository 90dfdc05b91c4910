"""Routing on the path as the client sent it, so that an encoded `/` stays inside its value.

ASGI servers put the percent-decoded path in `scope["path"]`: a value sent as `a%2Fb`
reads `a/b` there, one segment too many for any route. Routes here match the *routing
path* instead, rebuilt from `scope["raw_path"]` with every escape decoded except those of
`/` and of the delimiters of path styles (`,`, `;`, `=`), and of `%` itself:

```
sent           /items/a%2Fb%3Fc/x%22y      /files/%E2%82%AC%2C1,2
routing path   /items/a%2Fb?c/x"y          /files/€%2C1,2
```

So a literal segment matches whether or not the client encoded its characters (`x"y` or
`x%22y`), except for those delimiters, which a literal must hold as they are; and a path
parameter value is matched still encoded, for its style decoder to split at the real
delimiters and percent-decode each part once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from starlette.routing import Match, Route
from starlette.types import Scope

_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_KEPT_ESCAPE = re.compile(r"(%(?:25|2[CcFf]|3[BbDd]))")
"""`%`, `,`, `/`, `;` and `=`: captured, so that `split` keeps them."""


_ROUTING_SCOPE = "specloom.routing_scope"
"""Where a request's scope keeps the scope routes match, made by the first route tried."""


class EncodedPathRoute(Route):
    """A Starlette route that matches the routing path, so path parameters arrive encoded.

    A router tries its routes in turn: one whose literal start (all of it, for a path
    without variables) differs from the path is passed over without a pattern match.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        self._literal = path.partition("{")[0]
        self.templated = "{" in path

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http":
            return super().matches(scope)
        return self.match_routing(routing_scope(scope))

    def match_routing(self, routing: Scope) -> tuple[Match, Scope]:
        """`matches` for the routing scope of a request (`routing_scope`); the child scope
        names this route as its `route` too."""
        path: str = routing["path"]
        if not self.templated:
            if path != self._literal:
                return Match.NONE, {}
            path_params = dict(routing.get("path_params", {}))
        else:
            match = self.path_regex.match(path) if path.startswith(self._literal) else None
            if match is None:
                return Match.NONE, {}
            path_params = dict(routing.get("path_params", {}))
            for key, value in match.groupdict().items():
                path_params[key] = self.param_convertors[key].convert(value)
        child_scope = {"endpoint": self.endpoint, "path_params": path_params, "route": self}
        if self.methods and routing["method"] not in self.methods:
            return Match.PARTIAL, child_scope
        return Match.FULL, child_scope


def routing_scope(scope: Scope) -> Scope:
    """`scope` with the routing path as its path, made once for all the routes a router
    tries (again if the path, the root path or the path parameters have changed since)."""
    path, root_path = scope["path"], scope.get("root_path", "")
    raw_path, path_params = scope.get("raw_path"), scope.get("path_params")
    made = scope.get(_ROUTING_SCOPE)
    if (
        made is not None
        and made[0] is path
        and made[1] is root_path
        and made[2] is raw_path
        and made[3] is path_params
    ):
        routing: Scope = made[4]
        return routing
    routed = _routing_path(path, root_path, raw_path if isinstance(raw_path, bytes) else None)
    if routed == path and not root_path:
        return scope  # nothing encoded, no root path: the path is the routing path
    routing = {**scope, "path": routed, "root_path": ""}
    scope[_ROUTING_SCOPE] = (path, root_path, raw_path, path_params, routing)
    return routing


def routing_path(scope: Scope) -> str:
    """The path routes match, below the app's root path (see the module docstring).

    Without `raw_path`, or with one that does not decode to `path` (a middleware rewrote
    the path), it is the decoded path with only `%` encoded.
    """
    raw_path = scope.get("raw_path")
    return _routing_path(
        scope["path"],
        scope.get("root_path", ""),
        raw_path if isinstance(raw_path, bytes) else None,
    )


@lru_cache(maxsize=16)
def _routing_path(path: str, root_path: str, raw_path: bytes | None) -> str:
    # A router tries every route with the same scope: work the path out once.
    route_path = _below_root(path, root_path)
    if raw_path is not None:
        root_segments = path[: len(path) - len(route_path)].count("/")
        routed = _from_raw(raw_path, root_segments)
        if routed is not None and unquote(routed) == route_path:
            return routed
    return route_path.replace("%", "%25")


def _below_root(path: str, root_path: str) -> str:
    """`path` without `root_path`, the way Starlette's routing reads it."""
    if not root_path or not path.startswith(root_path):
        return path
    rest = path[len(root_path) :]
    return rest if not rest or rest.startswith("/") else path


def _from_raw(raw_path: bytes, root_segments: int) -> str | None:
    """The routing path of a raw path, without its first `root_segments` segments."""
    try:
        text = raw_path.decode("ascii")
    except UnicodeDecodeError:
        return None
    if root_segments:
        parts = text.split("/", root_segments + 1)
        text = "/" + parts[-1] if len(parts) == root_segments + 2 else ""
    return _ESCAPES.sub(_decode_run, text)


def _decode_run(match: re.Match[str]) -> str:
    """A run of escapes with all but the kept ones decoded."""
    pieces = _KEPT_ESCAPE.split(match[0])
    return "".join(
        piece if index % 2 else _decoded_or_kept(piece) for index, piece in enumerate(pieces)
    )


def _decoded_or_kept(escapes: str) -> str:
    """The text of escapes that are UTF-8; escapes that are not stay as they are."""
    try:
        return unquote(escapes, errors="strict")
    except UnicodeDecodeError:
        return escapes
