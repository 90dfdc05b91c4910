"""Security cases the test suites of other OpenAPI tools exercise, written anew
(fixtures/security/suites.yaml says which): generated client against generated server on
127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Generator, Iterator
from typing import Any

import httpx
import pytest

from security.generated import load
from specloom_runtime import OAuth2ClientCredentials
from specloom_runtime.errors import AuthError, UnexpectedStatusError
from specloom_runtime.server import InsufficientScope, request_context
from specloom_runtime.server.testing import serve_in_thread

# What the server's verifiers were given, by scheme.
GIVEN: dict[str, list[Any]] = {}


def _remember(scheme: str, *credential: Any) -> None:
    GIVEN.setdefault(scheme, []).append(credential)


def verify_key(key: str) -> str | None:
    _remember("key", key)
    return {"key-SECRET": "ada"}.get(key)


def verify_query_key(key: str) -> str | None:
    _remember("query", key)
    return "bob" if key == "q-SECRET" else None


def verify_session(key: str) -> str | None:
    return "carol" if key == "s-SECRET" else None


async def verify_petstore(token: str, scopes: tuple[str, ...]) -> str | None:
    _remember("petstore", token, scopes)
    granted = {"pet-SECRET": {"write:pets", "read:pets"}, "reader-SECRET": {"read:pets"}}
    if token not in granted:
        return None
    if not set(scopes) <= granted[token]:
        raise InsufficientScope(f"needs {' '.join(scopes)}")
    return "petstore-user"


def verify_bearer(token: str) -> str | None:
    return "jwt-user" if token == "jwt-SECRET" else None


def verify_other(credentials: str) -> str | None:
    _remember("other", credentials)
    return "other-user" if credentials == "foobar-SECRET" else None


def verify_basic(username: str, password: str) -> str | None:
    _remember("basic", username, password)
    return username if password == "pâss:wörd-SECRET" else None


SECURITY = {
    "api_key_auth": verify_key,
    "api_key_query_auth": verify_query_key,
    "session_cookie": verify_session,
    "petstore_auth": verify_petstore,
    "bearer_auth": verify_bearer,
    "other_auth": verify_other,
    "basic_auth": verify_basic,
}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    package = load("suites")
    Seen = package.models.Seen

    def seen(detail: str | None = None) -> Any:
        who = request_context().principal
        return Seen(who=who, detail=detail) if detail is not None else Seen(who=who)

    class Impl(package.server.DefaultApi):  # type: ignore[misc]
        async def inherited(self) -> Any:
            return seen()

        async def key_or_anonymous(self) -> Any:
            return seen()

        async def anonymous(self) -> Any:
            return seen(request_context().request.headers.get("x-api-key", "no key"))

        async def anonymous_too(self) -> Any:
            return seen(request_context().request.headers.get("x-api-key", "no key"))

        async def query_key(self, *, param1: str | None = None) -> Any:
            return seen(f"param1={param1}")

        async def cookie_key(self, *, theme: str) -> Any:
            return seen(f"theme={theme}")

        async def add_pet(self) -> Any:
            return seen()

        async def bearer(self) -> Any:
            return seen()

        async def other(self) -> Any:
            return seen()

        async def basic(self) -> Any:
            return seen()

    with serve_in_thread(package.server.create_app(Impl(), security=SECURITY)) as served:
        yield served


@pytest.fixture(autouse=True)
def _forget() -> None:
    GIVEN.clear()


def _client(url: str, **credentials: Any) -> Any:
    return load("suites").client.Client(url, **credentials)


def test_the_document_key_is_inherited_and_required(url: str) -> None:
    with _client(url, api_key_auth="key-SECRET") as client:
        assert client.default.inherited().who == "ada"
    with _client(url) as client, pytest.raises(AuthError, match="pass api_key_auth="):
        client.default.inherited()
    response = httpx.get(f"{url}/api_key", headers={"X-API-Key": "wrong"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'ApiKey in="header", name="X-API-Key"'


def test_a_key_or_anonymous(url: str) -> None:
    with _client(url, api_key_auth="key-SECRET") as client:
        assert client.default.key_or_anonymous().who == "ada"
    with _client(url) as client:  # no key: the anonymous alternative, nothing sent
        assert client.default.key_or_anonymous().who is None
    assert GIVEN == {"key": [("key-SECRET",)]}
    # A key the verifier rejects leaves the anonymous alternative: served, as nobody.
    response = httpx.get(f"{url}/api_key_or_anonymous", headers={"X-API-Key": "wrong"})
    assert (response.status_code, response.json()) == (200, {"who": None})


def test_dropped_and_empty_requirements_are_open(url: str) -> None:
    with _client(url, api_key_auth="key-SECRET") as client:
        # `security: []` and `security: [{}]`: the key the client has is not sent.
        assert client.default.anonymous().model_dump() == {"who": None, "detail": "no key"}
        assert client.default.anonymous_too().model_dump() == {"who": None, "detail": "no key"}
    assert GIVEN == {}


def test_a_query_key_beside_a_declared_query_parameter(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="httpx")
    with _client(url, api_key_query_auth="q-SECRET") as client:
        seen = client.default.query_key(param1="APIKey=x&y")
    assert (seen.who, seen.detail) == ("bob", "param1=APIKey=x&y")
    assert GIVEN == {"query": [("q-SECRET",)]}
    assert "SECRET" not in caplog.text
    assert "APIKey=***" in caplog.text


def test_a_cookie_key_beside_a_declared_cookie(url: str) -> None:
    with _client(url, session_cookie=lambda: "s-SECRET") as client:
        seen = client.default.cookie_key(theme="dark")
    assert (seen.who, seen.detail) == ("carol", "theme=dark")


def test_an_implicit_flow_scheme_takes_a_token_and_checks_colon_scopes(url: str) -> None:
    with _client(url, petstore_auth="pet-SECRET") as client:
        assert client.default.add_pet().who == "petstore-user"
    client = _client(url, petstore_auth=lambda: "reader-SECRET")
    with client, pytest.raises(UnexpectedStatusError) as caught:
        client.default.add_pet()
    raw = caught.value.response.raw
    assert raw.status_code == 403
    expected = 'Bearer error="insufficient_scope", scope="write:pets read:pets"'
    assert raw.headers["www-authenticate"] == expected
    assert GIVEN["petstore"] == [
        ("pet-SECRET", ("write:pets", "read:pets")),
        ("reader-SECRET", ("write:pets", "read:pets")),
    ]


def test_an_implicit_flow_has_no_token_endpoint_for_client_credentials(url: str) -> None:
    auth = OAuth2ClientCredentials(client_id="c", client_secret="cs-SECRET")
    with _client(url, petstore_auth=auth) as client, pytest.raises(AuthError) as caught:
        client.default.add_pet()
    assert "has no token_url (the spec declares none)" in str(caught.value)
    assert GIVEN == {}


def test_a_capitalised_bearer_scheme(url: str) -> None:
    with _client(url, bearer_auth="jwt-SECRET") as client:
        assert client.default.bearer().who == "jwt-user"
    # The scheme name is case-insensitive on the wire too.
    lower = httpx.get(f"{url}/bearer", headers={"Authorization": "bearer jwt-SECRET"})
    assert lower.json() == {"who": "jwt-user"}
    wrong_scheme = httpx.get(f"{url}/bearer", headers={"Authorization": "Basic notreally"})
    assert wrong_scheme.status_code == 401
    assert wrong_scheme.headers["www-authenticate"] == 'Bearer realm="api"'


class OtherAuth(httpx.Auth):
    """What a user writes for a scheme the spec names but does not define."""

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Other foobar-SECRET"
        yield request


def test_a_scheme_of_its_own(url: str) -> None:
    with _client(url, other_auth=OtherAuth()) as client:
        assert client.default.other().who == "other-user"
    assert GIVEN == {"other": [("foobar-SECRET",)]}
    with _client(url) as client, pytest.raises(AuthError, match="pass other_auth="):
        client.default.other()
    response = httpx.get(f"{url}/other", headers={"Authorization": "Bearer foobar-SECRET"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Other realm="api"'


def test_basic_passwords_with_colons_and_non_ascii_letters(url: str) -> None:
    async def main() -> Any:
        credentials = ("zoë", "pâss:wörd-SECRET")
        async with load("suites").client.AsyncClient(url, basic_auth=credentials) as client:
            return await client.default.basic()

    assert asyncio.run(main()).who == "zoë"
    assert GIVEN == {"basic": [("zoë", "pâss:wörd-SECRET")]}
    no_colon = base64.b64encode(b"zoe").decode()
    response = httpx.get(f"{url}/basic", headers={"Authorization": f"Basic {no_colon}"})
    assert response.status_code == 401
    assert GIVEN == {"basic": [("zoë", "pâss:wörd-SECRET")]}  # never reached the verifier
