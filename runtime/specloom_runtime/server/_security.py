"""The security check of generated servers: one verifier per scheme, run before the
request is parsed.

A request is let through when one alternative of its operation's security has all its
schemes verified; otherwise it gets 401 with a `WWW-Authenticate` challenge per scheme
(403 when a verifier said the credential is fine but its scopes fall short).

Verifiers (sync or async) get the credential the scheme defines and return a principal,
or None to reject it:

| scheme                      | verifier                              |
|-----------------------------|---------------------------------------|
| apiKey                      | `verify(key)`                         |
| http basic                  | `verify(username, password)`          |
| http bearer, other http     | `verify(token)` (the text after the scheme) |
| oauth2, openIdConnect       | `verify(token, scopes)`, `scopes` the operation needs |
| mutualTLS                   | `verify(request)` (the Starlette request) |
"""

from __future__ import annotations

import base64
import binascii
import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

from starlette.requests import Request
from starlette.responses import Response

from ..operation import OperationSpec
from ..security import SchemeUse, SecurityScheme
from ._context import RequestContext, enter_request
from ._problems import problem_response


class AllowAnonymous:
    """The type of `ALLOW_ANONYMOUS`."""

    def __repr__(self) -> str:
        return "ALLOW_ANONYMOUS"


_NOT_TOKEN = re.compile(r"[^A-Za-z0-9!#$%&'*+.^_`|~-]")

Verifier: TypeAlias = Callable[..., Any] | AllowAnonymous
"""A function (sync or async) from a scheme's credential to a principal (None rejects
it), or `ALLOW_ANONYMOUS`."""

ALLOW_ANONYMOUS: Final = AllowAnonymous()
"""`create_app(security={"api_key": ALLOW_ANONYMOUS})`: do not check that scheme; it counts
as met without a credential (for development, or when a proxy in front checks it)."""


class InsufficientScope(Exception):
    """Raised by a verifier whose credential is valid but does not allow the operation:
    the answer is 403."""

    def __init__(self, detail: str = "the credentials do not allow this operation") -> None:
        super().__init__(detail)
        self.detail = detail


class _Rejected(Exception):
    """No credential for the scheme, or its verifier said None."""


def check_verifiers(operations: Iterable[OperationSpec], verifiers: Mapping[str, Verifier]) -> None:
    """ValueError naming every scheme the operations use that has no verifier, and every
    verifier for a scheme no operation uses (a misspelled key)."""
    used: dict[str, tuple[SecurityScheme, str]] = {}
    for operation in operations:
        for requirement in operation.security:
            for use in requirement.uses:
                used.setdefault(use.scheme.name, (use.scheme, operation.name))
    missing = [
        f"{name!r} (scheme {scheme.wire_name!r}, used by {operation!r})"
        for name, (scheme, operation) in used.items()
        if name not in verifiers
    ]
    if missing:
        raise ValueError(
            f"create_app has no verifier for {', '.join(missing)}: pass security={{...}} with "
            "one for each, or ALLOW_ANONYMOUS (specloom_runtime.server) to leave one unchecked"
        )
    unknown = sorted(set(verifiers) - set(used))
    if unknown:
        raise ValueError(f"security= names schemes no operation uses: {', '.join(unknown)}")


@dataclass(frozen=True)
class SecurityCheck:
    """The check of one operation; on success it records the principals in the request
    context (which the endpoint entered before running it)."""

    operation: OperationSpec
    verifiers: Mapping[str, Verifier]

    async def __call__(self, request: Request) -> Response | None:
        if not self.operation.security:
            return None
        verified: dict[str, Any] = {}
        rejected: list[Sequence[SchemeUse]] = []
        forbidden: list[tuple[SchemeUse, str]] = []
        for requirement in self.operation.security:
            principals: dict[str, Any] = {}
            for index, use in enumerate(requirement.uses):
                try:
                    principals[use.scheme.name] = await self._verify(use, request, verified)
                except _Rejected:
                    rejected.append(requirement.uses[index:])  # the ones still wanted
                    break
                except InsufficientScope as denial:
                    forbidden.append((use, denial.detail))
                    break
            else:
                shown = {name: None if p is _ANONYMOUS else p for name, p in principals.items()}
                enter_request(RequestContext(request, shown))
                return None
        if forbidden:
            return _forbidden(forbidden)
        return _unauthorized(rejected, request)

    async def _verify(self, use: SchemeUse, request: Request, verified: dict[str, Any]) -> Any:
        """The principal for `use`; each scheme is verified at most once per request."""
        key = f"{use.scheme.name} {' '.join(use.scopes)}"
        if key not in verified:
            verified[key] = await self._principal(use, request)
        principal = verified[key]
        if isinstance(principal, InsufficientScope):
            raise principal
        if principal is None:
            raise _Rejected
        return principal

    async def _principal(self, use: SchemeUse, request: Request) -> Any:
        verifier = self.verifiers[use.scheme.name]
        if isinstance(verifier, AllowAnonymous):
            return _ANONYMOUS
        arguments = credential_arguments(use, request)
        if arguments is None:
            return None
        try:
            result = verifier(*arguments)
            if inspect.isawaitable(result):
                result = await result
        except InsufficientScope as denial:
            return denial
        return result


