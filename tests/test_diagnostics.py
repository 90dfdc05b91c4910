"""Diagnostics as a person and a tool read them: the snapshot of a set of broken specs,
colour only on request or on a terminal, and `--format json`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "fixtures/diagnostics"
SNAPSHOT = BROKEN / "expected.txt"
UPDATE = "python scripts/update_goldens.py"


def validate_broken(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`specloom validate` over every broken spec of fixtures/diagnostics/specloom.toml."""
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    config = str(BROKEN / "specloom.toml")
    return subprocess.run(
        [sys.executable, "-m", "specloom", "validate", "--config", config, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**environment, **env},
    )


def test_diagnostics_of_broken_specs_match_the_snapshot() -> None:
    completed = validate_broken(NO_COLOR="1")
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr == SNAPSHOT.read_text(encoding="utf-8"), (
        f"diagnostics changed; run `{UPDATE}` if intended"
    )


def test_messages_say_what_is_wrong_in_the_compiler_form() -> None:
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    schema = "fixtures/diagnostics/schema_mistakes.yaml"
    assert f"{schema}:14:13: error: unknown type 'strin' " in "\n".join(lines)
    assert "  hint: did you mean 'string'?" in lines
    assert any("'in' must be one of path, query, header, cookie, not 'body'" in x for x in lines)
    assert any("has no 'Thig'; did you mean 'Thing'?" in line for line in lines)
    # A syntax error shows where the unclosed sequence began as well as where it broke.
    unclosed = "fixtures/diagnostics/unclosed_flow.yaml"
    assert f"  {unclosed}:5:9: note: the flow sequence began here" in lines
    # The dangling reference does not hide the misspelt type after it.
    assert any("dangling_ref.yaml:21:15: error: unknown type 'objet'" in x for x in lines)
    assert not any("is not valid under any of the given schemas" in line for line in lines)
    assert not any("does not match any of the regexes" in line for line in lines)
    assert "\x1b[" not in "\n".join(lines)


def test_colour_when_forced_and_never_with_no_color() -> None:
    coloured = validate_broken(FORCE_COLOR="1")
    assert "\x1b[1;31merror:\x1b[0m" in coloured.stderr
    plain = validate_broken(FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" not in plain.stderr


def test_json_format_for_tools() -> None:
    completed = validate_broken("--format", "json", NO_COLOR="1")
    assert completed.returncode == 1
    assert completed.stderr == ""
    report = json.loads(completed.stdout)
    assert report["errors"] == len(report["diagnostics"]) > 10
    assert report["warnings"] == 0
    typo = next(d for d in report["diagnostics"] if d["message"] == "unknown type 'strin'")
    assert typo == {
        "level": "error",
        "message": "unknown type 'strin'",
        "file": "fixtures/diagnostics/schema_mistakes.yaml",
        "line": 14,
        "column": 13,
        "pointer": "/paths/~1things~1{id}/get/parameters/0/schema/type",
        "hint": "did you mean 'string'?",
        "notes": [],
    }
    syntax = next(d for d in report["diagnostics"] if d["file"].endswith("unclosed_flow.yaml"))
    assert syntax["notes"] == [
        {
            "message": "the flow sequence began here",
            "file": "fixtures/diagnostics/unclosed_flow.yaml",
            "line": 5,
            "column": 9,
        }
    ]
