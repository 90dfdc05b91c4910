"""Regenerate every golden tree under fixtures/golden/ (run after an intended output change)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from golden_cases import CASES

from specloom.pipeline import generate
from specloom.write import write_tree


def main() -> int:
    for case in CASES:
        result = generate(case.spec, case.config)
        for diagnostic in result.diagnostics:
            print(diagnostic, file=sys.stderr)
        if result.files is None:
            print(f"{case.spec}: not generated", file=sys.stderr)
            return 1
        problems = write_tree(case.out_dir, result.files)
        if problems:
            print("\n".join(map(str, problems)), file=sys.stderr)
            return 1
        print(f"{case.out_dir.relative_to(Path.cwd())}: {len(result.files)} files")
    return _update_diagnostics_snapshot()


def _update_diagnostics_snapshot() -> int:
    """fixtures/diagnostics/expected.txt: what `specloom validate` says about broken specs."""
    root = Path(__file__).resolve().parent.parent
    broken = root / "fixtures/diagnostics"
    environment = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    completed = subprocess.run(
        [sys.executable, "-m", "specloom", "validate", "--config", str(broken / "specloom.toml")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**environment, "NO_COLOR": "1"},
    )
    (broken / "expected.txt").write_text(completed.stderr, encoding="utf-8")
    print(
        f"{(broken / 'expected.txt').relative_to(root)}: {len(completed.stderr.splitlines())} lines"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
