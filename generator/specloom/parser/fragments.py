"""Operation selectors written as a path fragment.

Specs converted from AWS and Azure key several operations on one path with a fragment,
which is no part of the URL. It is a list of `&`-separated terms, each `name=value` or
`name`:

- `/#X-Amz-Target=Shield.AssociateDRTLogBucket` (AWS JSON protocol): a request header,
  constant per operation, that selects the operation;
- `/#Action=CreateTags` (AWS query protocol), `/acl#op=GRANTACE` (Azure): a query
  parameter the operation declares, constant per operation;
- `/tags/{arn}#tagKeys`: the name of a required query parameter, which tells the
  operation apart from one on the same path and method without it;
- `/Evaluate#overload=url`: a label, the operations differing in their request body.

Some specs write a query string into the path key, `/search?query={query}&kind=full`; it
is no part of the path either. A `name={variable}` term names a query parameter (declared,
or added as a string by the parameters' parser), and a `name=value` term is a constant
query parameter, whether declared or not.

The path becomes the part before `?` and `#` (a `#` followed by more path, `/send/#env/v1/...`,
is path text: `path_keys.fragment_start`). A `name=value` term naming a declared query or
header parameter replaces that parameter with a constant (it is no argument of the client
method nor of the handler: the client always sends it, the server routes on it), and so
does an undeclared `X-...=value` header. Every other term is a label: the server tells
such operations apart by what they require (`specloom_runtime.server`'s dispatch).
"""

from __future__ import annotations

from collections.abc import Collection

import msgspec

from specloom.ir.model import ParameterLocation
from specloom.path_keys import fragment_start, is_variable, query_string_terms

_HEADER_PREFIX = "x-"


class FragmentSelector(msgspec.Struct, frozen=True):
    """What a path's fragment says about its operation."""

    path: str
    """The URL path: the part before `#`."""
    headers: tuple[tuple[str, str], ...] = ()
    """Constant (name, value) request headers."""
    query: tuple[tuple[str, str], ...] = ()
    """Constant (name, value) query parameters."""
    replaced: frozenset[tuple[str, ParameterLocation]] = frozenset()
    """(wire name, location) of the declared parameters the constants replace."""


def select_by_fragment(
    path: str, declared: Collection[tuple[str, ParameterLocation]]
) -> FragmentSelector:
    """The selector of `path`'s fragment, given the (wire name, location) of every
    parameter the operation declares."""
    start = fragment_start(path)
    base, hash_sign, fragment = path[:start], path[start : start + 1], path[start + 1 :]
    base, question_mark, _ = base.partition("?")
    if not (hash_sign or question_mark):
        return FragmentSelector(path)
    headers: list[tuple[str, str]] = []
    query: list[tuple[str, str]] = []
    replaced: set[tuple[str, ParameterLocation]] = set()
    for name, value in query_string_terms(path):
        if not is_variable(value):
            query.append((name, value))
            replaced.add((name, "query"))
    declared_headers = {name.lower(): name for name, location in declared if location == "header"}
    for term in fragment.split("&") if hash_sign else ():
        name, equals, value = term.partition("=")
        if not (equals and name and value):
            continue
        if (name, "query") in declared:
            query.append((name, value))
            replaced.add((name, "query"))
        elif name.lower() in declared_headers:
            headers.append((declared_headers[name.lower()], value))
            replaced.add((declared_headers[name.lower()], "header"))
        elif name.lower().startswith(_HEADER_PREFIX):
            headers.append((name, value))
    return FragmentSelector(base or "/", tuple(headers), tuple(query), frozenset(replaced))
