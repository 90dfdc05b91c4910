"""The generated package loads what a program uses, on first use: `import PKG.client`
imports no model and no service; a service, its descriptors and their models come with
the first `client.<tag>`; a model with its first `from PKG.models import ...`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from specloom.config import GenerateConfig
from specloom.render import render
from specloom.render.format import format_files
from tests.generator import ir_factory as ir

PROBE = """
import json, sys
def loaded():
    return sorted(m for m in sys.modules if m.startswith("lazy_pets.") and m.count(".") > 0)
import lazy_pets.client
steps = {"import client": loaded()}
client = lazy_pets.client.Client()
pets = client.pets
steps["client.pets"] = loaded()
assert client.pets is pets
assert client.with_options(timeout=2).pets is not pets  # made again on the new core
from lazy_pets.models import Inventory
steps["Inventory"] = loaded()
from lazy_pets.client import PetsService
assert type(pets) is PetsService
print(json.dumps(steps))
"""


def test_names_are_imported_on_first_use(tmp_path: Path) -> None:
    files = format_files(render(ir.petstore(), GenerateConfig("lazy_pets")))
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    steps = json.loads(completed.stdout)
    assert not [m for m in steps["import client"] if "models" in m or "_client." in m]
    assert not [m for m in steps["import client"] if m.startswith("lazy_pets._operations.")]
    after_pets = set(steps["client.pets"])
    assert {"lazy_pets._client.pets", "lazy_pets._operations.pets"} <= after_pets
    assert {"lazy_pets.models._pet", "lazy_pets.models._error"} <= after_pets
    assert "lazy_pets._client.store" not in after_pets
    assert "lazy_pets.models._inventory" not in after_pets  # only the store service uses it
    assert "lazy_pets.models._inventory" in steps["Inventory"]
