"""OAuth2 and OpenID Connect, against a token server and discovery endpoint served on
127.0.0.1 beside the generated API: client credentials, refresh token, device
authorization, token lifetimes, single-flight renewal, 401 renewal, secrets kept out."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from security.generated import load
from security.token_server import CLIENT_ID, CLIENT_SECRET, TokenServer
from specloom_runtime import (
    AuthError,
    OAuth2ClientCredentials,
    OAuth2DeviceAuthorization,
    OAuth2RefreshToken,
    OpenIdConnect,
    UserCode,
)
from specloom_runtime.auth import _tokens
from specloom_runtime.errors import UnexpectedStatusError
from specloom_runtime.server import request_context
from specloom_runtime.server.testing import serve_in_thread


class Clock:
    """Stands in for the clock token lifetimes are measured with."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_tokens, "_now", fake)
    return fake


def _serve(spec: str, tokens: TokenServer, scheme: str) -> Iterator[str]:
    package = load(spec)

    class Impl(package.server.DefaultApi):  # type: ignore[misc]
        async def me(self) -> Any:
            return package.models.Who(name=str(request_context().principal))

        async def admin(self) -> None:
            return None

    app = package.server.create_app(Impl(), security={scheme: tokens.verify})
    with serve_in_thread(tokens.install(app)) as url:
        yield url


@pytest.fixture
def tokens() -> TokenServer:
    return TokenServer(lifetime=60)


@pytest.fixture
def oauth2_url(tokens: TokenServer) -> Iterator[str]:
    yield from _serve("oauth2", tokens, "oauth2")


def _client_credentials(**options: Any) -> OAuth2ClientCredentials:
    return OAuth2ClientCredentials(
        client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scopes=["read"], **options
    )


