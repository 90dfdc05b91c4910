"""Importing the validator without the HTTP library it would never use here.

jsonschema_path (under openapi-spec-validator) resolves http(s) references with
`requests` when that is installed, else with the standard library's urllib. specloom
validates with no resolver handlers at all (the loader has bundled every reference), so
neither is ever used, and importing `requests` (with urllib3, certifi, charset_normalizer,
idna) costs about 0.2 s of CPU in each validating process.
"""

from __future__ import annotations

import importlib
import sys


def import_jsonschema_path_without_requests() -> None:
    """Import jsonschema_path as it is without `requests` installed; nothing when either
    is already imported (then the import is paid, or jsonschema_path has chosen)."""
    if "jsonschema_path" in sys.modules or "requests" in sys.modules:
        return
    sys.modules["requests"] = None  # type: ignore[assignment]  # `import requests` fails
    try:
        importlib.import_module("jsonschema_path")
    finally:
        if sys.modules.get("requests", ...) is None:
            del sys.modules["requests"]
