"""Source fragments for the spec's security: scheme descriptors, operation requirements, and
the client's credential keywords."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from specloom.escaping import python_literal
from specloom.ir import Api, OAuthFlow, Operation, SecurityRequirement, SecurityScheme

_CREDENTIAL_TYPES = {
    "apiKey": "SecretValue",
    "oauth2": "TokenCredential",
    "openIdConnect": "TokenCredential",
}


def has_keyword(scheme: SecurityScheme) -> bool:
    """Whether the client takes a credential for the scheme (mutual TLS is the
    `http_client`'s certificate, not a request credential)."""
    return scheme.kind != "mutualTLS"


def credential_annotation(scheme: SecurityScheme) -> str:
    """The type of the client's keyword argument for the scheme, without `| None`."""
    if scheme.kind == "http":
        if scheme.http_scheme == "basic":
            return "tuple[str, str]"
        if scheme.http_scheme == "bearer":
            return "TokenCredential"
        return "httpx.Auth"
    return _CREDENTIAL_TYPES[scheme.kind]


def credential_description(scheme: SecurityScheme) -> str:
    """What the client's keyword argument for the scheme takes, for its docstring."""
    if scheme.kind == "apiKey":
        where = f"{scheme.location} `{_one_line(scheme.parameter_name)}`"
        return f"the API key for the {where}: a string, or a function returning one"
    if scheme.kind == "http" and scheme.http_scheme == "basic":
        return "a (username, password) pair for HTTP basic auth"
    if scheme.kind == "http" and scheme.http_scheme != "bearer":
        return f"an `httpx.Auth` for the HTTP {_one_line(scheme.http_scheme)} scheme"
    extra = {
        "oauth2": "`OAuth2ClientCredentials`, `OAuth2RefreshToken` or `OAuth2DeviceAuthorization`",
        "openIdConnect": "`OpenIdConnect`",
    }.get(scheme.kind, "`httpx.Auth`")
    return f"a bearer token, a function returning one, or an {extra}"


def credentials_doc(schemes: Iterable[SecurityScheme]) -> str:
    """The client docstring's paragraph on its credential keywords (empty without any)."""
    lines = [
        textwrap.fill(
            f"- `{scheme.python_name}` (`{_one_line(scheme.wire_name)}`): "
            + credential_description(scheme),
            width=84,
            subsequent_indent="  ",
            break_on_hyphens=False,
            break_long_words=False,
        )
        for scheme in schemes
    ]
    if not lines:
        return ""
    header = (
        "Credentials, one keyword per security scheme of the spec; each request sends\n"
        "those its operation asks for. `auth` (any `httpx.Auth`) is sent where they are not."
    )
    return header + "\n\n" + "\n".join(lines)


def used_schemes(api: Api) -> list[SecurityScheme]:
    """The schemes some operation's security uses, in spec order: a server needs a
    verifier for each."""
    used = {
        use.scheme
        for service in api.services
        for operation in service.operations
        for requirement in operation.security
        for use in requirement.uses
    }
    return [scheme for scheme in api.security_schemes if scheme.python_name in used]


_VERIFIER_SIGNATURES = {
    "apiKey": "(key)",
    "oauth2": "(token, scopes)",
    "openIdConnect": "(token, scopes)",
    "mutualTLS": "(request)",
}


def create_app_doc(schemes: Iterable[SecurityScheme]) -> str:
    """The docstring of a generated `create_app` that takes verifiers (empty without any
    scheme in use)."""
    lines = [
        f"- `{scheme.python_name}` (`{_one_line(scheme.wire_name)}`): `verify{_signature(scheme)}`"
        for scheme in schemes
    ]
    if not lines:
        return ""
    return "\n\n".join(
        [
            "`security` maps each security scheme to its verifier (sync or async), which\n"
            "returns a principal, or None to reject the credential (401); raising\n"
            "`InsufficientScope` answers 403. `ALLOW_ANONYMOUS` leaves a scheme unchecked.\n"
            "Handlers read the principal from `specloom_runtime.server.request_context()`.",
            "\n".join(lines),
        ]
    )


_PLACEHOLDER_CREDENTIALS = {"apiKey": '"your-api-key"', "basic": '("username", "password")'}


def example_credentials(api: Api, operation: Operation | None) -> str:
    """The client keyword arguments meeting the first alternative of `operation`'s
    security, with placeholder values: `bearer_auth="your-token"` (or empty)."""
    values = _example_values(api, operation)
    return ", ".join(f"{name}={value}" for name, value in values.items())


def example_verifiers(api: Api, operation: Operation | None) -> str:
    """`security={...}` for the README's server example: a stub verifier per scheme in use.

    The verifiers of the schemes the client example sends accept its placeholder
    credential (and only that), so that the two examples, run together, answer each other;
    the others reject everything."""
    if not used_schemes(api):
        return ""
    sent = _example_values(api, operation)
    items = []
    for scheme in used_schemes(api):
        parameters = _signature(scheme)[1:-1]
        value = sent.get(scheme.python_name)
        accepted = "None"
        if value is not None and value != _NO_PLACEHOLDER:
            basic = parameters == "username, password"
            given = f"({parameters})" if basic else parameters.split(",")[0]
            accepted = f'"you" if {given} == {value} else None'
        items.append(f"{python_literal(scheme.python_name)}: lambda {parameters}: {accepted}")
    return "security={" + ", ".join(items) + "}"


_NO_PLACEHOLDER = "an_httpx_auth"  # no placeholder for every scheme: a name to replace


def _example_values(api: Api, operation: Operation | None) -> dict[str, str]:
    """Scheme keyword -> placeholder source, for the first alternative of the operation."""
    if operation is None or not operation.security:
        return {}
    schemes = {scheme.python_name: scheme for scheme in api.security_schemes}
    values: dict[str, str] = {}
    for use in operation.security[0].uses:
        scheme = schemes[use.scheme]
        if not has_keyword(scheme):
            continue
        if scheme.kind == "http" and scheme.http_scheme not in ("basic", "bearer"):
            values[scheme.python_name] = _NO_PLACEHOLDER
        else:
            key = scheme.kind if scheme.kind == "apiKey" else scheme.http_scheme
            values[scheme.python_name] = _PLACEHOLDER_CREDENTIALS.get(key, '"your-token"')
    return values


def _signature(scheme: SecurityScheme) -> str:
    if scheme.kind == "http":
        return "(username, password)" if scheme.http_scheme == "basic" else "(token)"
    return _VERIFIER_SIGNATURES[scheme.kind]


def scheme_descriptor(scheme: SecurityScheme) -> str:
    """`SecurityScheme(...)` source for the scheme's constant in `_operations.py`."""
    arguments = [
        f"name={python_literal(scheme.python_name)}",
        f"wire_name={python_literal(scheme.wire_name)}",
        f"kind={python_literal(scheme.kind)}",
    ]
    if scheme.kind == "apiKey":
        arguments.append(f"parameter_name={python_literal(scheme.parameter_name)}")
        arguments.append(f"location={python_literal(scheme.location)}")
    if scheme.http_scheme:
        arguments.append(f"http_scheme={python_literal(scheme.http_scheme)}")
    if scheme.flows:
        arguments.append(f"flows={_tuple(_flow(flow) for flow in scheme.flows)}")
    if scheme.openid_connect_url:
        arguments.append(f"openid_connect_url={python_literal(scheme.openid_connect_url)}")
    return f"SecurityScheme({', '.join(arguments)})"


def requirements_source(
    requirements: tuple[SecurityRequirement, ...], schemes: Iterable[SecurityScheme]
) -> str:
    """The `security=` tuple of an operation descriptor, naming the scheme constants."""
    constants = {scheme.python_name: scheme.constant_name for scheme in schemes}
    return _tuple(
        "SecurityRequirement("
        + _tuple(
            f"SchemeUse({constants[use.scheme]}"
            + (f", scopes={_tuple(python_literal(s) for s in use.scopes)})" if use.scopes else ")")
            for use in requirement.uses
        )
        + ")"
        for requirement in requirements
    )


def _flow(flow: OAuthFlow) -> str:
    arguments = [f"kind={python_literal(flow.kind)}"]
    urls = (
        ("token_url", flow.token_url),
        ("authorization_url", flow.authorization_url),
        ("refresh_url", flow.refresh_url),
        ("device_authorization_url", flow.device_authorization_url),
    )
    arguments += [f"{name}={python_literal(url)}" for name, url in urls if url]
    if flow.scopes:
        arguments.append(f"scopes={_tuple(python_literal(scope) for scope, _ in flow.scopes)}")
    return f"OAuthFlow({', '.join(arguments)})"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tuple(items: Iterable[str]) -> str:
    listed = list(items)
    if not listed:
        return "()"
    return f"({listed[0]},)" if len(listed) == 1 else f"({', '.join(listed)})"
