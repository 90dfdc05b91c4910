"""Which credentials a request carries: the first alternative of its operation's security
whose schemes all have credentials."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from typing import Any, TypeAlias

import httpx

from ..errors import AuthError
from ..operation import OperationSpec
from ..security import SecurityRequirement, SecurityScheme
from ._static import ApiKey, Basic, BearerToken, SecretValue, StaticAuth

TokenCredential: TypeAlias = SecretValue | httpx.Auth
"""A bearer token, a function returning one, or an `httpx.Auth` that obtains one (an
`OAuth2ClientCredentials`, `OpenIdConnect`, ...)."""

AuthChoice: TypeAlias = httpx.Auth | httpx._client.UseClientDefault


def scheme_auth(scheme: SecurityScheme, credential: Any, base_url: httpx.URL) -> httpx.Auth:
    """The `httpx.Auth` sending `credential` the way `scheme` says; TypeError naming the
    scheme when the credential does not fit it."""
    if isinstance(credential, httpx.Auth):
        adopt = getattr(credential, "adopt_scheme", None)
        if adopt is not None:
            adopt(scheme, base_url)
        return credential
    if scheme.kind == "apiKey" and _is_secret(credential):
        assert scheme.location is not None
        return ApiKey(credential, name=scheme.parameter_name, location=scheme.location)
    if scheme.kind == "http" and scheme.http_scheme == "basic" and _is_pair(credential):
        return Basic(credential[0], credential[1])
    if scheme.is_bearer and _is_secret(credential):
        return BearerToken(credential)
    raise TypeError(f"{scheme.name}: expected {_expected(scheme)}, got {type(credential).__name__}")


class CredentialPicker:
    """The auth for each operation, from the credentials given for the spec's schemes.

    `fallback` (the client's generic `auth=`) is used where the spec's credentials are
    not: for open operations, and for operations none of whose alternatives is met.
    """

    def __init__(
        self,
        credentials: Mapping[SecurityScheme, Any],
        fallback: httpx.Auth | None = None,
        *,
        base_url: httpx.URL | None = None,
    ) -> None:
        base = base_url if base_url is not None else httpx.URL()
        self._auths = {
            scheme.name: scheme_auth(scheme, credential, base)
            for scheme, credential in credentials.items()
            if credential is not None
        }
        self._fallback = fallback
        self._chosen: dict[int, tuple[OperationSpec, AuthChoice]] = {}

    def for_operation(self, operation: OperationSpec) -> AuthChoice:
        """The auth to send `operation` with; AuthError when its security is not met."""
        # The choice depends on the operation only: made once per operation, not per call.
        chosen = self._chosen.get(id(operation))
        if chosen is not None and chosen[0] is operation:
            return chosen[1]
        choice = self._choose(operation)
        self._chosen[id(operation)] = (operation, choice)
        return choice

    def _choose(self, operation: OperationSpec) -> AuthChoice:
        default: AuthChoice = self._fallback or httpx.USE_CLIENT_DEFAULT
        if not operation.security:
            return default
        for requirement in operation.security:
            auths = self._auths_for(requirement)
            if auths is None:
                continue
            return _combined(auths, operation) if auths else default
        if self._fallback is not None:
            return self._fallback
        raise AuthError(
            f"no credentials for its security; pass {_alternatives(operation.security)} "
            "to the client",
            operation_name=operation.name,
        )

    def for_other_requests(self) -> AuthChoice:
        """The auth for a request the spec does not describe: the client's generic `auth=`."""
        return self._fallback or httpx.USE_CLIENT_DEFAULT

    def _auths_for(self, requirement: SecurityRequirement) -> list[httpx.Auth] | None:
        auths = []
        for use in requirement.uses:
            if use.scheme.kind == "mutualTLS":
                continue  # the http_client's certificate: nothing to add to the request
            auth = self._auths.get(use.scheme.name)
            if auth is None:
                return None
            auths.append(auth)
        return auths


def _combined(auths: Sequence[httpx.Auth], operation: OperationSpec) -> httpx.Auth:
    if len(auths) == 1:
        return auths[0]
    dynamic = [auth for auth in auths if not isinstance(auth, StaticAuth)]
    if len(dynamic) > 1:
        raise AuthError(
            "its security needs several token-based credentials at once, which one request "
            "cannot carry",
            operation_name=operation.name,
        )
    static = [auth for auth in auths if isinstance(auth, StaticAuth)]
    return _AllOf(static, dynamic[0] if dynamic else None)


class _AllOf(httpx.Auth):
    """Static credentials applied together, then at most one other auth's flow."""

    def __init__(self, static: Sequence[StaticAuth], last: httpx.Auth | None) -> None:
        self._static = tuple(static)
        self._last = last

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        for auth in self._static:
            auth.apply(request)
        if self._last is None:
            yield request
        else:
            yield from self._last.sync_auth_flow(request)

    async def async_auth_flow(self, request: httpx.Request) -> Any:
        for auth in self._static:
            auth.apply(request)
        if self._last is None:
            yield request
            return
        flow = self._last.async_auth_flow(request)
        response = None
        try:
            step = await flow.__anext__()
            while True:
                response = yield step
                step = await flow.asend(response)
        except StopAsyncIteration:
            return


def _alternatives(requirements: Sequence[SecurityRequirement]) -> str:
    """`api_key_auth=, or basic_auth= and app_id=`: the keywords each alternative needs."""
    described = [
        " and ".join(
            f"{use.scheme.name}=" for use in requirement.uses if use.scheme.kind != "mutualTLS"
        )
        for requirement in requirements
    ]
    return ", or ".join(text for text in described if text)


def _expected(scheme: SecurityScheme) -> str:
    if scheme.kind == "apiKey":
        return "the API key (a str, or a function returning one)"
    if scheme.kind == "http" and scheme.http_scheme == "basic":
        return "a (username, password) pair"
    if scheme.is_bearer:
        return "a token (a str, or a function returning one) or an httpx.Auth"
    return "an httpx.Auth"


def _is_secret(value: object) -> bool:
    return isinstance(value, str) or callable(value)


def _is_pair(value: object) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(item, str) for item in value)
    )
