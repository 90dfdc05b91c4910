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
  files and URLs, with PyYAML) and its retriever (`jsonschema_path.retrievers`, with
  urllib.request, http.client, email and ssl) are imported by its package, which only
  uses them for a reference to another document. The package gets stand-ins that import
  the real ones when first used (as without them, `requests` aside): a validating
  process imports neither them nor PyYAML nor urllib.request, about 25 ms.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import importlib.util
import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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
_RETRIEVERS = "jsonschema_path.retrievers"


def _handlers_on_demand() -> None:
    """Put the stand-ins for `jsonschema_path.handlers` and `jsonschema_path.retrievers` in
    place (see the module), unless it cannot be told where the real modules are."""
    found = importlib.util.find_spec("jsonschema_path")
    locations = found.submodule_search_locations if found is not None else None
    if not locations:
        return
    folder = os.path.join(locations[0], "handlers")
    handlers = _RealModule(_HANDLERS, os.path.join(folder, "__init__.py"), folder)
    if _HANDLERS not in sys.modules and os.path.isfile(handlers.source):
        stand_in = ModuleType(_HANDLERS, "jsonschema_path.handlers, imported when first used.")
        vars(stand_in).update(
            __path__=[folder],
            __getattr__=handlers.attribute,
            default_handlers=_HandlersOnDemand(handlers),
            file_handler=_HandlerOnDemand(handlers, "file_handler"),
            all_urls_handler=_HandlerOnDemand(handlers, "all_urls_handler"),
        )
        sys.modules[_HANDLERS] = stand_in
    retrievers = _RealModule(_RETRIEVERS, os.path.join(locations[0], "retrievers.py"))
    if _RETRIEVERS not in sys.modules and os.path.isfile(retrievers.source):
        stand_in = ModuleType(_RETRIEVERS, "jsonschema_path.retrievers, imported when used.")
        vars(stand_in).update(
            __getattr__=retrievers.module_attribute,
            SchemaRetriever=type("SchemaRetriever", (_RetrieverOnDemand,), {"real": retrievers}),
        )
        sys.modules[_RETRIEVERS] = stand_in


class _RealModule:
    """A real module of jsonschema_path (`folder`: a package's), imported on first use
    (`requests` refused, as at the first import of the package: its URL handlers and its
    retriever use urllib)."""

    def __init__(self, name: str, source: str, folder: str | None = None) -> None:
        self.name = name
        self.source = source
        self.folder = folder
        self._module: ModuleType | None = None

    def module(self) -> ModuleType:
        if self._module is None:
            locations = None if self.folder is None else [self.folder]
            spec = importlib.util.spec_from_file_location(
                self.name, self.source, submodule_search_locations=locations
            )
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot import {self.name} from {self.source}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[self.name] = module
            with _requests_refused():
                spec.loader.exec_module(module)
            parent = sys.modules.get("jsonschema_path")
            if parent is not None:
                setattr(parent, self.name.rpartition(".")[2], module)
            self._module = module
        return self._module

    def attribute(self, name: str) -> Any:
        return getattr(self.module(), name)

    def module_attribute(self, name: str) -> Any:
        """`attribute`, as a stand-in module's `__getattr__`: the import system asks a
        module for `__path__` (whether it is a package) and the like, which a module
        without them does not have, and which must not import the real one."""
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self.attribute(name)


class _HandlersOnDemand(Mapping[str, Any]):
    """`default_handlers`, read from the real module when first looked into."""

    def __init__(self, real: _RealModule) -> None:
        self._real = real

    def _handlers(self) -> Mapping[str, Any]:
        handlers: Mapping[str, Any] = self._real.attribute("default_handlers")
        return handlers

    def __getitem__(self, scheme: str) -> Any:
        return self._handlers()[scheme]

    def __iter__(self) -> Iterator[str]:
        return iter(self._handlers())

    def __len__(self) -> int:
        return len(self._handlers())


class _HandlerOnDemand:
    """A handler of the real module (`file_handler`, `all_urls_handler`), got when called."""

    def __init__(self, real: _RealModule, name: str) -> None:
        self._real = real
        self._name = name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._real.attribute(self._name)(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real.attribute(self._name), name)


class _RetrieverOnDemand:
    """`SchemaRetriever(handlers, specification)`, the real one made when it is first
    asked for a document (a reference to another one). A class, as the real one is:
    each stand-in module gets a subclass holding its real module (`real`)."""

    real: _RealModule

    def __init__(self, handlers: Any, specification: Any) -> None:
        self.handlers = handlers
        self.specification = specification

    def __call__(self, uri: str) -> Any:
        retriever = self.real.attribute("SchemaRetriever")(self.handlers, self.specification)
        return retriever(uri)


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
    settings = functools.cache(_SchemaValidatorSettings)
    vars(module).update(
        OpenAPISchemaValidatorSettings=_SchemaValidatorSettings,
        get_settings=settings,
        reset_settings_cache=settings.cache_clear,
    )
    return module
