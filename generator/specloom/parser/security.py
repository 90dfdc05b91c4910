"""Security: `components/securitySchemes` and the `security` requirements of the document
and of each operation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, cast

from msgspec.structs import replace

from specloom.diagnostics import join_pointer
from specloom.ir.security import OAuthFlow, SchemeUse, SecurityRequirement, SecurityScheme
from specloom.naming import credential_scope, snake_case
from specloom.parser.context import ParseContext

_API_KEY_LOCATIONS = ("header", "query", "cookie")
_FLOW_KINDS = ("clientCredentials", "authorizationCode", "implicit", "password")
_DEVICE_FLOW = "deviceAuthorization"
_FlowKind = Literal[
    "clientCredentials", "authorizationCode", "implicit", "password", "deviceAuthorization"
]


def parse_schemes(document: Mapping[str, Any], ctx: ParseContext) -> tuple[SecurityScheme, ...]:
    """Every usable scheme of `components/securitySchemes`, in spec order, named for Python
    (constant names are left empty: they are given with the operations')."""
    components = document.get("components")
    entries = components.get("securitySchemes") if isinstance(components, dict) else None
    if entries is None:
        return ()
    base = "/components/securitySchemes"
    if not isinstance(entries, dict):
        ctx.warn("securitySchemes must be an object; ignored", base)
        return ()
    names = credential_scope()
    schemes = []
    for key, entry in entries.items():
        pointer = join_pointer(base, str(key))
        spec, _ = ctx.resolver.follow(entry)
        scheme = _scheme(str(key), spec, pointer, ctx)
        if scheme is not None:
            python_name = names.claim(snake_case(str(key), fallback="credentials"))
            schemes.append(replace(scheme, python_name=python_name))
    return tuple(schemes)


def operation_security(
    spec: Mapping[str, Any], pointer: str, ctx: ParseContext
) -> tuple[SecurityRequirement, ...] | None:
    """An operation's alternatives: its own `security`, else the document's."""
    if "security" not in spec:
        return ctx.default_security
    return parse_requirements(
        spec["security"], join_pointer(pointer, "security"), ctx.security_schemes, ctx
    )


def parse_requirements(
    value: Any, pointer: str, schemes: Mapping[str, SecurityScheme], ctx: ParseContext
) -> tuple[SecurityRequirement, ...] | None:
    """The alternatives of a `security` list; None when it is present but none of its
    alternatives can be met (each refers to a scheme that is not defined)."""
    if not isinstance(value, list):
        ctx.warn("security must be a list; ignored", pointer)
        return ()
    alternatives = []
    for index, item in enumerate(value):
        requirement = _requirement(item, join_pointer(pointer, index), schemes, ctx)
        if requirement is not None:
            alternatives.append(requirement)
    if value and not alternatives:
        return None
    return tuple(alternatives)


def _requirement(
    item: Any, pointer: str, schemes: Mapping[str, SecurityScheme], ctx: ParseContext
) -> SecurityRequirement | None:
    if not isinstance(item, dict):
        ctx.warn("a security requirement must be an object; skipped", pointer)
        return None
    uses = []
    for wire_name, scopes in item.items():
        scheme = schemes.get(str(wire_name))
        if scheme is None:
            ctx.warn(
                f"security scheme {str(wire_name)!r} is not defined; this alternative is skipped",
                join_pointer(pointer, str(wire_name)),
            )
            return None
        listed = scopes if isinstance(scopes, list) else []
        uses.append(SchemeUse(scheme.python_name, tuple(str(s) for s in listed)))
    return SecurityRequirement(tuple(uses))


def _scheme(wire_name: str, spec: Any, pointer: str, ctx: ParseContext) -> SecurityScheme | None:
    if not isinstance(spec, dict):
        ctx.warn("security scheme must be an object; skipped", pointer)
        return None
    kind = spec.get("type")
    common: dict[str, Any] = {
        "wire_name": wire_name,
        "python_name": "",
        "constant_name": "",
        "description": _text(spec.get("description")),
        "pointer": pointer,
    }
    if kind == "apiKey":
        location, name = spec.get("in"), spec.get("name")
        if location not in _API_KEY_LOCATIONS or not isinstance(name, str) or not name:
            ctx.warn("apiKey scheme needs `name` and `in` (header, query or cookie)", pointer)
            return None
        return SecurityScheme(kind="apiKey", parameter_name=name, location=location, **common)
    if kind == "http":
        http_scheme = spec.get("scheme")
        if not isinstance(http_scheme, str) or not http_scheme.strip():
            ctx.warn("http scheme needs `scheme` (basic, bearer, ...); skipped", pointer)
            return None
        return SecurityScheme(
            kind="http",
            http_scheme=http_scheme.strip().lower(),
            bearer_format=_text(spec.get("bearerFormat")),
            **common,
        )
    if kind == "oauth2":
        flows = _flows(spec.get("flows"), join_pointer(pointer, "flows"), ctx)
        return SecurityScheme(kind="oauth2", flows=flows, **common)
    if kind == "openIdConnect":
        url = _text(spec.get("openIdConnectUrl"))
        return SecurityScheme(kind="openIdConnect", openid_connect_url=url, **common)
    if kind == "mutualTLS":
        return SecurityScheme(kind="mutualTLS", **common)
    ctx.warn(f"unknown security scheme type {kind!r}; skipped", pointer)
    return None


def _flows(value: Any, pointer: str, ctx: ParseContext) -> tuple[OAuthFlow, ...]:
    if not isinstance(value, dict):
        ctx.warn("oauth2 scheme has no flows", pointer)
        return ()
    flows = []
    for kind in (*_FLOW_KINDS, _DEVICE_FLOW):
        spec = value.get(kind)
        if not isinstance(spec, dict):
            continue
        scopes = spec.get("scopes")
        flows.append(
            OAuthFlow(
                kind=cast(_FlowKind, kind),
                token_url=_text(spec.get("tokenUrl")),
                authorization_url=_text(spec.get("authorizationUrl")),
                refresh_url=_text(spec.get("refreshUrl")),
                device_authorization_url=_text(spec.get("deviceAuthorizationUrl")),
                scopes=tuple(
                    (str(scope), _text(text))
                    for scope, text in (scopes.items() if isinstance(scopes, dict) else ())
                ),
            )
        )
    return tuple(flows)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
