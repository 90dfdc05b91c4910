from __future__ import annotations

import importlib
import inspect
import types

import pytest

import specloom_runtime
from specloom_runtime import errors, response

MODULES = [
    "auth",
    "client",
    "errors",
    "hooks",
    "options",
    "plan",
    "reading",
    "response",
    "retry",
    "retry_budget",
    "security",
    "serialization",
    "throttle",
]


def public_names(module: types.ModuleType) -> list[str]:
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    ]


def test_the_package_all_is_sorted_and_complete() -> None:
    assert specloom_runtime.__all__ == sorted(public_names(specloom_runtime))


def test_the_package_re_exports_the_client_api() -> None:
    expected = {
        *errors.__all__,
        *response.__all__,
        "AsyncClientCore",
        "AsyncClientOptions",
        "AsyncRequestHook",
        "AsyncResponseHook",
        "CallOptions",
        "ClientCore",
        "ClientOptions",
        "RateLimit",
        "RequestHook",
        "ResponseHook",
        "RetryBudget",
        "RetryPolicy",
        "BodySpec",
        "OperationSpec",
        "ParamSpec",
        "ResponseSpec",
        "OAuth2ClientCredentials",
        "OAuth2DeviceAuthorization",
        "OAuth2RefreshToken",
        "OpenIdConnect",
        "UserCode",
    }
    assert set(specloom_runtime.__all__) == expected


@pytest.mark.parametrize("name", MODULES)
def test_each_module_all_is_sorted_and_names_its_public_definitions(name: str) -> None:
    module = importlib.import_module(f"specloom_runtime.{name}")
    defined_here = {
        member
        for member, value in vars(module).items()
        if not member.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
    }
    assert module.__all__ == sorted(module.__all__)
    assert defined_here <= set(module.__all__)
    assert all(hasattr(module, member) for member in module.__all__)
