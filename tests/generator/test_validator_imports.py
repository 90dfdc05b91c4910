"""Validation imports no HTTP library it never uses, and leaves it importable."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "fixtures" / "petstore" / "petstore.yaml"


def _run(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout.strip()


def test_validating_imports_no_requests_and_leaves_it_importable() -> None:
    out = _run(
        f"""
        import sys
        from specloom.pipeline import check
        result = check({str(SPEC)!r})
        print(result.api is not None, "requests" in sys.modules, end=" ")
        import requests
        print(requests.__name__)
        """
    )
    assert out == "True False requests"


def test_a_spec_with_validation_errors_is_still_reported_so() -> None:
    out = _run(
        """
        import json, sys, tempfile
        from specloom.pipeline import check
        spec = {"openapi": "3.0.3", "info": {"title": "t"}, "paths": {}}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(spec, file)
        result = check(file.name)
        print([d.message for d in result.diagnostics if d.level.name == "ERROR"] != [])
        print("requests" in sys.modules)
        """
    )
    assert out.split() == ["True", "False"]
