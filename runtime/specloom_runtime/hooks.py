"""Request and response hooks: callables a client runs on every attempt.

A request hook gets the `httpx.Request` about to be sent and may change it in place or
return a replacement; a response hook gets the `httpx.Response` (its body read, not yet
decoded) and may inspect it or return a replacement. Hooks run in order; one that raises
stops the call with its exception. An `AsyncClient` also takes async hooks.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import httpx

__all__ = [
    "AsyncRequestHook",
    "AsyncResponseHook",
    "RequestHook",
    "ResponseHook",
    "arun_hooks",
    "run_hooks",
]

RequestHook = Callable[[httpx.Request], httpx.Request | None]
ResponseHook = Callable[[httpx.Response], httpx.Response | None]
AsyncRequestHook = Callable[[httpx.Request], httpx.Request | Awaitable[httpx.Request | None] | None]
AsyncResponseHook = Callable[
    [httpx.Response], httpx.Response | Awaitable[httpx.Response | None] | None
]

M = TypeVar("M", httpx.Request, httpx.Response)


def run_hooks(hooks: Sequence[Callable[[M], M | None]], message: M) -> M:
    """`message` after each hook in turn; a hook returning None keeps what it was given."""
    for hook in hooks:
        replacement = hook(message)
        if replacement is not None:
            message = replacement
    return message


async def arun_hooks(
    hooks: Sequence[Callable[[M], M | Awaitable[M | None] | None]], message: M
) -> M:
    """Like `run_hooks`, awaiting the hooks that are async."""
    for hook in hooks:
        replacement = hook(message)
        if inspect.isawaitable(replacement):
            replacement = await replacement
        if replacement is not None:
            message = replacement
    return message
