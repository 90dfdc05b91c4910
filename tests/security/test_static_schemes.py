"""API keys (header, query, cookie), HTTP basic and bearer: generated client against
generated server, over a real socket, sync and async."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from security.generated import load
from specloom_runtime.errors import AuthError, TransportError, UnexpectedStatusError
from specloom_runtime.server import InsufficientScope, request_context
from specloom_runtime.server.testing import serve_in_thread

KEYS = {"header-SECRET": "alice", "query-SECRET": "bob", "cookie-SECRET": "carol"}


def _who(package: Any) -> Any:
    return package.models.Who(name=str(request_context().principal))


@pytest.fixture(scope="module")
def api_key_url() -> Iterator[str]:
    package = load("api_key")

    class Keys(package.server.DefaultApi):  # type: ignore[misc]
        async def via_header(self) -> Any:
            return _who(package)

        async def via_query(self) -> Any:
            return _who(package)

        async def via_cookie(self) -> Any:
            return _who(package)

    verify = KEYS.get
    app = package.server.create_app(
        Keys(), security={"header_key": verify, "query_key": verify, "cookie_key": verify}
    )
    with serve_in_thread(app) as url:
        yield url


def test_each_api_key_location_round_trips(api_key_url: str) -> None:
    client_module = load("api_key").client
    keys = {"header_key": "header-SECRET", "query_key": "query-SECRET"}
    with client_module.Client(api_key_url, cookie_key=lambda: "cookie-SECRET", **keys) as client:
        assert client.default.via_header().name == "alice"
        assert client.default.via_query().name == "bob"
        assert client.default.via_cookie().name == "carol"


def test_an_operation_sends_only_its_own_scheme(api_key_url: str) -> None:
    sent: list[httpx.Request] = []
    http_client = httpx.Client(
        base_url=api_key_url, event_hooks={"request": [sent.append]}, timeout=10
    )
    with load("api_key").client.Client(
        http_client=http_client, header_key="header-SECRET", query_key="query-SECRET"
    ) as client:
        client.default.via_query()
    (request,) = sent
    assert request.url.params["api_key"] == "query-SECRET"
    assert "x-api-key" not in request.headers
    http_client.close()


def test_a_missing_credential_fails_before_sending(api_key_url: str) -> None:
    sent: list[httpx.Request] = []
    http_client = httpx.Client(base_url=api_key_url, event_hooks={"request": [sent.append]})
    client = load("api_key").client.Client(http_client=http_client, header_key="k")
    with client, pytest.raises(AuthError, match=r"via_cookie: .*pass cookie_key= to the client"):
        client.default.via_cookie()
    assert sent == []
    http_client.close()


def test_a_wrong_api_key_gets_401_with_a_challenge(api_key_url: str) -> None:
    response = httpx.get(f"{api_key_url}/header", headers={"X-API-Key": "wrong"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'ApiKey in="header", name="X-API-Key"'
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (401, "Unauthorized")
    assert "API key in header 'X-API-Key'" in body["detail"]
    assert "wrong" not in response.text


@pytest.fixture(scope="module")
def basic_url() -> Iterator[str]:
    package = load("basic")

    class Basic(package.server.DefaultApi):  # type: ignore[misc]
        async def me(self) -> Any:
            return _who(package)

        async def status(self) -> None:
            assert request_context().principal is None
            return None

    async def verify(username: str, password: str) -> str | None:
        await asyncio.sleep(0)  # async verifiers are awaited
        return username if (username, password) == ("ada", "pw-SECRET") else None

    with serve_in_thread(
        package.server.create_app(Basic(), security={"basic_auth": verify})
    ) as url:
        yield url


def test_basic_auth_round_trips_sync_and_async(basic_url: str) -> None:
    client_module = load("basic").client
    with client_module.Client(basic_url, basic_auth=("ada", "pw-SECRET")) as client:
        assert client.default.me().name == "ada"

    async def main() -> str:
        async with client_module.AsyncClient(basic_url, basic_auth=("ada", "pw-SECRET")) as c:
            return str((await c.default.me()).name)

    assert asyncio.run(main()) == "ada"


def test_an_open_operation_sends_no_credentials(basic_url: str) -> None:
    sent: list[httpx.Request] = []
    http_client = httpx.Client(base_url=basic_url, event_hooks={"request": [sent.append]})
    with load("basic").client.Client(http_client=http_client, basic_auth=("ada", "x")) as client:
        client.default.status()  # security: []
    assert "authorization" not in sent[0].headers
    http_client.close()


def test_bad_basic_credentials_get_401(basic_url: str) -> None:
    client_module = load("basic").client
    client = client_module.Client(basic_url, basic_auth=("ada", "nope"))
    with client, pytest.raises(UnexpectedStatusError) as caught:
        client.default.me()
    assert caught.value.status_code == 401
    raw = caught.value.response.raw
    assert raw.headers["www-authenticate"] == 'Basic realm="api", charset="UTF-8"'
    response = httpx.get(f"{basic_url}/me", headers={"Authorization": "Basic !!notbase64"})
    assert response.status_code == 401


@pytest.fixture(scope="module")
def bearer_url() -> Iterator[str]:
    package = load("bearer")
    tokens = {"tok-SECRET": ("ada", {"admin"}), "weak-SECRET": ("bob", set())}

    class Bearer(package.server.DefaultApi):  # type: ignore[misc]
        async def me(self) -> Any:
            assert request_context().request.url.path == "/me"
            return _who(package)

        async def admin(self) -> None:
            return None

    def verify(token: str) -> str | None:
        user = tokens.get(token)
        if user is None:
            return None
        # The spec's roles for bearer schemes are the application's to check.
        if request_context().request.url.path == "/admin" and "admin" not in user[1]:
            raise InsufficientScope("admins only")
        return user[0]

    app = package.server.create_app(Bearer(), security={"bearer_auth": verify})
    with serve_in_thread(app) as url:
        yield url


def test_bearer_tokens_round_trip_and_403_carries_the_scope(bearer_url: str) -> None:
    client_module = load("bearer").client
    with client_module.Client(bearer_url, bearer_auth="tok-SECRET") as client:
        assert client.default.me().name == "ada"
        client.default.admin()
    with client_module.Client(bearer_url, bearer_auth=lambda: "weak-SECRET") as client:
        assert client.default.me().name == "bob"
        with pytest.raises(UnexpectedStatusError) as caught:
            client.default.admin()
    raw = caught.value.response.raw
    assert raw.status_code == 403
    assert raw.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="admin"'
    assert raw.json()["detail"] == "admins only"


def test_a_rejected_bearer_token_gets_invalid_token(bearer_url: str) -> None:
    missing = httpx.get(f"{bearer_url}/me")
    assert missing.headers["www-authenticate"] == 'Bearer realm="api"'
    wrong = httpx.get(f"{bearer_url}/admin", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    expected = 'Bearer realm="api", error="invalid_token", scope="admin"'
    assert wrong.headers["www-authenticate"] == expected


def test_no_static_secret_in_reprs_messages_or_logs(
    api_key_url: str, basic_url: str, bearer_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    keys = {"header_key": "header-SECRET", "query_key": "query-SECRET"}
    api_keys = load("api_key").client
    with api_keys.Client(api_key_url, cookie_key=lambda: "cookie-SECRET", **keys) as client:
        client.default.via_query()
        client.default.via_header()
        client.default.via_cookie()
        texts.append(repr(client))
    with api_keys.Client(api_key_url, query_key="wrong-SECRET") as client:
        with pytest.raises(UnexpectedStatusError) as rejected:
            client.default.via_query()
        with pytest.raises(AuthError) as missing:
            client.default.via_cookie()
    with socket.socket() as unused:  # a port nothing listens on: the call fails to connect
        unused.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{unused.getsockname()[1]}"
    client = api_keys.Client(closed, query_key="query-SECRET", retry=None)
    with client, pytest.raises(TransportError) as unreachable:
        client.default.via_query()
    with load("basic").client.Client(basic_url, basic_auth=("ada", "pw-SECRET")) as client:
        client.default.me()
        texts.append(repr(client))
    with load("bearer").client.Client(bearer_url, bearer_auth="tok-SECRET") as client:
        client.default.me()
        texts.append(repr(client))
    for error in (rejected.value, missing.value, unreachable.value):
        texts += [str(error), repr(error)]
    assert "SECRET" not in "\n".join(texts)
    assert "SECRET" not in caplog.text
    # httpx did log the query key's requests, with the key masked.
    assert f"{api_key_url}/query?api_key=*** " in caplog.text
