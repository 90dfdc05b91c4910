"""The spec mixing every kind of scheme: which credentials each request carries, and what
the server asks of each (fixtures/security/mixed.yaml)."""

from __future__ import annotations

import asyncio
import base64
import inspect
from typing import Any

import httpx
import pytest

from security.generated import load
from specloom_runtime.errors import AuthError
from specloom_runtime.server import ALLOW_ANONYMOUS, request_context


def _recording_client(**credentials: Any) -> tuple[Any, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        listing = (request.method, request.url.path) == ("GET", "/items")
        return httpx.Response(200, json=[]) if listing else httpx.Response(204)

    http_client = httpx.Client(transport=httpx.MockTransport(reply))
    return load("mixed").client.Client(http_client=http_client, **credentials), sent


def test_the_first_satisfied_alternative_is_sent() -> None:
    client, sent = _recording_client(oauth2="oauth-SECRET", api_key_auth="k", app_id="a")
    client.default.add_item()
    assert sent[-1].headers["authorization"] == "Bearer oauth-SECRET"
    assert "x-api-key" not in sent[-1].headers
    assert "app_id" not in sent[-1].url.params

    client, sent = _recording_client(api_key_auth="key-SECRET", app_id="app-1")
    client.default.add_item()  # oauth2 not given: both API keys, together
    assert sent[-1].headers["x-api-key"] == "key-SECRET"
    assert sent[-1].url.params["app_id"] == "app-1"
    assert "authorization" not in sent[-1].headers


def test_half_an_alternative_is_not_enough() -> None:
    client, sent = _recording_client(api_key_auth="key-SECRET", bearer_auth="b")
    with pytest.raises(AuthError) as caught:
        client.default.add_item()
    assert str(caught.value) == (
        "add_item: no credentials for its security; pass oauth2=, or api_key_auth= and app_id= "
        "to the client"
    )
    assert sent == []


def test_open_and_optional_operations() -> None:
    client, sent = _recording_client(bearer_auth="b-SECRET")
    client.default.public_info()
    client.default.maybe_user()  # basic not given: the anonymous alternative
    assert all("authorization" not in request.headers for request in sent)
    client, sent = _recording_client(basic_auth=("u", "p"))
    client.default.maybe_user()
    assert sent[-1].headers["authorization"] == "Basic " + base64.b64encode(b"u:p").decode()
    with pytest.raises(AuthError, match="pass bearer_auth="):
        client.default.list_items()


def test_generic_auth_is_sent_where_the_spec_credentials_are_not() -> None:
    client, sent = _recording_client(auth=httpx.BasicAuth("gen", "eric"), bearer_auth="b")
    client.default.list_items()  # bearer covers it
    assert sent[-1].headers["authorization"] == "Bearer b"
    client.default.add_item()  # nothing given meets it: auth= instead of an error
    assert sent[-1].headers["authorization"].startswith("Basic ")
    client.default.sso()  # mutual TLS (the http_client's certificate) adds nothing...
    assert sent[-1].headers["authorization"].startswith("Basic ")  # ...auth= goes along
    client, sent = _recording_client()
    client.default.sso()
    assert "authorization" not in sent[-1].headers


def test_a_credential_of_the_wrong_type_names_the_scheme() -> None:
    with pytest.raises(TypeError, match=r"basic_auth: expected a \(username, password\) pair"):
        _recording_client(basic_auth="user:pass")


def test_a_scheme_named_like_a_client_option_gets_its_own_keyword() -> None:
    # `auth` is the generic keyword; the spec's scheme named `auth` gets `auth_`.
    parameters = inspect.signature(load("mixed").client.Client).parameters
    assert parameters["auth"].annotation == "httpx.Auth | None"
    assert parameters["auth_"].annotation == "httpx.Auth | None"
    assert "mtls" not in parameters  # mutual TLS: the http_client's certificate


def test_create_app_names_every_scheme_without_a_verifier() -> None:
    server = load("mixed").server
    with pytest.raises(ValueError, match="no verifier") as caught:
        server.create_app(server.DefaultApi(), security={"bearer_auth": lambda token: token})
    message = str(caught.value)
    for name in ("'api_key_auth'", "'app_id'", "'basic_auth'", "'oauth2'", "'oidc'", "'mtls'"):
        assert name in message
    assert "'bearer_auth'" not in message
    with pytest.raises(ValueError, match="no operation uses: bearer"):
        server.create_app(server.DefaultApi(), security={**_ALL, "bearer": lambda t: t})


_ALL: dict[str, Any] = {
    "bearer_auth": lambda token: "bearer-user" if token == "b-SECRET" else None,
    "api_key_auth": lambda key: "key-user" if key == "key-SECRET" else None,
    "app_id": lambda app: f"app:{app}",
    "basic_auth": lambda user, password: user if password == "pw" else None,
    "oauth2": lambda token, scopes: "oauth-user" if (token, scopes) == ("o", ("write",)) else None,
    "oidc": ALLOW_ANONYMOUS,
    "mtls": lambda request: None,
}


_SEEN: list[Any] = []


def _asgi_client(**credentials: Any) -> Any:
    package = load("mixed")

    class Impl(package.server.DefaultApi):  # type: ignore[misc]
        seen = _SEEN

        async def list_items(self) -> list[str]:
            return [str(request_context().principal)]

        async def add_item(self) -> None:
            Impl.seen.append(dict(request_context().principals))

        async def maybe_user(self) -> None:
            Impl.seen.append(request_context().principal)

        async def sso(self) -> None:
            Impl.seen.append(dict(request_context().principals))

    app = package.server.create_app(Impl(), security=_ALL)
    transport = httpx.ASGITransport(app=app)
    http_client = httpx.AsyncClient(transport=transport, base_url="http://test")
    return package.client.AsyncClient(http_client=http_client, **credentials), Impl.seen


def test_principals_reach_the_handler_through_the_context() -> None:
    async def main() -> None:
        client, seen = _asgi_client(bearer_auth="b-SECRET", basic_auth=("ada", "pw"))
        assert await client.default.list_items() == ["bearer-user"]
        await client.default.maybe_user()
        client, _ = _asgi_client(api_key_auth="key-SECRET", app_id="a1")
        await client.default.add_item()
        client, _ = _asgi_client(oauth2="o")
        await client.default.add_item()
        client, _ = _asgi_client()
        await client.default.maybe_user()
        await client.default.sso()  # oidc opted out with ALLOW_ANONYMOUS: counts as met
        assert seen == [
            "ada",
            {"api_key_auth": "key-user", "app_id": "app:a1"},
            {"oauth2": "oauth-user"},
            None,
            {"oidc": None},
        ]

    asyncio.run(main())


def test_the_401_lists_a_challenge_per_accepted_scheme() -> None:
    async def main() -> httpx.Response:
        package = load("mixed")
        app = package.server.create_app(package.server.DefaultApi(), security=_ALL)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.post("/items", headers={"Authorization": "Bearer nope-SECRET"})

    response = asyncio.run(main())
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == (
        'Bearer realm="api", error="invalid_token", scope="write", '
        'ApiKey in="header", name="X-API-Key", ApiKey in="query", name="app_id"'
    )
    assert response.json()["detail"] == (
        "missing or invalid credentials (accepted: oauth2 bearer token; or API key in header "
        "'X-API-Key' and API key in query 'app_id')"
    )
    assert "SECRET" not in response.text


def test_the_401_names_what_an_alternative_still_lacks() -> None:
    async def main() -> httpx.Response:
        package = load("mixed")
        app = package.server.create_app(package.server.DefaultApi(), security=_ALL)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return await http.post("/items", headers={"X-API-Key": "key-SECRET"})

    response = asyncio.run(main())
    assert response.status_code == 401
    assert response.json()["detail"] == (
        "missing or invalid credentials (accepted: oauth2 bearer token; or API key in query "
        "'app_id')"
    )
