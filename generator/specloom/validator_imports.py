"""Importing the validator without what it would never use here.

- jsonschema_path (under openapi-spec-validator) resolves http(s) references with
  `requests` when that is installed, else with the standard library's urllib. specloom
  validates with no resolver handlers at all (the loader has bundled every reference), so
  neither is ever used, and importing `requests` (with urllib3, certifi, charset_normalizer,
  idna) costs about 0.2 s of CPU in each validating process.
- openapi-spec-validator and openapi-schema-validator read their settings from
  environment variables (`OPENAPI_SPEC_VALIDATOR_*`, `OPENAPI_SCHEMA_VALIDATOR_*`) through
  pydantic-settings, whose import (with pydantic's) is most of the rest of the validator's
  import: about 0.15 s of CPU. When no such variable is set, every setting has its default,
  so the settings modules are stood in for by ones holding those defaults; when one is set,
  the libraries' own modules read it.
- jsonschema_path's resolver handlers (`jsonschema_path.handlers`: reading schemas from
  files and URLs, with PyYAML) are imported by its package, which only keeps them for
  a reference to another document. The package gets a stand-in whose handlers import
  the real ones when first used (as without it, `requests` aside): a validating process
  imports neither them nor PyYAML, about 10 ms.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

__all__ = ["import_validator_lightly"]

SPEC_VALIDATOR_SETTINGS = "openapi_spec_validator.settings"
SCHEMA_VALIDATOR_SETTINGS = "openapi_schema_validator.settings"
_VALIDATOR_PACKAGES = ("openapi_spec_validator", "openapi_schema_validator")
_ENVIRONMENT_PREFIXES = ("openapi_spec_validator_", "openapi_schema_validator_")
"""pydantic-settings matches variable names without regard to case."""


def import_validator_lightly() -> None:
    """Import openapi-spec-validator's keyword checks as described above; nothing changes
    when it is already imported (then the import is paid, or the libraries have chosen)."""
    if any(package in sys.modules for package in _VALIDATOR_PACKAGES):
        return
    with _without_requests():
        if _configured_by_environment():
            importlib.import_module("openapi_spec_validator.validation.keywords")
            return
        sys.modules[SPEC_VALIDATOR_SETTINGS] = _spec_validator_settings()
        sys.modules[SCHEMA_VALIDATOR_SETTINGS] = _schema_validator_settings()
        try:
            importlib.import_module("openapi_spec_validator.validation.keywords")
        except ImportError:  # a version asking its settings for more: imported as it is
            for name in [n for n in sys.modules if n.startswith(_VALIDATOR_PACKAGES)]:
                del sys.modules[name]
            importlib.import_module("openapi_spec_validator.validation.keywords")


@contextlib.contextmanager
def _without_requests() -> Iterator[None]:
    """`import requests` fails inside (jsonschema_path then takes urllib), unless it is
    already imported; afterwards it is importable again."""
    if "jsonschema_path" in sys.modules or "requests" in sys.modules:
        yield
        return
    _handlers_on_demand()
    with _requests_refused():
        importlib.import_module("jsonschema_path")
        yield


@contextlib.contextmanager
def _requests_refused() -> Iterator[None]:
    """`import requests` fails inside (unless it is imported already); afterwards it is
    importable again."""
    if "requests" in sys.modules:
        yield
        return
    sys.modules["requests"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("requests", ...) is None:
            del sys.modules["requests"]


_HANDLERS = "jsonschema_path.handlers"


def _handlers_on_demand() -> None:
    """Put the stand-in for `jsonschema_path.handlers` in place (see the module), unless it
    cannot be told where the real module is."""
    found = importlib.util.find_spec("jsonschema_path")
    locations = found.submodule_search_locations if found is not None else None
    if _HANDLERS in sys.modules or not locations:
        return
    folder = os.path.join(locations[0], "handlers")
    real = _RealHandlers(folder)
    if not os.path.isfile(real.source):
        return
    stand_in = ModuleType(_HANDLERS, "jsonschema_path.handlers, imported when first used.")
    vars(stand_in).update(
        __path__=[folder],
        __getattr__=real.attribute,
        default_handlers=_HandlersOnDemand(real),
        file_handler=_HandlerOnDemand(real, "file_handler"),
        all_urls_handler=_HandlerOnDemand(real, "all_urls_handler"),
    )
    sys.modules[_HANDLERS] = stand_in


class _RealHandlers:
    """The real `jsonschema_path.handlers`, imported on first use (`requests` refused, as
    at the first import of the package: its URL handlers are urllib's)."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.source = os.path.join(folder, "__init__.py")
        self._module: ModuleType | None = None

    def module(self) -> ModuleType:
        if self._module is None:
            spec = importlib.util.spec_from_file_location(
                _HANDLERS, self.source, submodule_search_locations=[self.folder]
            )
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot import {_HANDLERS} from {self.source}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[_HANDLERS] = module
            with _requests_refused():
                spec.loader.exec_module(module)
            parent = sys.modules.get("jsonschema_path")
            if parent is not None:
                parent.handlers = module  # type: ignore[attr-defined]
            self._module = module
        return self._module

    def attribute(self, name: str) -> Any:
        return getattr(self.module(), name)


class _HandlersOnDemand(Mapping[str, Any]):
    """`default_handlers`, read from the real module when first looked into."""

    def __init__(self, real: _RealHandlers) -> None:
        self._real = real

    def _handlers(self) -> Mapping[str, Any]:
        handlers: Mapping[str, Any] = self._real.module().default_handlers
        return handlers

    def __getitem__(self, scheme: str) -> Any:
        return self._handlers()[scheme]

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers())

    def __len__(self) -> int:
        return len(self._handlers())


