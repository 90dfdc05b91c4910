"""What a path key holds besides the URL's path: a query string (`/search?query={query}`)
or a fragment (`/#Action=X`), which some real specs write there."""

from __future__ import annotations

import re

_VARIABLE = re.compile(r"{([^{}]+)}")


def url_path(path: str) -> str:
    """The part of a path key that is the URL's path: before any `?` or `#`."""
    return path.partition("#")[0].partition("?")[0] or "/"


def path_variables(path: str) -> list[str]:
    """The `{variable}` names of a path key's URL path (not of its query string or fragment)."""
    return _VARIABLE.findall(url_path(path))


def query_string_terms(path: str) -> list[tuple[str, str]]:
    """The (name, value) terms of a query string written into the path key."""
    query_string = path.partition("#")[0].partition("?")[2]
    terms = (term.partition("=") for term in query_string.split("&"))
    return [(name, value) for name, equals, value in terms if name and equals and value]


def is_variable(value: str) -> bool:
    """Whether a term's value is a `{variable}`."""
    return _VARIABLE.fullmatch(value) is not None
