"""Module names a generated package must not take: it would hide the module it shadows.

A package called `json`, `typing` or `pydantic`, installed or on `sys.path`, is
found before the real module, so the generated code (or Python itself) would
import the wrong one and fail: such a name is refused up front.
"""

from __future__ import annotations

import sys

RUNTIME_MODULES = frozenset({"specloom_runtime"})
"""The runtime the generated code runs on."""

GENERATOR_MODULES = frozenset(
    {"specloom", "jinja2", "markupsafe", "openapi_spec_validator", "black", "ruff",
     "jsonschema_rs", "yaml"}
)  # fmt: skip
"""The generator and what it imports: generated packages are often installed beside it."""

DEPENDENCY_MODULES = frozenset(
    {
        "annotated_types",
        "anyio",
        "certifi",
        "exceptiongroup",
        "h11",
        "httpcore",
        "httpx",
        "idna",
        "multipart",
        "pydantic",
        "pydantic_core",
        "python_multipart",
        "sniffio",
        "starlette",
        "typing_extensions",
        "typing_inspection",
        "uvicorn",
    }
)
"""What generated packages import, directly or through the runtime (and the server they run in)."""


def shadowed_module(name: str) -> str | None:
    """What a top-level package called `name` would hide, as a phrase; None when nothing."""
    if name in sys.stdlib_module_names:
        return f"the standard library module {name!r}"
    if name in RUNTIME_MODULES:
        return f"{name!r}, which generated code runs on"
    if name in DEPENDENCY_MODULES:
        return f"{name!r}, a library the generated package depends on"
    if name in GENERATOR_MODULES:
        return f"{name!r}, which specloom itself needs"
    return None
