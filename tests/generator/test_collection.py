"""The cycle collector runs less often during a run, and as before once it has ended."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from specloom.collection import fewer_collections
from specloom.config import GenerateConfig
from specloom.pipeline import check, generate

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "petstore" / "petstore.yaml"


def test_a_run_raises_the_thresholds_while_it_runs_and_restores_them() -> None:
    before = gc.get_threshold()
    during: list[tuple[int, int, int]] = []
    result = generate(
        SPEC,
        GenerateConfig(package_name="pets"),
        on_stage=lambda _: during.append(gc.get_threshold()),
    )
    assert result.files is not None
    assert during
    assert all(threshold[0] > before[0] for threshold in during)
    assert gc.get_threshold() == before
    check(SPEC, on_stage=lambda _: during.append(gc.get_threshold()))
    assert gc.get_threshold() == before
    assert during[-1][0] > before[0]


def test_the_thresholds_come_back_when_the_run_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("stage failed")
    assert gc.get_threshold() == before


def test_garbage_cycles_are_still_collected_during_a_run() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    collected: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["collected"])

    gc.callbacks.append(count)
    try:
        with fewer_collections():
            for _ in range(300_000):
                Node()
    finally:
        gc.callbacks.remove(count)
    assert sum(collected) > 0


def test_the_command_keeps_the_raised_thresholds_to_its_end(tmp_path: Path) -> None:
    """The command's process ends with its run: the thresholds a stage restores are the
    raised ones, so that no collection walks everything the run holds at its end."""
    import subprocess
    import sys

    from specloom.collection import _RUN_THRESHOLDS

    arguments = ["generate", str(SPEC), "--out", str(tmp_path / "out"), "-q"]
    code = (
        "import gc, sys, specloom.cli as cli\n"
        "real = cli.main\n"
        "def main():\n"
        f"    status = real({arguments!r})\n"
        "    print(gc.get_threshold())\n"
        "    return status\n"
        "cli.main = main\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(_RUN_THRESHOLDS)
