"""Iterating over every item of a paginated listing, page after page (client side).

Generated clients add `iter_<operation>(...)` beside each operation whose success body is
a paginated envelope, the shape `specloom_runtime.resources` writes:

- page envelopes, `{"data": [...], "meta": {"current_page": 2, ...}, "links": {"next":
  ...}}`, are followed while `links.next` is not null, asking for `page=current_page + 1`;
- cursor envelopes, `{"data": [...], "meta": {"next_cursor": "b2", ...}}`, are followed
  while `next_cursor` is not null, asking for `cursor=next_cursor`.

Every other argument stays as given. Pages are fetched lazily, one when its items are
needed: `for user in client.users.iter_list_users(per_page=50): ...` (or `async for`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["PageRule", "aiterate_pages", "iterate_pages", "next_arguments"]


@dataclass(frozen=True)
class PageRule:
    """How the next page is asked for: by `page` number or by `cursor`, in `parameter`."""

    kind: Literal["page", "cursor"]
    parameter: str


def iterate_pages(
    fetch: Callable[[dict[str, Any]], Any], arguments: Mapping[str, Any], rule: PageRule
) -> Iterator[Any]:
    """Every item under `data` of the envelopes `fetch(arguments)` returns, page after page."""
    current: dict[str, Any] | None = dict(arguments)
    while current is not None:
        envelope = fetch(current)
        yield from _field(envelope, "data") or ()
        current = next_arguments(envelope, current, rule)


async def aiterate_pages(
    fetch: Callable[[dict[str, Any]], Awaitable[Any]],
    arguments: Mapping[str, Any],
    rule: PageRule,
) -> AsyncIterator[Any]:
    """`iterate_pages` for an async `fetch`."""
    current: dict[str, Any] | None = dict(arguments)
    while current is not None:
        envelope = await fetch(current)
        for item in _field(envelope, "data") or ():
            yield item
        current = next_arguments(envelope, current, rule)


def next_arguments(
    envelope: Any, arguments: Mapping[str, Any], rule: PageRule
) -> dict[str, Any] | None:
    """The arguments asking for the page after `envelope`; None when it is the last one
    (or when the next page would be the same one again)."""
    meta = _field(envelope, "meta")
    if rule.kind == "page":
        if _field(_field(envelope, "links"), "next") is None:
            return None
        current_page = _field(meta, "current_page")
        if not isinstance(current_page, int):
            return None
        following: Any = current_page + 1
    else:
        following = _field(meta, "next_cursor")
        if following is None:
            following = _field(envelope, "next_cursor")
        if following is None:
            return None
    if arguments.get(rule.parameter) == following:
        return None
    return {**arguments, rule.parameter: following}


def _field(value: Any, name: str) -> Any:
    """A field of a model or mapping; None when absent."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)
