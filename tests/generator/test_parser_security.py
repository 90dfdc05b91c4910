"""Security schemes and requirements in the IR."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from specloom.config import GenerateConfig
from specloom.ir import OAuthFlow, SchemeUse, SecurityRequirement
from specloom.parser import parse
from specloom.render import render

MIXED = Path(__file__).resolve().parents[2] / "fixtures/security/mixed.yaml"


def _document(**extra: Any) -> dict[str, Any]:
    ok = {"responses": {"204": {"description": "ok"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", **ok}, "post": {"operationId": "b", **ok}}},
        **extra,
    }


def test_every_scheme_kind_reaches_the_ir() -> None:
    api, diagnostics = parse(yaml.safe_load(MIXED.read_text()))
    assert diagnostics == []
    schemes = {scheme.wire_name: scheme for scheme in api.security_schemes}
    assert [s.python_name for s in api.security_schemes] == [
        "bearer_auth",
        "api_key_auth",
        "app_id",
        "basic_auth",
        "auth_",
        "oauth2",
        "oidc",
        "mtls",
    ]
    key = schemes["AppId"]
    assert (key.kind, key.location, key.parameter_name) == ("apiKey", "query", "app_id")
    assert (schemes["bearerAuth"].http_scheme, schemes["bearerAuth"].bearer_format) == (
        "bearer",
        "JWT",
    )
    assert schemes["auth"].http_scheme == "digest"
    assert schemes["oauth2"].flows[1] == OAuthFlow(
        kind="deviceAuthorization",
        token_url="https://auth.example.com/token",
        authorization_url="",
        refresh_url="",
        device_authorization_url="https://auth.example.com/device",
        scopes=(("write", "Change items."),),
    )
    assert schemes["oidc"].openid_connect_url.endswith("/openid-configuration")
    assert schemes["mtls"].kind == "mutualTLS"
    assert schemes["basicAuth"].constant_name == "BASIC_AUTH"


def test_requirements_default_override_open_and_alternatives() -> None:
    api, _ = parse(yaml.safe_load(MIXED.read_text()))
    security = {op.python_name: op.security for s in api.services for op in s.operations}
    assert security["list_items"] == (SecurityRequirement((SchemeUse("bearer_auth"),)),)
    assert security["add_item"] == (
        SecurityRequirement((SchemeUse("oauth2", ("write",)),)),
        SecurityRequirement((SchemeUse("api_key_auth"), SchemeUse("app_id"))),
    )
    assert security["public_info"] == ()
    assert security["maybe_user"] == (
        SecurityRequirement((SchemeUse("basic_auth"),)),
        SecurityRequirement(()),
    )


def test_an_undefined_scheme_drops_its_alternative_or_the_operation() -> None:
    document = _document(
        components={"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "K"}}},
        security=[{"nope": []}, {"key": []}],
    )
    document["paths"]["/a"]["post"]["security"] = [{"nope": []}]
    api, diagnostics = parse(document)
    (operation,) = [op for service in api.services for op in service.operations]
    assert operation.python_name == "a"
    assert operation.security == (SecurityRequirement((SchemeUse("key"),)),)
    messages = [(d.pointer, d.message) for d in diagnostics]
    assert (
        "/security/0/nope",
        "security scheme 'nope' is not defined; this alternative is skipped",
    ) in messages
    assert (
        "/paths/~1a/post",
        "no security requirement of the operation can be met; skipped",
    ) in messages


def test_a_document_security_none_can_meet_is_reported_once_at_its_pointer() -> None:
    document = _document(security=[{"nope": []}])
    document["paths"]["/c"] = {"put": {"operationId": "c", "responses": {"204": {}}}}
    document["paths"]["/a"]["post"]["security"] = []
    api, diagnostics = parse(document)
    assert [op.python_name for service in api.services for op in service.operations] == ["b"]
    assert [(d.pointer, d.message) for d in diagnostics] == [
        ("/security/0/nope", "security scheme 'nope' is not defined; this alternative is skipped"),
        (
            "/security",
            "no security requirement of the document can be met; the operations without "
            "their own `security` are skipped",
        ),
    ]


def test_broken_schemes_are_skipped_with_a_warning() -> None:
    document = _document(
        components={
            "securitySchemes": {
                "noName": {"type": "apiKey", "in": "header"},
                "noScheme": {"type": "http"},
                "odd": {"type": "magic"},
                "ref": {"$ref": "#/components/x-schemes/real"},
            },
            "x-schemes": {"real": {"type": "http", "scheme": "Bearer"}},
        }
    )
    api, diagnostics = parse(document)
    assert [(s.wire_name, s.http_scheme) for s in api.security_schemes] == [("ref", "bearer")]
    assert {d.pointer for d in diagnostics} == {
        "/components/securitySchemes/noName",
        "/components/securitySchemes/noScheme",
        "/components/securitySchemes/odd",
    }


def test_hostile_scheme_text_stays_in_literals_and_docstrings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile = 'x"\'\n{{ y }}"""\\'
    document = _document(
        components={
            "securitySchemes": {
                hostile: {"type": "apiKey", "in": "header", "name": hostile},
                "o": {
                    "type": "oauth2",
                    "flows": {"clientCredentials": {"tokenUrl": hostile, "scopes": {hostile: ""}}},
                },
            }
        },
        security=[{hostile: [hostile]}, {"o": [hostile]}],
    )
    api, _ = parse(document)
    files = render(api, GenerateConfig("h"))
    for path, text in files.items():
        if path.endswith(".py"):
            compile(text, path, "exec")
    for path, text in files.items():
        if path.startswith(("h/_operations/", "h/_security_schemes.py")):
            (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / path).write_text(text, encoding="utf-8")
    (tmp_path / "h/__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    # The descriptors need only the runtime (and models, which these do not use).
    operations = importlib.import_module("h._operations")
    namespace: dict[str, Any] = {name: getattr(operations, name) for name in operations.__all__}
    key, oauth = namespace["X_Y"], namespace["O"]
    assert (key.wire_name, key.parameter_name) == (hostile, hostile)
    assert oauth.flows[0].token_url == hostile
    assert namespace["A"].security[0].uses[0].scopes == (hostile,)


@pytest.fixture(autouse=True)
def _unload_generated() -> Any:
    yield
    for name in [name for name in sys.modules if name == "h" or name.startswith("h.")]:
        del sys.modules[name]
