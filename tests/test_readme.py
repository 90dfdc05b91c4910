"""The README's two commands are what CI runs, verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick_start)


def test_ci_runs_the_readme_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    ci_lines = (ROOT / ".ci/run").read_text(encoding="utf-8").splitlines()
    for command in commands:
        assert command in ci_lines
