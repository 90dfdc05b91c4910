"""Every benchmark script stays runnable: each runs here with tiny counts, nothing timed.

Speed is measured by running the scripts themselves (results in the `.md` files beside
them); here only their output's shape is checked. A new script in benchmarks/ must be run
by some test (this file or another one that names it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"

RUNS = {
    "client_overhead.py": ["--rounds", "2", "--calls", "3", "--warmup", "1"],
    "server_overhead.py": ["--rounds", "2", "--requests", "3", "--warmup", "1", "--no-fastapi"],
    "reference_bombs.py": ["--runs", "1", "--depths", "2"],
    "uploads.py": ["--rounds", "1", "--size", "1"],
}
EXPECTED_ROWS = {
    "client_overhead.py": ["| sync | get_pet |", "| sync | list_pets |", "| async | get_pet |"],
    "server_overhead.py": ["| get_pet |", "| list_pets |", "| create_pet |"],
    "reference_bombs.py": ["depth 2 ("],
    "uploads.py": ["  ours ", "  starlette ", "  ours / starlette: time x"],
}


def run(script: str, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_the_client_startup_benchmark_runs_on_a_trimmed_github_spec(tmp_path: Path) -> None:
    spec = ROOT / "fixtures/benchmarks/github-rate-limit.json"
    out = tmp_path / "github"
    generate = [sys.executable, "-m", "specloom", "generate", str(spec), "--out", str(out)]
    subprocess.run([*generate, "--target", "client"], check=True, capture_output=True)
    lines = run(
        "client_startup.py", "--spec", str(spec), "--ours", str(out), "--no-peer", "--rounds", "1"
    ).splitlines()
    assert lines[0] == "| what | specloom (median of 1) | peer | ratio |"
    assert lines[2].startswith("| import client | ")
    assert lines[3].startswith("| import + Client + first call | ")
    assert lines[4].startswith("| `import httpx, pydantic` alone | ")


@pytest.mark.parametrize("script", sorted(RUNS))
def test_the_benchmark_runs_with_tiny_counts(script: str) -> None:
    lines = run(script, *RUNS[script]).splitlines()
    for row in EXPECTED_ROWS[script]:
        assert any(line.startswith(row) for line in lines), (row, lines)


def test_the_overhead_tables_give_a_ratio_per_row() -> None:
    lines = run("server_overhead.py", *RUNS["server_overhead.py"]).splitlines()
    assert lines[0] == "| request | ours µs/req | starlette µs/req | ours / starlette |"
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        ours, starlette, ratio = map(float, cells[1:])
        assert ratio == pytest.approx(ours / starlette, rel=0.01)


def test_every_benchmark_script_is_run_by_a_test() -> None:
    tests = "\n".join(path.read_text(encoding="utf-8") for path in ROOT.glob("tests/**/*.py"))
    scripts = sorted(path.name for path in BENCHMARKS.glob("*.py"))
    assert scripts
    assert [name for name in scripts if f'"{name}"' not in tests and f"/{name}" not in tests] == []
