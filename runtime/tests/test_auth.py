"""`specloom_runtime.auth` on its own, over `httpx.MockTransport`."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import urllib.parse
from typing import Any

import httpx
import pytest

from specloom_runtime import (
    AsyncClientCore,
    AuthError,
    ClientCore,
    OAuth2ClientCredentials,
    OAuth2DeviceAuthorization,
)
from specloom_runtime.auth import ApiKey, Basic, BearerToken, CredentialPicker, Token, _tokens
from specloom_runtime.operation import OperationSpec
from specloom_runtime.security import OAuthFlow, SchemeUse, SecurityRequirement, SecurityScheme

API_KEY = SecurityScheme(
    name="api_key", wire_name="ApiKey", kind="apiKey", parameter_name="X-Key", location="header"
)
OAUTH = SecurityScheme(
    name="oauth",
    wire_name="oauth",
    kind="oauth2",
    flows=(OAuthFlow(kind="clientCredentials", token_url="token"),),
)
BOTH = OperationSpec(
    name="both",
    method="GET",
    path="/x",
    security=(SecurityRequirement((SchemeUse(API_KEY), SchemeUse(OAUTH))),),
)


class Clock:
    now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(_tokens, "_now", fake)
    return fake


def _token_response(request: httpx.Request, lifetime: Any = 60) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": "at", "token_type": "bearer", "expires_in": lifetime}
    )


def test_the_renewal_margin_is_at_most_half_the_lifetime(clock: Clock) -> None:
    request = httpx.Request("POST", "https://auth/token")
    short = Token.from_response(_token_response(request, 1), "t")
    long = Token.from_response(_token_response(request, "3600"), "t")
    clock.now += 0.49
    assert short.is_fresh
    clock.now += 0.02
    assert not short.is_fresh
    clock.now += 3600 - 30 - 0.51 - 0.01
    assert long.is_fresh
    clock.now += 0.02
    assert not long.is_fresh
    assert Token.from_response(_token_response(request, None), "t").is_fresh  # no lifetime


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(500, text="<html>SECRET</html>"),
            "t failed: 500 Internal Server Error from https://auth/token",
        ),
        (
            httpx.Response(400, json={"error": "invalid_scope"}),
            "t failed: 400 Bad Request: invalid_scope",
        ),
        (
            httpx.Response(200, json={"access_token": "SECRET", "token_type": "mac"}),
            "t returned a 'mac' token; only bearer is supported",
        ),
    ],
)
def test_a_bad_token_response_is_an_auth_error(response: httpx.Response, message: str) -> None:
    response.request = httpx.Request("POST", "https://auth/token?client_secret=SECRET")
    with pytest.raises(AuthError) as caught:
        Token.from_response(response, "t")
    assert str(caught.value) == message


def _recording_transport(sent: list[httpx.Request]) -> httpx.MockTransport:
    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        if request.url.path == "/v1/token":
            return _token_response(request)
        return httpx.Response(204)

    return httpx.MockTransport(reply)


def test_an_api_key_and_an_oauth2_token_go_together_sync_and_async(clock: Clock) -> None:
    auth = OAuth2ClientCredentials(client_id="c", client_secret="s")
    credentials = {API_KEY: "k", OAUTH: auth}
    picker = CredentialPicker(credentials, base_url=httpx.URL("https://api/v1"))
    sent: list[httpx.Request] = []
    with httpx.Client(transport=_recording_transport(sent)) as client:
        for _ in range(2):
            client.get("https://api/v1/x", auth=picker.for_operation(BOTH))

    async def twice() -> None:
        transport = _recording_transport(sent)
        async with httpx.AsyncClient(transport=transport) as client:
            for _ in range(2):
                await client.get("https://api/v1/x", auth=picker.for_operation(BOTH))

    clock.now += 1000
    asyncio.run(twice())
    assert [request.url.path for request in sent] == ["/v1/token", *["/v1/x"] * 2] * 2
    calls = [request for request in sent if request.url.path == "/v1/x"]
    assert all(
        r.headers["x-key"] == "k" and r.headers["authorization"] == "Bearer at" for r in calls
    )
    # The spec's relative token URL, resolved against the client's base URL (a folder).
    assert str(sent[0].url) == "https://api/v1/token"
    assert dict(urllib.parse.parse_qsl(sent[0].content.decode())) == {
        "grant_type": "client_credentials"
    }


def test_two_token_credentials_in_one_alternative_are_refused() -> None:
    other = SecurityScheme(name="other", wire_name="other", kind="openIdConnect")
    operation = OperationSpec(
        name="op",
        method="GET",
        path="/",
        security=(SecurityRequirement((SchemeUse(OAUTH), SchemeUse(other))),),
    )
    picker = CredentialPicker(
        {
            OAUTH: OAuth2ClientCredentials(client_id="a", client_secret="b"),
            other: OAuth2ClientCredentials(client_id="c", client_secret="d"),
        }
    )
    with pytest.raises(AuthError, match="op: its security needs several token-based"):
        picker.for_operation(operation)


def test_the_device_flow_slows_down_when_asked(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("specloom_runtime.auth._tokens.time.sleep", waits.append)
    answers = iter(["slow_down", "authorization_pending", None])

    def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/device":
            body = {"device_code": "d", "user_code": "U", "verification_uri": "v", "interval": 1}
            return httpx.Response(200, json=body)
        if request.url.path == "/token":
            error = next(answers)
            return (
                _token_response(request)
                if error is None
                else httpx.Response(400, json={"error": error})
            )
        return httpx.Response(204)

    codes: list[Any] = []
    auth = OAuth2DeviceAuthorization(
        client_id="c",
        on_user_code=codes.append,
        device_authorization_url="https://auth/device",
        token_url="https://auth/token",
    )
    with httpx.Client(transport=httpx.MockTransport(reply)) as client:
        assert client.get("https://api/x", auth=auth).status_code == 204
    assert waits == [1.0, 6.0, 6.0]
    assert [code.user_code for code in codes] == ["U"]


def test_reprs_name_no_secret() -> None:
    auths = [
        ApiKey("SECRET", name="X-Key", location="query"),
        BearerToken(lambda: "SECRET"),
        Basic("ada", "SECRET"),
        OAuth2ClientCredentials(client_id="c", client_secret="SECRET", scopes=["a"]),
    ]
    shown = json.dumps([repr(auth) for auth in auths])
    assert "SECRET" not in shown
    assert "Basic(username='ada')" in shown


def test_the_device_flow_gives_up_when_the_code_expires(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr("specloom_runtime.auth._tokens.time.sleep", waits.append)

    def reply(request: httpx.Request) -> httpx.Response:
        body = {"device_code": "d", "user_code": "U", "expires_in": 10, "interval": 5}
        if request.url.path == "/device":
            return httpx.Response(200, json=body)
        clock.now += 5  # each poll waits out the interval
        return httpx.Response(400, json={"error": "authorization_pending"})

    auth = OAuth2DeviceAuthorization(
        client_id="c",
        on_user_code=lambda code: None,
        device_authorization_url="https://auth/device",
        token_url="https://auth/token",
    )
    client = httpx.Client(transport=httpx.MockTransport(reply))
    with client, pytest.raises(AuthError, match="the device code expired before the user"):
        client.get("https://api/x", auth=auth)
    assert waits == [5.0, 5.0]  # polled at 5 and 10 seconds; the code expires at 10


def test_an_oauth2_auth_works_on_a_plain_httpx_client(clock: Clock) -> None:
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return _token_response(request) if request.url.host == "auth" else httpx.Response(204)

    auth = OAuth2ClientCredentials(
        client_id="c", client_secret="s", scopes=["a", "b"], token_url="https://auth/token"
    )
    with httpx.Client(transport=httpx.MockTransport(reply), auth=auth) as client:
        client.get("https://api/x")
        client.get("https://api/y")
    assert [str(request.url) for request in sent] == [
        "https://auth/token",
        "https://api/x",
        "https://api/y",
    ]
    assert dict(urllib.parse.parse_qsl(sent[0].content.decode()))["scope"] == "a b"
    unconfigured = OAuth2ClientCredentials(client_id="c", client_secret="s")
    client = httpx.Client(transport=httpx.MockTransport(reply), auth=unconfigured)
    with client, pytest.raises(AuthError, match="OAuth2ClientCredentials has no token_url"):
        client.get("https://api/x")


def test_query_api_keys_are_masked_in_the_urls_httpx_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    auth = ApiKey("k-SECRET", name="api key", location="query")
    transport = httpx.MockTransport(lambda request: httpx.Response(204))
    with httpx.Client(transport=transport) as client:
        client.get("https://api/x?page=2&api+key=old-SECRET", auth=auth)
    (line,) = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    # The value the URL already held is kept (no second key), and masked all the same.
    assert line == 'HTTP Request: GET https://api/x?page=2&api+key=*** "HTTP/1.1 204 No Content"'
    client_sent = httpx.Client(transport=transport)
    with client_sent:
        client_sent.get("https://api/x?page=2", auth=auth)
    lines = [record.getMessage() for record in caplog.records if record.name == "httpx"]
    assert (
        lines[-1] == 'HTTP Request: GET https://api/x?page=2&api+key=*** "HTTP/1.1 204 No Content"'
    )


def test_a_renewal_that_failed_for_one_caller_is_tried_again_by_the_next(clock: Clock) -> None:
    issued: list[str] = []
    revoked: set[str] = set()

    async def reply(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/token":
            if len(issued) == 1:  # the second token request fails
                issued.append("")
                return httpx.Response(503)
            issued.append(f"at-{len(issued) + 1}")
            body = {"access_token": issued[-1], "token_type": "bearer", "expires_in": 60}
            return httpx.Response(200, json=body)
        token = request.headers["authorization"].removeprefix("Bearer ")
        await asyncio.sleep(0)
        return httpx.Response(401 if token in revoked else 204)

    auth = OAuth2ClientCredentials(client_id="c", client_secret="s", token_url="https://a/token")

    async def main() -> list[Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(reply)) as client:
            await client.get("https://a/x", auth=auth)
            revoked.add("at-1")
            calls = (client.get("https://a/x", auth=auth) for _ in range(2))
            return await asyncio.gather(*calls, return_exceptions=True)

    results = asyncio.run(main())
    (failed,) = [result for result in results if isinstance(result, AuthError)]
    (answered,) = [result for result in results if isinstance(result, httpx.Response)]
    assert str(failed) == (
        "client credentials token request failed: 503 Service Unavailable from https://a/token"
    )
    assert answered.status_code == 204  # it renewed again, instead of giving up
    assert issued == ["at-1", "", "at-3"]


KEYED = OperationSpec(
    name="keyed",
    method="GET",
    path="/x",
    security=(SecurityRequirement((SchemeUse(API_KEY),)),),
)


def _redirecting(sent: list[tuple[str, str | None]]) -> httpx.MockTransport:
    def reply(request: httpx.Request) -> httpx.Response:
        sent.append((str(request.url), request.headers.get("x-key")))
        if request.url.host == "api":
            return httpx.Response(302, headers={"Location": "https://other/x"})
        return httpx.Response(200, text="streamed")

    return httpx.MockTransport(reply)


def test_a_streamed_call_keeps_its_credentials_at_home_sync_and_async() -> None:
    sent: list[tuple[str, str | None]] = []
    transport = _redirecting(sent)
    http = httpx.Client(base_url="https://api", transport=transport, follow_redirects=True)
    core = ClientCore("", http_client=http, credentials={API_KEY: "k"})
    with core.stream(KEYED, {}) as raw:
        assert raw.read() == b"streamed"

    async def streamed() -> bytes:
        async with httpx.AsyncClient(
            base_url="https://api", transport=transport, follow_redirects=True
        ) as http:
            core = AsyncClientCore("", http_client=http, credentials={API_KEY: "k"})
            async with core.stream(KEYED, {}) as raw:
                return await raw.aread()

    assert asyncio.run(streamed()) == b"streamed"
    assert sent == [("https://api/x", "k"), ("https://other/x", None)] * 2


def test_a_token_only_call_leaves_redirects_to_httpx(clock: Clock) -> None:
    # Its token request may be redirected; its token still never leaves the origin.
    sent: list[tuple[str, str | None]] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append((f"{request.method} {request.url}", request.headers.get("authorization")))
        if request.url.path == "/v1/token":
            return httpx.Response(307, headers={"Location": "/v1/oauth/token"})
        if request.url.path == "/v1/oauth/token":
            return _token_response(request)
        if request.url.host == "api":
            return httpx.Response(302, headers={"Location": "https://other/x"})
        return httpx.Response(200, json={})

    operation = OperationSpec(
        name="oauth", method="GET", path="/x", security=(SecurityRequirement((SchemeUse(OAUTH),)),)
    )
    auth = OAuth2ClientCredentials(client_id="c", client_secret="s")
    transport = httpx.MockTransport(reply)
    base = "https://api/v1"
    with httpx.Client(base_url=base, transport=transport, follow_redirects=True) as http:
        core = ClientCore("", http_client=http, credentials={OAUTH: auth})
        with core.stream(operation, {}) as raw:
            assert raw.status_code == 200
    basic = "Basic " + base64.b64encode(b"c:s").decode()
    assert sent == [
        ("POST https://api/v1/token", basic),
        ("POST https://api/v1/oauth/token", basic),  # same origin: httpx keeps it
        ("GET https://api/v1/x", "Bearer at"),
        ("GET https://other/x", None),
    ]


@pytest.mark.parametrize("location", ["query", "header", "cookie"])
def test_an_api_key_the_call_already_carries_as_a_parameter_is_not_sent_twice(
    location: Any,
) -> None:
    # currencytick declares `apikey` both as a query parameter and as the scheme's key:
    # the value the call passes is sent, once.
    sent: list[httpx.Request] = []
    auth = ApiKey("configured", name="apikey", location=location)
    with httpx.Client(transport=_recording_transport(sent)) as client:
        if location == "query":
            client.get("https://api/x", params={"apikey": "passed"}, auth=auth)
        elif location == "header":
            client.get("https://api/x", headers={"apikey": "passed"}, auth=auth)
        else:
            client.get("https://api/x", headers={"Cookie": "session=1; apikey=passed"}, auth=auth)
        client.get("https://api/x", auth=auth)
    passed, plain = sent
    if location == "query":
        assert passed.url.params.get_list("apikey") == ["passed"]
        assert plain.url.params.get_list("apikey") == ["configured"]
    elif location == "header":
        assert passed.headers.get_list("apikey") == ["passed"]
        assert plain.headers["apikey"] == "configured"
    else:
        assert passed.headers["Cookie"] == "session=1; apikey=passed"
        assert plain.headers["Cookie"] == "apikey=configured"
