"""The generation benchmark stays runnable (no timing is asserted: speed is measured by
running benchmarks/generation.py, results in benchmarks/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_runs_on_a_tiny_spec(tmp_path: Path) -> None:
    results = tmp_path / "runs.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/generation.py"),
            "petstore",
            "--no-peer",
            "--rounds",
            "2",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(results),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [line for line in completed.stdout.splitlines() if line.startswith("| petstore |")]
    assert len(rows) == 1
    assert rows[0].startswith("| petstore | specloom | 0 |")
    recorded = json.loads(results.read_text(encoding="utf-8"))
    assert [(run["tool"], run["exit_code"]) for run in recorded["runs"]] == [("specloom", 0)] * 2
    assert all(run["cpu_s"] > 0 and run["peak_mb"] > 0 for run in recorded["runs"])
    assert recorded["imports"][0]["import_s"] is not None
    assert (tmp_path / "work/out/specloom/petstore/petstore/client.py").is_file()


@pytest.mark.parametrize("written_as", [[], ["--yaml"]], ids=["json", "yaml"])
def test_the_regeneration_benchmark_runs_on_a_small_spec(
    tmp_path: Path, written_as: list[str]
) -> None:
    results = tmp_path / "runs.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks/generation.py"),
            "apideck",
            *written_as,
            "--regeneration",
            "--rounds",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--json",
            str(results),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = [line for line in completed.stdout.splitlines() if line.startswith("| apideck |")]
    assert [row.split(" | ")[1:3] for row in rows[:4]] == [
        ["regenerate", "0"],
        ["parameter added", "0"],
        ["unchanged", "0"],
        ["cold", "0"],
    ]
    assert rows[4].startswith("| apideck | regenerate / cold |")
    assert rows[5].startswith("| apideck | parameter added / cold |")
    assert rows[6].startswith("| apideck | unchanged / cold |")
    out = tmp_path / "work/regeneration/out/apideck"
    assert any(out.rglob("models/__init__.py"))  # every run wrote the same folder
    recorded = json.loads(results.read_text(encoding="utf-8"))
    tools = [run["tool"] for run in recorded["runs"]]
    assert tools == ["cold", "regenerate", "unchanged", "parameter added"]