class _Anonymous:
    """The principal of a scheme the app opted out of checking (shown as None)."""


_ANONYMOUS = _Anonymous()


def credential_arguments(use: SchemeUse, request: Request) -> tuple[Any, ...] | None:
    """The verifier's arguments for `use`, or None when the request has no credential."""
    scheme = use.scheme
    if scheme.kind == "apiKey":
        key = _api_key(scheme, request)
        return None if not key else (key,)
    if scheme.kind == "mutualTLS":
        return (request,)
    credentials = _authorization(request, "bearer" if scheme.is_bearer else scheme.http_scheme)
    if credentials is None:
        return None
    if scheme.kind in ("oauth2", "openIdConnect"):
        return (credentials, use.scopes)
    if scheme.http_scheme == "basic":
        return _basic(credentials)
    return (credentials,)


def _api_key(scheme: SecurityScheme, request: Request) -> str | None:
    if scheme.location == "header":
        return request.headers.get(scheme.parameter_name)
    if scheme.location == "query":
        return request.query_params.get(scheme.parameter_name)
    return request.cookies.get(scheme.parameter_name)


def _authorization(request: Request, http_scheme: str) -> str | None:
    """The credentials of an `Authorization: <scheme> <credentials>` header of that scheme."""
    given, _, credentials = request.headers.get("authorization", "").partition(" ")
    credentials = credentials.strip()
    return credentials if given.lower() == http_scheme and credentials else None


def _basic(credentials: str) -> tuple[str, str] | None:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username, password) if colon else None


def _unauthorized(rejected: Sequence[Sequence[SchemeUse]], request: Request) -> Response:
    """401 listing, for each alternative, the credentials it still wants."""
    uses = [use for alternative in rejected for use in alternative]
    challenges = [c for c in dict.fromkeys(_challenge(use, request) for use in uses) if c]
    # A client certificate has no HTTP challenge: no header when it is all that is wanted.
    headers = {"WWW-Authenticate": ", ".join(challenges)} if challenges else {}
    wanted = "; or ".join(
        " and ".join(_described(use.scheme) for use in alternative) for alternative in rejected
    )
    return problem_response(
        401, f"missing or invalid credentials (accepted: {wanted})", headers=headers
    )


def _forbidden(forbidden: Sequence[tuple[SchemeUse, str]]) -> Response:
    use, detail = forbidden[0]
    headers = {}
    if use.scheme.is_bearer:
        scope = f', scope="{" ".join(use.scopes)}"' if use.scopes else ""
        headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope"{scope}'
    return problem_response(403, detail, headers=headers)


def _challenge(use: SchemeUse, request: Request) -> str:
    scheme = use.scheme
    if scheme.kind == "apiKey":
        return f'ApiKey in="{scheme.location}", name="{_quoted(scheme.parameter_name)}"'
    if scheme.kind == "mutualTLS":
        return ""
    if scheme.is_bearer:
        parts = ['Bearer realm="api"']
        if _authorization(request, "bearer") is not None:
            parts.append('error="invalid_token"')
        if use.scopes:
            parts.append(f'scope="{_quoted(" ".join(use.scopes))}"')
        return ", ".join(parts)
    if scheme.http_scheme == "basic":
        return 'Basic realm="api", charset="UTF-8"'
    return f'{_token(scheme.http_scheme).capitalize()} realm="api"'


def _described(scheme: SecurityScheme) -> str:
    if scheme.kind == "apiKey":
        return f"API key in {scheme.location} {scheme.parameter_name!r}"
    if scheme.kind == "http":
        return f"HTTP {scheme.http_scheme}"
    if scheme.kind == "mutualTLS":
        return "client certificate"
    return f"{scheme.kind} bearer token"


def _token(text: str) -> str:
    """`text` with only the characters an HTTP token may have (RFC 9110)."""
    return _NOT_TOKEN.sub("", text) or "Unknown"


def _quoted(text: str) -> str:
    """`text` inside a quoted header parameter: no control characters, quotes escaped."""
    printable = "".join(char for char in text if char >= " " and char != "\x7f")
    return printable.replace("\\", "\\\\").replace('"', '\\"')
