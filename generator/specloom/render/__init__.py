"""The render stage: the IR becomes the text of every generated file, then black formats it.

The engine (jinja2, and black through the formatter) is imported on first use: a module
of this package such as `docstrings` is imported without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specloom.render.engine import TEMPLATES_PACKAGE, environment, render

__all__ = ["TEMPLATES_PACKAGE", "environment", "render"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(importlib.import_module("specloom.render.engine"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
