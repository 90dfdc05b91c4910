"""Credentials go where the user pointed the client: an http_client's own base_url wins
over the spec's server URL; an explicit base_url wins over both."""

from __future__ import annotations

import httpx
import pytest

from security.generated import load


def _hosts(**options: object) -> list[str]:
    sent: list[str] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.url.host}{request.url.path}")
        return httpx.Response(204)

    http_client = httpx.Client(
        base_url="http://127.0.0.1:8812/v2", transport=httpx.MockTransport(reply)
    )
    with load("mixed").client.Client(http_client=http_client, bearer_auth="t", **options) as client:
        client.default.public_info()
    return sent


def test_the_http_clients_base_url_wins_over_the_specs() -> None:
    assert _hosts() == ["127.0.0.1/v2/public"]


def test_an_explicit_base_url_wins_over_the_http_clients() -> None:
    assert _hosts(base_url="https://staging.example.com") == ["staging.example.com/public"]


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
