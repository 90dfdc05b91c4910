"""Which base URL a generated client sends to.

An explicit `base_url=` wins; else the `base_url` of an `http_client` passed in (so a
client pointed at a test or staging server never sends requests, and credentials, to the
spec's production URL); else the spec's first server URL.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

__all__ = ["choose_base_url"]


def choose_base_url(
    base_url: str | None,
    http_client: httpx.Client | httpx.AsyncClient | None,
    spec_default: str | None,
) -> str:
    """The base URL for the client core: `""` means the `http_client`'s own.

    Raises ValueError when there is none at all.
    """
    if base_url is not None:
        return base_url
    if http_client is not None and str(http_client.base_url):
        return ""
    if spec_default is not None:
        return spec_default
    raise ValueError(
        "base_url is required: the spec declares no absolute server URL"
        + (" and the http_client has no base_url" if http_client is not None else "")
    )