class _HandlerOnDemand:
    """A handler of the real module (`file_handler`, `all_urls_handler`), got when called."""

    def __init__(self, real: _RealHandlers, name: str) -> None:
        self._real = real
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real.attribute(self._name)(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real.attribute(self._name), name)


def _configured_by_environment() -> bool:
    return any(name.lower().startswith(_ENVIRONMENT_PREFIXES) for name in os.environ)


@dataclass(frozen=True)
class _SpecValidatorSettings:
    resolved_cache_maxsize: int = 128
    schema_validator_backend: str = "auto"


@dataclass(frozen=True)
class _SchemaValidatorSettings:
    compiled_validator_cache_max_size: int = 128


def _spec_validator_settings() -> ModuleType:
    """openapi-spec-validator 0.9's settings module with no variable set."""
    module = ModuleType(SPEC_VALIDATOR_SETTINGS, "Default settings (specloom.validator_imports).")
    defaults = _SpecValidatorSettings()
    vars(module).update(
        ENV_PREFIX="OPENAPI_SPEC_VALIDATOR_",
        RESOLVED_CACHE_MAXSIZE_DEFAULT=defaults.resolved_cache_maxsize,
        SCHEMA_VALIDATOR_BACKEND_DEFAULT=defaults.schema_validator_backend,
        SCHEMA_VALIDATOR_BACKEND_ALLOWED={"auto", "jsonschema", "jsonschema-rs"},
        OpenAPISpecValidatorSettings=_SpecValidatorSettings,
        get_resolved_cache_maxsize=lambda: defaults.resolved_cache_maxsize,
        get_schema_validator_backend=lambda: defaults.schema_validator_backend,
    )
    return module


def _schema_validator_settings() -> ModuleType:
    """openapi-schema-validator's settings module with no variable set."""
    module = ModuleType(SCHEMA_VALIDATOR_SETTINGS, "Default settings (specloom.validator_imports).")
    settings = cache(_SchemaValidatorSettings)
    vars(module).update(
        OpenAPISchemaValidatorSettings=_SchemaValidatorSettings,
        get_settings=settings,
        reset_settings_cache=settings.cache_clear,
    )
    return module
