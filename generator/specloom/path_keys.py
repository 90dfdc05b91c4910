"""What a path key holds besides the URL's path: a query string (`/search?query={query}`)
or a fragment (`/#Action=X`), which some real specs write there."""

from __future__ import annotations

import re

_VARIABLE = re.compile(r"{([^{}]+)}")


def fragment_start(path: str) -> int:
    """Where a path key's fragment begins (its `#`), or the key's length when it has none.

    A `#` followed by more path (a `/` after it: mastercard's
    `/send/#env/v1/partners/{partnerId}/...`) is text of the path, which the client sends
    as `%23`: no fragment selector holds a `/`, and reading it as one would lose the path's
    variables."""
    index = path.find("#")
    while index != -1 and "/" in path[index + 1 :]:
        index = path.find("#", index + 1)
    return len(path) if index == -1 else index


def url_path(path: str) -> str:
    """The part of a path key that is the URL's path: before any `?` or fragment."""
    return path[: fragment_start(path)].partition("?")[0] or "/"


def path_variables(path: str) -> list[str]:
    """The `{variable}` names of a path key's URL path (not of its query string or fragment)."""
    return _VARIABLE.findall(url_path(path))


def query_string_terms(path: str) -> list[tuple[str, str]]:
    """The (name, value) terms of a query string written into the path key."""
    query_string = path[: fragment_start(path)].partition("?")[2]
    terms = (term.partition("=") for term in query_string.split("&"))
    return [(name, value) for name, equals, value in terms if name and equals and value]


def is_variable(value: str) -> bool:
    """Whether a term's value is a `{variable}`."""
    return _VARIABLE.fullmatch(value) is not None
