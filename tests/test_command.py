"""`python -m specloom` ends the process itself: its exit code and all it printed arrive."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _specloom(*arguments: str) -> subprocess.CompletedProcess[str]:
    # Buffered output, as a pipe has by default: what is not flushed before the end is lost.
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-m", "specloom", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
    )


def test_a_generation_prints_its_summary_and_exits_0(tmp_path: Path) -> None:
    out = tmp_path / "pets"
    completed = _specloom(
        "generate", str(ROOT / "fixtures/petstore/petstore.yaml"), "--out", str(out)
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("generated ")
    assert completed.stdout.endswith(f"for package 'pets' in {out}\n")
    assert (out / "pets" / "client.py").is_file()


def test_a_spec_with_errors_prints_them_and_exits_1() -> None:
    completed = _specloom("validate", str(ROOT / "fixtures/invalid/invalid_spec.yaml"))
    assert completed.returncode == 1
    assert "error" in completed.stderr


def test_a_usage_error_exits_2_as_argparse_does() -> None:
    completed = _specloom("generate")
    assert completed.returncode == 2
    assert "usage:" in completed.stderr
