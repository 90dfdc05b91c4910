"""`generate --check` in a repository, as CI runs it: a diff, exit 1, nothing written."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "fixtures/petstore/petstore.yaml"
CONFIG = """[[generate]]
spec = "petstore.yaml"
out = "client"
name = "petstore"
target = "client"
"""


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), cwd=cwd, capture_output=True, text=True, check=False, env=_env()
    )


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "GIT_CONFIG_NOSYSTEM": "1"}
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t")
    env.update(GIT_COMMITTER_EMAIL="t@t")
    return env


def specloom(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, sys.executable, "-m", "specloom", *args)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy(PETSTORE, tmp_path / "petstore.yaml")
    (tmp_path / "specloom.toml").write_text(CONFIG)
    generated = specloom(tmp_path, "generate")
    assert generated.returncode == 0, generated.stderr
    for command in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "x"]):
        assert run(tmp_path, *command).returncode == 0
    return tmp_path


def test_up_to_date_output_passes(repo: Path) -> None:
    completed = specloom(repo, "generate", "--check")
    assert completed.returncode == 0, completed.stderr
    assert "client is up to date" in completed.stdout


def test_a_changed_spec_fails_with_a_diff_and_writes_nothing(repo: Path) -> None:
    spec = repo / "petstore.yaml"
    spec.write_text(spec.read_text().replace("summary: List pets", "summary: List all pets"))
    completed = specloom(repo, "generate", "--check")
    assert completed.returncode == 1
    # The operation's client method is in the module of its tag's service.
    assert "--- a/petstore/_client/pets.py\n+++ b/petstore/_client/pets.py\n" in completed.stderr
    assert '-        """List pets' in completed.stderr
    assert '+        """List all pets' in completed.stderr
    assert "client is out of date (1 file): run `specloom generate` again" in completed.stderr
    status = run(repo, "git", "status", "--porcelain").stdout
    assert status.splitlines() == [" M petstore.yaml"]


def test_an_edited_or_deleted_file_is_reported(repo: Path) -> None:
    (repo / "client/petstore/models/_pet.py").write_text("# edited by hand\n")
    (repo / "client/README.md").unlink()
    completed = specloom(repo, "generate", "--check")
    assert completed.returncode == 1
    assert "-# edited by hand\n" in completed.stderr
    assert "--- /dev/null\n+++ b/README.md\n" in completed.stderr
    assert "(2 files)" in completed.stderr


def test_a_large_difference_is_summarised_per_file(repo: Path) -> None:
    completed = specloom(repo, "generate", "--check", "--target", "all")
    assert completed.returncode == 1
    lines = completed.stderr.splitlines()
    assert lines[0].endswith("lines of differences; per file (`specloom generate` to update):")
    assert "A petstore/server.py (new)" in lines
    assert any(line.startswith("M pyproject.toml (+") for line in lines)
    assert "@@" not in completed.stderr
    assert run(repo, "git", "status", "--porcelain").stdout == ""


def test_the_pre_commit_hooks_run_the_check(repo: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    entries = {hook["id"]: hook["entry"].split() for hook in hooks}
    assert set(entries) == {"specloom-check", "specloom-generate"}
    for hook in hooks:
        assert hook["pass_filenames"] is False
    command = entries["specloom-check"]
    assert command[0] == "specloom"
    assert specloom(repo, *command[1:]).returncode == 0
    (repo / "client/petstore/models/_pet.py").write_text("# edited by hand\n")
    assert specloom(repo, *command[1:]).returncode == 1
