"""Credentials go where the user pointed the client: an http_client's own base_url wins
over the spec's server URL; an explicit base_url wins over both; a redirect to another
origin does not take them along."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from security.generated import load
from specloom_runtime.errors import TransportError


def _hosts(**options: object) -> list[str]:
    """Where a protected call's request, and its token, went."""
    sent: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        token = request.headers.get("authorization")
        sent.append(f"{request.url.host}{request.url.path} {token}")
        return httpx.Response(200, json=[])

    http_client = httpx.Client(
        base_url="http://127.0.0.1:8812/v2", transport=httpx.MockTransport(reply)
    )
    with load("mixed").client.Client(http_client=http_client, **options) as client:
        client.default.list_items()
    return sent


def test_the_http_clients_base_url_wins_over_the_specs() -> None:
    assert _hosts(bearer_auth="t") == ["127.0.0.1/v2/items Bearer t"]
    # The generic `auth=` goes there too.
    assert _hosts(auth=httpx.BasicAuth("u", "p")) == ["127.0.0.1/v2/items Basic dTpw"]


def test_an_explicit_base_url_wins_over_the_http_clients() -> None:
    sent = _hosts(base_url="https://staging.example.com", bearer_auth="t")
    assert sent == ["staging.example.com/items Bearer t"]


def test_the_specs_url_is_the_default() -> None:
    sent: list[httpx.URL] = []
    transport = httpx.MockTransport(lambda r: sent.append(r.url) or httpx.Response(204))
    with load("mixed").client.Client(http_client=httpx.Client(transport=transport)) as client:
        client.default.public_info()
    assert str(sent[0]) == "https://mixed.example.com/public"


def test_no_url_at_all_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="base_url is required: the spec declares no absolute"):
        load("basic").client.Client()


def test_scheme_names_never_shadow_the_clients_own() -> None:
    sent: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda r: sent.append(r) or httpx.Response(204))
    client_module = load("names").client
    credentials = {"choose_base_url_": "a", "httpx_": "b", "base_url_": "c", "base_url_2": "d"}
    with client_module.Client(http_client=httpx.Client(transport=transport), **credentials) as c:
        c.default.x()
    assert str(sent[0].url) == "https://names.example.com/x"
    assert [sent[0].headers[name] for name in "ABC"] == ["a", "b", "c"]


def _redirected(**credentials: object) -> list[tuple[str, dict[str, str]]]:
    """The hops of `via_header`, `via_query` and `via_cookie` through a server redirecting
    once on its own origin and then to another host, sync and async."""
    sent: list[tuple[str, dict[str, str]]] = []

    def reply(request: httpx.Request) -> httpx.Response:
        shown = {
            name: request.headers.get(name, "") for name in ("x-api-key", "cookie", "authorization")
        }
        sent.append((str(request.url), {k: v for k, v in shown.items() if v}))
        if request.url.host == "api.test" and not request.url.path.startswith("/moved"):
            return httpx.Response(307, headers={"Location": f"/moved{request.url.path}"})
        if request.url.host == "api.test":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/landing"})
        return httpx.Response(200, json={"name": "x"})

    transport = httpx.MockTransport(reply)
    client_module = load("api_key").client
    http_client = httpx.Client(
        base_url="http://api.test", transport=transport, follow_redirects=True
    )
    with client_module.Client(http_client=http_client, **credentials) as client:
        client.default.via_header()
        client.default.via_query()

    async def via_cookie() -> None:
        http = httpx.AsyncClient(
            base_url="http://api.test", transport=transport, follow_redirects=True
        )
        async with http, client_module.AsyncClient(http_client=http, **credentials) as client:
            await client.default.via_cookie()

    asyncio.run(via_cookie())
    return sent


def test_credentials_do_not_follow_a_redirect_to_another_origin() -> None:
    sent = _redirected(header_key="h-SECRET", query_key="q-SECRET", cookie_key="c-SECRET")
    assert sent == [
        ("http://api.test/header", {"x-api-key": "h-SECRET"}),
        ("http://api.test/moved/header", {"x-api-key": "h-SECRET"}),  # same origin: kept
        ("https://elsewhere.test/landing", {}),
        ("http://api.test/query?api_key=q-SECRET", {}),
        ("http://api.test/moved/query?api_key=q-SECRET", {}),
        ("https://elsewhere.test/landing", {}),
        ("http://api.test/cookie", {"cookie": "session=c-SECRET"}),
        ("http://api.test/moved/cookie", {"cookie": "session=c-SECRET"}),
        ("https://elsewhere.test/landing", {}),
    ]


def test_too_many_redirects_is_a_transport_error() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"Location": "/again"})
    )
    http_client = httpx.Client(
        base_url="http://api.test", transport=transport, follow_redirects=True, max_redirects=3
    )
    client = load("api_key").client.Client(http_client=http_client, header_key="k", retry=None)
    with client, pytest.raises(TransportError, match="Exceeded maximum allowed redirects"):
        client.default.via_header()
