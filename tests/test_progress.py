"""Progress: a status line on a terminal, nothing when piped or with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"


def _stderr_on_a_terminal(*args: str) -> str:
    controller, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    completed = subprocess.run(
        [sys.executable, "-m", "specloom", *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env={**env, "TERM": "xterm"},
        check=False,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal side is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert completed.returncode == 0
    return b"".join(chunks).decode()


def test_a_terminal_sees_the_spec_and_each_stage(tmp_path: Path) -> None:
    shown = _stderr_on_a_terminal("generate", str(PETSTORE), "--out", str(tmp_path / "p"))
    assert f"\r\x1b[K{PETSTORE}: loading" in shown
    for stage in ("validating", "parsing", "rendering", "formatting", "writing"):
        assert f"{PETSTORE}: {stage}" in shown
    # How much there is to do, for the stages that take long on a large spec.
    assert f"{PETSTORE}: rendering 6 types, 8 operations" in shown
    assert f"{PETSTORE}: formatting 22 files" in shown  # a module per model, per tag and side
    assert shown.endswith("\r\x1b[K")  # the line is erased at the end


def test_quiet_and_piped_runs_show_no_progress(tmp_path: Path) -> None:
    quiet = _stderr_on_a_terminal("validate", str(PETSTORE), "--quiet")
    assert quiet == ""
    piped = subprocess.run(
        [sys.executable, "-m", "specloom", "validate", str(PETSTORE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert piped.returncode == 0
    assert piped.stderr == ""
