"""Names of a package imported from their modules on first use (PEP 562).

A package lists `{name: relative module}` and binds what `lazy_names` returns to its
`__getattr__` and `__dir__`: `package.Name` and `from package import Name` then import the
module defining `Name` the first time and keep the very object it defines.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, MutableMapping

__all__ = ["lazy_names"]


def lazy_names(
    namespace: MutableMapping[str, object], modules: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of the package whose `globals()` is `namespace`."""
    package = str(namespace["__name__"])

    def __getattr__(name: str) -> object:
        try:
            module = modules[name]
        except KeyError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *modules})

    return __getattr__, __dir__
