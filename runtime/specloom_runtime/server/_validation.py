"""Where in the input each pydantic validation error is, as a caller would name it.

Pydantic's error locations mix places in the input (keys, indexes) with names of union
members and validators (`(0, "Cat", "meow")`). Walking the input keeps only the places.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pydantic import ValidationError

ErrorPath = list[str | int]


def located_errors(error: ValidationError, document: Any) -> Iterator[tuple[ErrorPath, str]]:
    """Each error of `error` as (path into `document`, message); messages never include input."""
    for detail in error.errors(include_url=False, include_context=False, include_input=False):
        yield input_path(detail["loc"], document, detail["type"]), detail["msg"]


def input_path(loc: Sequence[str | int], document: Any, error_type: str) -> ErrorPath:
    """The tokens of `loc` that are keys or indexes in `document`.

    A `missing` error's last token is kept although it is absent: it is the missing key.
    """
    path: ErrorPath = []
    current = document
    for index, token in enumerate(loc):
        if isinstance(current, Mapping) and str(token) in current:
            path.append(token)
            current = current[str(token)]
        elif _is_index(current, token):
            path.append(token)
            current = current[token]
        elif error_type == "missing" and index == len(loc) - 1 and isinstance(current, Mapping):
            path.append(token)
    return path


def describe_path(path: ErrorPath) -> str:
    """A path as a short readable prefix: `[0].name`, `role`."""
    text = ""
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else f".{token}"
    return text.removeprefix(".")


def _is_index(current: Any, token: str | int) -> bool:
    if not isinstance(current, Sequence) or isinstance(current, (str, bytes)):
        return False
    return isinstance(token, int) and 0 <= token < len(current)
