from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
import types

import pytest

import specloom_runtime
from specloom_runtime import errors, response

MODULES = [
    "auth",
    "client",
    "client_base",
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
    # dir(), not vars(): the package imports its names from their modules on first use.
    return [
        name
        for name in dir(module)
        if not name.startswith("_") and not isinstance(getattr(module, name), types.ModuleType)
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


def test_importing_the_package_and_client_base_imports_neither_httpx_nor_pydantic() -> None:
    code = (
        "import sys, specloom_runtime, specloom_runtime.client_base, specloom_runtime.base_url; "
        "print(sorted(m for m in ('anyio', 'httpx', 'pydantic') if m in sys.modules))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "[]"


@pytest.mark.parametrize("name", specloom_runtime.__all__)
def test_each_package_name_is_its_module_s_object(name: str) -> None:
    value = getattr(specloom_runtime, name)
    defining = [
        module
        for module in (*MODULES, "operation")
        if getattr(importlib.import_module(f"specloom_runtime.{module}"), name, None) is value
    ]
    assert defining
