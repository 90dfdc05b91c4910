"""`__all__` of generated modules is in the order ruff's RUF022 wants, so that a user's
`ruff check` of the generated package finds nothing to sort."""

from __future__ import annotations

import random
import string
import subprocess
from pathlib import Path

from specloom.render.engine import _public

EDGES = ["A01b", "A012", "A1", "A01", "A001", "A_", "A0", "A00", "Item2", "Item10"]
EDGES += ["GitService", "GitignoreService", "AB", "A_b", "Ab", "X", "CONST_2", "create_app"]


def _names(seed: int) -> list[str]:
    chosen = random.Random(seed)
    tail = string.ascii_letters + "_" + string.digits * 3
    names = {
        chosen.choice(string.ascii_letters + "_")
        + "".join(chosen.choice(tail) for _ in range(chosen.randint(0, 12)))
        for _ in range(1500)
    }
    shuffled = sorted(names | set(EDGES))
    chosen.shuffle(shuffled)
    return shuffled


def test_public_names_are_sorted_as_ruff_sorts_them(tmp_path: Path) -> None:
    names = _names(7)
    module = tmp_path / "names.py"
    module.write_text("__all__ = [\n" + "".join(f'    "{n}",\n' for n in names) + "]\n")
    command = ["ruff", "check", "--isolated", "--select", "RUF022", "--fix", str(module)]
    subprocess.run(command, capture_output=True, check=False)
    namespace: dict[str, list[str]] = {}
    exec(module.read_text(), namespace)
    assert namespace["__all__"] != names  # ruff did sort them
    assert _public(names) == namespace["__all__"]
