"""The patch sweep script reports patched runs that match full runs, and refuses nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", ["operation", "response"])
def test_the_patch_sweep_runs_on_real_specs(tmp_path: Path, kind: str) -> None:
    specs = ["fixtures/realworld/apideck-lead.json", "fixtures/realworld/discourse.json"]
    arguments = [argument for spec in specs for argument in ("--spec", str(ROOT / spec))]
    empty = tmp_path / "empty.json"
    empty.write_text('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}}')
    script = [sys.executable, str(ROOT / "scripts/patch_sweep.py"), "--only", kind]
    completed = subprocess.run(
        [*script, *arguments, "--spec", str(empty)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert lines[:3] == [
        f"{ROOT / specs[0]}: patched",
        f"{ROOT / specs[1]}: patched",
        f"{empty}: skipped",  # no operation to edit
    ]
    assert lines[-1] == "patched 2 full 0 skipped 1 mismatch 0"


def test_the_structural_sweep_compares_every_step() -> None:
    spec = ROOT / "fixtures/realworld/discourse.json"
    script = [sys.executable, str(ROOT / "scripts/patch_sweep.py"), "--structural"]
    completed = subprocess.run(
        [*script, "--steps", "3", "--seed", "1", "--spec", str(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    outcomes = lines[0].removeprefix(f"{spec}: ")
    assert "MISMATCH" not in outcomes
    patched = outcomes.count("patched")
    assert patched >= 1, outcomes
    assert lines[-1] == f"patched {patched} full {3 - patched} skipped 0 mismatch 0"