def test_client_credentials_use_the_specs_relative_token_url(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    with load("oauth2").client.Client(oauth2_url, oauth2=_client_credentials()) as client:
        for _ in range(5):
            assert client.default.me().name == CLIENT_ID
    assert tokens.requests == {"client_credentials": 1}


def test_a_short_token_is_renewed_before_expiry_but_not_on_every_call(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    tokens.lifetime = 1  # renewed half a second before it expires, not earlier
    with load("oauth2").client.Client(oauth2_url, oauth2=_client_credentials()) as client:
        client.default.me()
        clock.now += 0.4
        client.default.me()
        assert tokens.requests["client_credentials"] == 1
        clock.now += 0.2
        client.default.me()
        assert tokens.requests["client_credentials"] == 2


def test_a_401_renews_the_token_once(oauth2_url: str, tokens: TokenServer, clock: Clock) -> None:
    with load("oauth2").client.Client(oauth2_url, oauth2=_client_credentials()) as client:
        client.default.me()
        tokens.revoke_access_tokens()  # the server forgot it: 401, new token, retried
        assert client.default.me().name == CLIENT_ID
        assert tokens.requests["client_credentials"] == 2
        tokens.reject_all = True
        with pytest.raises(UnexpectedStatusError) as caught:
            client.default.me()
    assert caught.value.status_code == 401
    assert tokens.requests["client_credentials"] == 3  # one renewal, not a loop


def test_a_401_renews_the_token_once_async(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    async def main() -> int:
        client_module = load("oauth2").client
        async with client_module.AsyncClient(oauth2_url, oauth2=_client_credentials()) as client:
            await client.default.me()
            tokens.revoke_access_tokens()
            names = await asyncio.gather(*(client.default.me() for _ in range(20)))
            assert [who.name for who in names] == [CLIENT_ID] * 20
            assert tokens.requests["client_credentials"] == 2  # one renewal for all 20
            tokens.reject_all = True
            with pytest.raises(UnexpectedStatusError) as caught:
                await client.default.me()
            return caught.value.status_code

    assert asyncio.run(main()) == 401
    assert tokens.requests["client_credentials"] == 3


def test_missing_scopes_get_403(oauth2_url: str, tokens: TokenServer, clock: Clock) -> None:
    client = load("oauth2").client.Client(oauth2_url, oauth2=_client_credentials())
    with client, pytest.raises(UnexpectedStatusError) as caught:
        client.default.admin()
    raw = caught.value.response.raw
    assert raw.status_code == 403
    assert raw.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="admin"'
    assert raw.json()["detail"] == "needs scopes admin"


def test_a_hundred_threads_across_an_expiry_cause_one_token_request(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    with load("oauth2").client.Client(oauth2_url, oauth2=_client_credentials()) as client:
        client.default.me()
        clock.now += 61
        tokens.delay = 0.2  # the other callers arrive while the token is being fetched
        start = threading.Barrier(100)

        def call(_: int) -> str:
            start.wait()
            return str(client.default.me().name)

        with ThreadPoolExecutor(max_workers=100) as pool:
            names = list(pool.map(call, range(100)))
    assert names == [CLIENT_ID] * 100
    assert tokens.requests["client_credentials"] == 2


def test_a_hundred_tasks_across_an_expiry_cause_one_token_request(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    async def main() -> list[str]:
        client_module = load("oauth2").client
        async with client_module.AsyncClient(oauth2_url, oauth2=_client_credentials()) as client:
            await client.default.me()
            clock.now += 61
            tokens.delay = 0.2
            results = await asyncio.gather(*(client.default.me() for _ in range(100)))
            return [str(result.name) for result in results]

    assert asyncio.run(main()) == [CLIENT_ID] * 100
    assert tokens.requests["client_credentials"] == 2


def test_a_refused_token_request_is_an_auth_error_without_secrets(
    oauth2_url: str, tokens: TokenServer
) -> None:
    wrong = OAuth2ClientCredentials(client_id=CLIENT_ID, client_secret="wrong-SECRET")
    client = load("oauth2").client.Client(oauth2_url, oauth2=wrong)
    with client, pytest.raises(AuthError) as caught:
        client.default.me()
    expected = (
        "me: client credentials token request failed: 401 Unauthorized: invalid_client "
        "(test server: invalid_client)"
    )
    assert str(caught.value) == expected
    assert caught.value.operation_name == "me"

    async def main() -> AuthError:
        client_module = load("oauth2").client
        async with client_module.AsyncClient(oauth2_url, oauth2=wrong) as client:
            with pytest.raises(AuthError) as caught:
                await client.default.me()
        return caught.value

    assert str(asyncio.run(main())) == expected


def test_the_refresh_token_grant_keeps_the_rotated_token(
    oauth2_url: str, tokens: TokenServer, clock: Clock
) -> None:
    first = tokens.issued_refresh_token()
    auth = OAuth2RefreshToken(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=first)
    with load("oauth2").client.Client(oauth2_url, oauth2=auth) as client:
        client.default.me()
        clock.now += 61
        client.default.me()  # the first refresh token is gone: the rotated one is used
    assert tokens.requests == {"refresh_token": 2}


def test_the_refresh_token_grant_starts_the_next_run_from_the_saved_token(
    oauth2_url: str, tokens: TokenServer, clock: Clock, tmp_path: Path
) -> None:
    store = tmp_path / "refresh.json"
    given = tokens.issued_refresh_token()

    def run() -> None:
        auth = OAuth2RefreshToken(client_id=CLIENT_ID, refresh_token=given, token_store=store)
        with load("oauth2").client.Client(oauth2_url, oauth2=auth) as client:
            assert client.default.me().name == CLIENT_ID

    run()  # the server rotates `given` away; the new one is saved
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    run()  # `given` is no longer valid: the saved one is used
    assert tokens.requests == {"refresh_token": 2}
    tokens.refresh_tokens.clear()  # the saved one revoked too, and `given` never valid again
    tokens.refresh_tokens.add(given)  # ...unless the server takes it back: the fallback
    run()
    assert tokens.requests == {"refresh_token": 4}  # the saved one refused, then `given`


def test_openid_connect_discovers_the_token_endpoint_once(
    tokens: TokenServer, clock: Clock
) -> None:
    auth = OpenIdConnect(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, scopes=["read"])
    for url in _serve("openid", tokens, "oidc"):
        with load("openid").client.Client(url, oidc=auth) as client:
            client.default.me()
            clock.now += 61
            assert client.default.me().name == CLIENT_ID
    assert tokens.requests == {"discovery": 1, "client_credentials": 2}


class FakeUser:
    """Reads the code the client shows and approves it, after the client's first poll."""

    def __init__(self, tokens: TokenServer) -> None:
        self.tokens = tokens
        self.codes: list[UserCode] = []

    def __call__(self, code: UserCode) -> None:
        self.codes.append(code)
        threading.Timer(0, self.tokens.approve, [code.user_code]).start()


def test_the_device_flow_saves_the_refresh_token_for_the_next_run(
    tokens: TokenServer, clock: Clock, tmp_path: Path
) -> None:
    store = tmp_path / "state" / "tokens.json"
    user = FakeUser(tokens)

    def device_auth() -> OAuth2DeviceAuthorization:
        return OAuth2DeviceAuthorization(
            client_id=CLIENT_ID, on_user_code=user, token_store=store, scopes=["read"]
        )

    for url in _serve("device", tokens, "oauth2"):
        with load("device").client.Client(url, oauth2=device_auth()) as client:
            assert client.default.me().name == CLIENT_ID
        assert [code.user_code for code in user.codes] == ["WDJB-1"]
        assert user.codes[0].verification_uri == f"{url}/activate"
        assert stat.S_IMODE(store.stat().st_mode) == 0o600
        assert "rt-SECRET" in store.read_text()
        # The next run: the saved refresh token, no user involved.
        with load("device").client.Client(url, oauth2=device_auth()) as client:
            assert client.default.me().name == CLIENT_ID
    assert len(user.codes) == 1
    assert tokens.requests["device"] == 1
    assert tokens.requests["refresh_token"] == 1
    assert tokens.requests["device_code"] >= 1


def test_the_device_flow_in_async_code(tokens: TokenServer, clock: Clock, tmp_path: Path) -> None:
    user = FakeUser(tokens)
    store = tmp_path / "tokens.json"

    async def run(url: str) -> list[str]:
        auth = OAuth2DeviceAuthorization(client_id=CLIENT_ID, on_user_code=user, token_store=store)
        async with load("device").client.AsyncClient(url, oauth2=auth) as client:
            # Ten tasks at once: one device authorization, one user code.
            found = await asyncio.gather(*(client.default.me() for _ in range(10)))
            return [str(who.name) for who in found]

    for url in _serve("device", tokens, "oauth2"):
        assert asyncio.run(run(url)) == [CLIENT_ID] * 10
        assert asyncio.run(run(url)) == [CLIENT_ID] * 10  # the next run: the saved token
    assert len(user.codes) == 1
    assert (tokens.requests["device"], tokens.requests["refresh_token"]) == (1, 1)
    assert stat.S_IMODE(store.stat().st_mode) == 0o600


def test_the_token_file_is_never_readable_by_others(tmp_path: Path) -> None:
    from specloom_runtime.auth._store import load_refresh_token, save_refresh_token

    store = tmp_path / "tokens.json"
    store.write_text("{}")
    os.chmod(store, 0o644)  # an existing file with a wider mode is replaced, not reused
    save_refresh_token(store, "rt-SECRET-x")
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert load_refresh_token(store) == "rt-SECRET-x"
    assert [path.name for path in tmp_path.iterdir()] == ["tokens.json"]


def test_concurrent_saves_leave_one_whole_private_file(tmp_path: Path) -> None:
    from specloom_runtime.auth._store import load_refresh_token, save_refresh_token

    store = tmp_path / "tokens.json"
    saved = [f"rt-SECRET-{index}" for index in range(64)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda token: save_refresh_token(store, token), saved))
    assert load_refresh_token(store) in saved
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert [path.name for path in tmp_path.iterdir()] == ["tokens.json"]


def test_no_secret_in_reprs_messages_or_logs(
    oauth2_url: str, tokens: TokenServer, caplog: pytest.LogCaptureFixture, clock: Clock
) -> None:
    caplog.set_level(logging.DEBUG)
    refresh = tokens.issued_refresh_token()
    auths: list[Any] = [
        _client_credentials(),
        OAuth2RefreshToken(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, refresh_token=refresh),
        OpenIdConnect(client_id=CLIENT_ID, client_secret=CLIENT_SECRET),
        OAuth2DeviceAuthorization(client_id=CLIENT_ID, on_user_code=print),
    ]
    texts = [repr(auth) for auth in auths] + [str(auth) for auth in auths]
    client_module = load("oauth2").client
    for auth in auths[:2]:
        with client_module.Client(oauth2_url, oauth2=auth) as client:
            client.default.me()
            texts += [repr(client), repr(auth), repr(auth._token)]
            clock.now += 61
    bad_secret = OAuth2ClientCredentials(client_id="x", client_secret="bad-SECRET")
    for credential in (bad_secret, "at-SECRET-unknown"):
        client = client_module.Client(oauth2_url, oauth2=credential)
        with client, pytest.raises(Exception) as caught:  # noqa: PT011 - any error, checked below
            client.default.me()
        texts += [str(caught.value), repr(caught.value)]
    assert tokens.requests["client_credentials"] >= 1
    assert "SECRET" not in "\n".join(texts)
    assert "SECRET" not in caplog.text
    assert caplog.records  # httpx did log the requests, at INFO


def test_openid_connect_runs_the_device_flow_from_the_discovered_endpoints(
    tokens: TokenServer, clock: Clock, tmp_path: Path
) -> None:
    user = FakeUser(tokens)
    auth = OpenIdConnect(client_id=CLIENT_ID, on_user_code=user, token_store=tmp_path / "t")
    for url in _serve("openid", tokens, "oidc"):
        with load("openid").client.Client(url, oidc=auth) as client:
            assert client.default.me().name == CLIENT_ID
            clock.now += 3601
            assert client.default.me().name == CLIENT_ID  # renewed with the refresh token
    assert len(user.codes) == 1
    assert tokens.requests["discovery"] == 1
    assert tokens.requests["device"] == 1
    assert tokens.requests["refresh_token"] == 1
    assert stat.S_IMODE((tmp_path / "t").stat().st_mode) == 0o600
