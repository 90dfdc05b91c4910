"""Golden tests: the generated trees of the fixtures, byte for byte, and their quality.

Regenerate with `python scripts/update_goldens.py` after an intended change.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import CASES, GOLDEN, ROOT, GoldenCase

from specloom.pipeline import generate
from specloom.write import differences


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.config.package_name)
def test_generated_tree_matches_golden(case: GoldenCase) -> None:
    result = generate(case.spec, case.config)
    assert result.files is not None, [str(d) for d in result.diagnostics]
    stale = differences(case.out_dir, result.files)
    assert stale == [], (
        f"generated output differs from {case.out_dir} in {stale}; "
        "run `python scripts/update_goldens.py` if the change is intended"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.config.package_name)
def test_generation_is_deterministic(case: GoldenCase) -> None:
    first = generate(case.spec, case.config).files
    second = generate(case.spec, case.config).files
    assert first is not None
    assert first == second


def test_golden_trees_pass_mypy_strict(tmp_path: Path) -> None:
    # The runtime is installed in editable mode, which mypy cannot follow: point at its source.
    paths = [str(ROOT / "runtime"), *(str(c.out_dir) for c in CASES)]
    env = {**os.environ, "MYPYPATH": os.pathsep.join(paths)}
    packages = [arg for c in CASES for arg in ("-p", c.config.package_name)]
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), *packages],
        cwd=GOLDEN,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_golden_trees_pass_ruff() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--isolated",
            "--no-cache",
            "--target-version",
            "py310",
            "--select",
            "E,F,W,I,B,UP",
        ]
        + [str(c.out_dir) for c in CASES],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_every_golden_tree_has_a_case() -> None:
    names = {c.config.package_name for c in CASES}
    on_disk = {p.name for p in GOLDEN.iterdir() if p.is_dir()}
    assert on_disk == names
