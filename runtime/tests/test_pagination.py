"""Following paginated envelopes page after page (the client side of resources)."""

from __future__ import annotations

import asyncio
from typing import Any

from specloom_runtime.pagination import PageRule, aiterate_pages, iterate_pages, next_arguments

CURSORS = {None: (["a", "b"], "c1"), "c1": (["c"], "c2"), "c2": (["d"], None)}


def cursor_pages(arguments: dict[str, Any]) -> dict[str, Any]:
    items, following = CURSORS[arguments["cursor"]]
    return {"data": items, "meta": {"per_page": 2, "next_cursor": following}}


def test_cursor_pages_are_followed_until_the_cursor_runs_out() -> None:
    seen: list[dict[str, Any]] = []

    def fetch(arguments: dict[str, Any]) -> dict[str, Any]:
        seen.append(arguments)
        return cursor_pages(arguments)

    items = list(iterate_pages(fetch, {"cursor": None, "q": "x"}, PageRule("cursor", "cursor")))

    assert items == ["a", "b", "c", "d"]
    assert seen[1:] == [{"cursor": "c1", "q": "x"}, {"cursor": "c2", "q": "x"}]


def test_async_cursor_pages() -> None:
    async def fetch(arguments: dict[str, Any]) -> dict[str, Any]:
        return cursor_pages(arguments)

    async def collect() -> list[Any]:
        rule = PageRule("cursor", "cursor")
        return [item async for item in aiterate_pages(fetch, {"cursor": None}, rule)]

    assert asyncio.run(collect()) == ["a", "b", "c", "d"]


def test_page_envelopes_stop_at_the_last_page_or_a_repeated_one() -> None:
    rule = PageRule("page", "page")
    last = {"data": [], "meta": {"current_page": 3}, "links": {"next": None}}
    stuck = {"data": [], "meta": {"current_page": 1}, "links": {"next": "?page=2"}}

    assert next_arguments(last, {"page": 3}, rule) is None
    assert next_arguments(stuck, {"page": 2}, rule) is None
    assert next_arguments(stuck, {"page": None}, rule) == {"page": 2}
