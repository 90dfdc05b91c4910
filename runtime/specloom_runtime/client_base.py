"""`ClientBase` and `AsyncClientBase`: what a generated client class stands on.

They hold the client's core and forward `with_options` and `request` to it. This module
imports neither httpx nor pydantic nor the client core, so that a generated `client.py`
imports fast: the call machinery is imported when the first client is made.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from .client import AsyncClientCore, ClientCore
    from .options import CallOptions
    from .response import Response

__all__ = ["AsyncClientBase", "ClientBase"]

T = TypeVar("T")


class ClientBase:
    """What a generated `Client` has besides its services: `with_options` and `request`."""

    _core: ClientCore

    def _bind(self, core: ClientCore) -> None:
        """Use `core`; generated clients also make their services on it here."""
        self._core = core

    def with_options(self, **options: Unpack[CallOptions]) -> Self:
        """This client with `options` changed, sharing connections, limits and hooks.

        `client.with_options(timeout=2).pets.get_pet(pet_id=1)`; the options are those of
        `CallOptions`. This client stays as it is; closing the new one closes nothing.
        """
        client = copy.copy(self)
        client._bind(self._core.with_options(**options))
        return client

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: type[T],
    ) -> Response[T]: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]:
        """Call what the spec does not describe, through this client.

        `client.request("GET", "/v2/experimental", params={"q": "x"}, response_type=Model)`:
        auth, headers, retries, rate limits (limit id `"request"`), hooks and timeouts
        apply as to any call. `path` is appended to the base URL; a 2xx body is parsed as
        `response_type` (JSON or text when None); other statuses raise
        `UnexpectedStatusError`.
        """
        return self._core.request(
            method,
            path,
            params=params,
            json=json,
            content=content,
            headers=headers,
            response_type=response_type,
        )


class AsyncClientBase:
    """What a generated `AsyncClient` has besides its services: `with_options` and
    `request`."""

    _core: AsyncClientCore

    def _bind(self, core: AsyncClientCore) -> None:
        """Use `core`; generated clients also make their services on it here."""
        self._core = core

    def with_options(self, **options: Unpack[CallOptions]) -> Self:
        """Like `ClientBase.with_options`."""
        client = copy.copy(self)
        client._bind(self._core.with_options(**options))
        return client

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: type[T],
    ) -> Response[T]: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Any = None,
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        response_type: Any = None,
    ) -> Response[Any]:
        """Like `ClientBase.request`."""
        return await self._core.request(
            method,
            path,
            params=params,
            json=json,
            content=content,
            headers=headers,
            response_type=response_type,
        )
