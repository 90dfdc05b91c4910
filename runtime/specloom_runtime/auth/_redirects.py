"""Redirects that keep credentials at home.

httpx follows a redirect inside the auth flow, with the headers of the request as the auth
left them: it drops `Authorization` and `Cookie` when the redirect leaves the origin, but
keeps every other header, an API key in `X-API-Key` say. So when the `http_client` follows
redirects, a call carrying credentials is sent with `follow_redirects=False` and its
redirects are followed here instead: each hop is built from the request as it was before
the credentials were added, and the credentials are added again only on hops to the
origin the call was sent to. (A call whose only credential is an OAuth2 or OpenID Connect
token is left to httpx, so that its token and discovery requests follow redirects too.)
"""

from __future__ import annotations

import httpx

from ._select import AuthChoice
from ._tokens import TokenAuth


def _guarded(client: httpx.Client | httpx.AsyncClient, auth: AuthChoice) -> bool:
    """Whether the call's redirects are followed here. Not for the http_client's own auth,
    and not for a token auth alone: it only sets `Authorization` (which httpx drops on
    leaving the origin), and its token and discovery requests may be redirected too."""
    if not client.follow_redirects or isinstance(auth, httpx._client.UseClientDefault):
        return False
    return not isinstance(auth, TokenAuth)


def _without_credentials(request: httpx.Request) -> httpx.Request:
    """A copy of `request` as it is now, before an auth changes it."""
    return httpx.Request(
        request.method,
        request.url,
        headers=request.headers.copy(),
        stream=request.stream,
        extensions=dict(request.extensions),
    )


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return (url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme))


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _next_hop(
    client: httpx.Client | httpx.AsyncClient,
    sent: httpx.Request,
    response: httpx.Response,
    hops: int,
) -> httpx.Request:
    if hops > client.max_redirects:
        raise httpx.TooManyRedirects("Exceeded maximum allowed redirects.", request=sent)
    return client._build_redirect_request(sent, response)


def send_keeping_credentials_home(
    client: httpx.Client, request: httpx.Request, auth: AuthChoice
) -> httpx.Response:
    """`client.send(request, auth=auth, stream=True)`, following redirects (when the client
    does) without taking the credentials of `auth` to another origin."""
    if not _guarded(client, auth):
        return client.send(request, auth=auth, stream=True)
    home = _origin(request.url)
    history: list[httpx.Response] = []
    bare = _without_credentials(request)
    response = client.send(request, auth=auth, stream=True, follow_redirects=False)
    while response.has_redirect_location:
        try:
            response.read()
        finally:
            response.close()
        history.append(response)
        bare = _without_credentials(_next_hop(client, bare, response, len(history)))
        hop = _without_credentials(bare)
        hop_auth = auth if _origin(hop.url) == home else None
        response = client.send(hop, auth=hop_auth, stream=True, follow_redirects=False)
    response.history = history
    return response


async def send_keeping_credentials_home_async(
    client: httpx.AsyncClient, request: httpx.Request, auth: AuthChoice
) -> httpx.Response:
    """The async `send_keeping_credentials_home`."""
    if not _guarded(client, auth):
        return await client.send(request, auth=auth, stream=True)
    home = _origin(request.url)
    history: list[httpx.Response] = []
    bare = _without_credentials(request)
    response = await client.send(request, auth=auth, stream=True, follow_redirects=False)
    while response.has_redirect_location:
        try:
            await response.aread()
        finally:
            await response.aclose()
        history.append(response)
        bare = _without_credentials(_next_hop(client, bare, response, len(history)))
        hop = _without_credentials(bare)
        hop_auth = auth if _origin(hop.url) == home else None
        response = await client.send(hop, auth=hop_auth, stream=True, follow_redirects=False)
    response.history = history
    return response
